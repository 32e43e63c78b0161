package org.nnstm.cli;

import java.util.List;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.TrainingRun;

/** Fans a run's events out to several listeners, in order. */
final class Listeners implements TrainingRun.Listener {
  private final List<TrainingRun.Listener> all;

  private Listeners(List<TrainingRun.Listener> all) {
    this.all = all;
  }

  static TrainingRun.Listener of(TrainingRun.Listener... listeners) {
    return new Listeners(List.of(listeners));
  }

  @Override
  public void started(Ensemble net, EnsembleTrainer trainer) {
    all.forEach(l -> l.started(net, trainer));
  }

  @Override
  public void stepDone(int epoch, int step, int steps) {
    all.forEach(l -> l.stepDone(epoch, step, steps));
  }

  @Override
  public void epochDone(Ensemble net, EnsembleTrainer trainer, TrainingRun.EpochReport report) {
    all.forEach(l -> l.epochDone(net, trainer, report));
  }
}
