package org.nnstm.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.data.LabelledImages;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/** The one epoch loop: its events in order, the initial report, early stop, and same seed same numbers. */
class EpochLoopTest {
  static LabelledImages data(int n, int n0, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] images = new float[n * n0];
    int[] labels = new int[n];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(3);
    }
    return new LabelledImages(images, labels);
  }

  /** Records every event as a line. */
  static final class Recorder implements Listener<String> {
    final List<String> events = new ArrayList<>();

    @Override
    public void started(Ensemble net, EnsembleTrainer trainer) {
      events.add("started " + net.size());
    }

    @Override
    public void stepDone(int epoch, int step, int steps) {
      events.add("step " + epoch + " " + step + "/" + steps);
    }

    @Override
    public void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport<? extends String> r) {
      events.add("epoch " + r.epoch() + " " + r.train() + " " + r.validation());
    }
  }

  @Test
  void eventsInOrderWithTheInitialReportAndAnEarlyStop() {
    LabelledImages d = data(20, 6, 1);
    NetworkSpec spec = NetworkSpec.tanh(6, 5, 3);
    try (Backend b = Backends.cpu(1); Ensemble net = new Ensemble(b, spec, ModelInit.grid(new double[] {1.5}, 0.05, 0, 2));
         EnsembleTrainer t = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.01f, 0f, 8))) {
      Recorder rec = new Recorder();
      Recorder second = new Recorder();
      int[] evaluated = new int[1];
      EpochLoop.run(net, t, d, new EpochLoop.Schedule(5, true, 3, true), new EpochLoop.Evaluator<String>() {
        @Override
        public String train(int epoch, EnsembleTrainer.Stats duringEpoch) {
          assertEquals(epoch == 0, duringEpoch == null, "stats of the epoch's steps, none before training");
          evaluated[0]++;
          return "t" + epoch;
        }

        @Override
        public String validation(int epoch) {
          return "v" + epoch;
        }

        @Override
        public boolean finished() {
          return evaluated[0] == 3; // after epoch 2
        }
      }, Listener.all(rec, second));
      assertEquals(List.of("started 2", "epoch 0 t0 v0", "step 1 1/3", "step 1 2/3", "step 1 3/3", "epoch 1 t1 v1",
          "step 2 1/3", "step 2 2/3", "step 2 3/3", "epoch 2 t2 v2"), rec.events);
      assertEquals(rec.events, second.events, "all() forwards every event to each listener");
    }
  }

  @Test
  void softmaxTrainingReportsTheEpochsStatsAndIsDeterministic() {
    LabelledImages train = data(40, 6, 2);
    LabelledImages val = data(10, 6, 3);
    double[][] first = null;
    for (int rep = 0; rep < 2; rep++) {
      List<EpochReport<? extends EnsembleTrainer.Stats>> reports = new ArrayList<>();
      try (Backend b = Backends.cpu(1);
           Ensemble net = new Ensemble(b, NetworkSpec.tanh(6, 5, 3), ModelInit.grid(new double[] {1.0, 2.0}, 0.05, 7, 1))) {
        TrainingRun.train(net, new EnsembleTrainer.Config(0.05f, 0.5f, 8), 2, true, 11, train, val,
            new Listener<EnsembleTrainer.Stats>() {
              @Override
              public void epochDone(Ensemble n, EnsembleTrainer t, EpochReport<? extends EnsembleTrainer.Stats> r) {
                reports.add(r);
              }
            });
      }
      assertEquals(2, reports.size());
      assertEquals(2, reports.get(1).epoch());
      double[][] now = {reports.get(0).train().loss(), reports.get(1).validation().loss(),
          reports.get(1).validation().accuracy()};
      assertNotEquals(now[0][0], now[0][1], "two models, two losses");
      if (first != null) {
        for (int i = 0; i < now.length; i++) {
          assertArrayEquals(first[i], now[i], "same seed, same numbers");
        }
      }
      first = now;
    }
  }

  @Test
  void noEvaluationReportsNullsAndSchedulesNeedAnEpoch() {
    EpochLoop.Evaluator<Object> none = EpochLoop.noEvaluation();
    assertNull(none.train(1, null));
    assertNull(none.validation(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EpochLoop.Schedule(0, false, 0, false));
    assertTrue(e.getMessage().startsWith("epochs must be >= 1"), e.getMessage());
    Listener<Object> n = Listener.none();
    assertSame(n.getClass(), Listener.none().getClass());
  }

  @Test
  void passesSplitTheModelsAndModelsPerPassFollowsTheBudget() {
    assertEquals(List.of(new RunMemory.Pass(0, 3), new RunMemory.Pass(3, 6), new RunMemory.Pass(6, 7)),
        RunMemory.passes(7, 3));
    assertEquals(List.of(), RunMemory.passes(0, 3));
    assertThrows(IllegalArgumentException.class, () -> RunMemory.passes(5, 0));
    NetworkSpec spec = NetworkSpec.tanh(784, 784, 400, 10);
    // per model: 8 P for parameters and velocities, 4 B (2 sum n_l + 2 max n_l) for activations and gradients,
    // 4 (4 B) 3 max n_l for the evaluation's buffers (the inputs, shared by the pass, are not per model)
    long perModel = 8L * spec.parameterCount() + 4L * 64 * (2L * (784 + 400 + 10) + 2L * 784)
        + 4L * EnsembleTrainer.EVAL_BATCHES * 64 * 3 * 784;
    assertEquals((int) ((1L << 30) / perModel), RunMemory.modelsPerPass(spec, 64, 1.0, 1_000_000));
    assertEquals(5, RunMemory.modelsPerPass(spec, 64, 1.0, 5), "at most the models there are");
    assertEquals(1, RunMemory.modelsPerPass(spec, 64, 1e-9, 5), "at least one");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunMemory.modelsPerPass(spec, 64, 0, 5));
    assertTrue(e.getMessage().startsWith("memory budget must be finite and > 0"), e.getMessage());
  }
}
