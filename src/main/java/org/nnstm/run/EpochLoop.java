package org.nnstm.run;

import org.nnstm.data.LabelledImages;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;

/**
 * The one epoch loop of every training run (softmax cross-entropy, bump regression, the trained ensembles of
 * the prior comparison): per epoch, the examples in {@link LabelledImages#order} (in order, or shuffled from
 * (seed, epoch)), one pass of mini-batch steps, then the objective's evaluation, reported to the listener.
 */
public final class EpochLoop {
  private EpochLoop() {}

  /**
   * How many epochs, and the order of the examples: shuffled every epoch from (seed, epoch), or in order.
   * {@code reportInitial}: evaluate and report epoch 0 (the untrained state) first.
   */
  public record Schedule(int epochs, boolean shuffle, long seed, boolean reportInitial) {
    public Schedule {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
    }
  }

  /** The objective's evaluation after an epoch. */
  public interface Evaluator<M> {
    /**
     * The training-set metrics after {@code epoch} (0: the initial state); {@code duringEpoch} is what the
     * trainer accumulated over the epoch's steps (null for epoch 0). Called before {@link #validation}.
     */
    M train(int epoch, EnsembleTrainer.Stats duringEpoch);

    /** The evaluation-set metrics after {@code epoch}. */
    M validation(int epoch);

    /** True when nothing is left to train (e.g. every model diverged): the loop stops after this epoch. */
    default boolean finished() {
      return false;
    }
  }

  /** An evaluator of nothing: every report holds null metrics. */
  public static <M> Evaluator<M> noEvaluation() {
    return new Evaluator<>() {
      @Override
      public M train(int epoch, EnsembleTrainer.Stats duringEpoch) {
        return null;
      }

      @Override
      public M validation(int epoch) {
        return null;
      }
    };
  }

  /**
   * Runs the schedule's epochs of {@code trainer} (which trains {@code net}) on {@code train}; tells the listener
   * {@code started} first, then every step and every epoch's report. Modifies the ensemble's parameters.
   */
  public static <M> void run(Ensemble net, EnsembleTrainer trainer, LabelledImages train, Schedule schedule,
                             Evaluator<M> evaluator, Listener<? super M> listener) {
    listener.started(net, trainer);
    if (schedule.reportInitial()) {
      M tm = evaluator.train(0, null);
      M vm = evaluator.validation(0);
      listener.epochDone(net, trainer, new EpochReport<>(0, tm, vm, 0.0));
    }
    int steps = trainer.stepsPerEpoch(train.size());
    for (int epoch = 1; epoch <= schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      int[] order = LabelledImages.order(train.size(), schedule.shuffle(), schedule.seed(), epoch);
      final int e = epoch;
      EnsembleTrainer.Stats during = trainer.trainEpoch(train.images(), train.labels(), order,
          s -> listener.stepDone(e, s, steps));
      M tm = evaluator.train(epoch, during);
      M vm = evaluator.validation(epoch);
      double seconds = (System.nanoTime() - t0) * 1e-9;
      listener.epochDone(net, trainer, new EpochReport<>(epoch, tm, vm, seconds));
      if (evaluator.finished()) {
        break;
      }
    }
  }
}
