package org.nnstm.run;

import org.nnstm.data.LabelledImages;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;

/**
 * Trains an ensemble with softmax cross-entropy for a number of epochs and reports every epoch to listeners:
 * the reference "Gaussian feedforward" workflow, as a library call. After each epoch every model is evaluated
 * on the validation set; listeners write files ({@link ReferenceFiles}), print lines, or collect numbers.
 *
 * <pre>{@code
 * try (Backend backend = Backends.open("auto", Runtime.getRuntime().availableProcessors(), System.err::println);
 *      Ensemble net = new Ensemble(backend, NetworkSpec.tanh(Layouts.wide(10)),
 *          List.of(new ModelInit(2.0, 0.05, 0)))) {
 *   TrainingRun.train(net, EnsembleTrainer.Config.reference(), 1, false, 0, train, validation, listener);
 * }
 * }</pre>
 */
public final class TrainingRun {
  private TrainingRun() {}

  /**
   * Runs {@code epochs} epochs of SGD on {@code train} (in order, or shuffled with a permutation drawn
   * from {@code shuffleSeed} and the epoch number), evaluating on {@code validation} after each: the report's
   * train metrics are those accumulated over the epoch's steps. Modifies the ensemble's parameters.
   */
  public static void train(Ensemble net, EnsembleTrainer.Config config, int epochs, boolean shuffle,
                           long shuffleSeed, LabelledImages train, LabelledImages validation,
                           Listener<? super EnsembleTrainer.Stats> listener) {
    EpochLoop.Schedule schedule = new EpochLoop.Schedule(epochs, shuffle, shuffleSeed, false);
    try (EnsembleTrainer trainer = new EnsembleTrainer(net, config)) {
      EpochLoop.run(net, trainer, train, schedule, new EpochLoop.Evaluator<EnsembleTrainer.Stats>() {
        @Override
        public EnsembleTrainer.Stats train(int epoch, EnsembleTrainer.Stats duringEpoch) {
          return duringEpoch;
        }

        @Override
        public EnsembleTrainer.Stats validation(int epoch) {
          return trainer.evaluate(validation.images(), validation.labels(), validation.size());
        }
      }, listener);
    }
  }
}
