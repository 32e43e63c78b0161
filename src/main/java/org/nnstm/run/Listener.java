package org.nnstm.run;

import java.util.List;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;

/**
 * Receives a run's events; every method has an empty default. M is the metrics type of the run's
 * {@link EpochReport}s; a listener that reads no metrics (a progress bar) is a {@code Listener<Object>}.
 */
public interface Listener<M> {
  /** Before training, with freshly initialised parameters. */
  default void started(Ensemble net, EnsembleTrainer trainer) {}

  /** After step {@code step} of {@code steps} in an epoch. */
  default void stepDone(int epoch, int step, int steps) {}

  /** After each epoch's evaluation. */
  default void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport<? extends M> report) {}

  /** Progress of a run made of phases (e.g. sampling, training, Langevin): {@code done} of {@code total} units. */
  default void progress(String phase, long done, long total) {}

  /** A listener that ignores everything. */
  static <M> Listener<M> none() {
    return new Listener<>() { };
  }

  /** One listener that forwards every event to each of {@code listeners}, in order. */
  @SafeVarargs
  static <M> Listener<M> all(Listener<? super M>... listeners) {
    List<Listener<? super M>> list = List.of(listeners);
    return new Listener<>() {
      @Override
      public void started(Ensemble net, EnsembleTrainer trainer) {
        list.forEach(l -> l.started(net, trainer));
      }

      @Override
      public void stepDone(int epoch, int step, int steps) {
        list.forEach(l -> l.stepDone(epoch, step, steps));
      }

      @Override
      public void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport<? extends M> report) {
        list.forEach(l -> l.epochDone(net, trainer, report));
      }

      @Override
      public void progress(String phase, long done, long total) {
        list.forEach(l -> l.progress(phase, done, total));
      }
    };
  }
}
