package org.nnstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/**
 * Every activation trains end to end through the library ({@link NetworkSpec#of}, {@link Ensemble},
 * {@link EnsembleTrainer}): on a small separable problem the training loss of every model falls well below
 * its start, and a second run gives bit-identical weights.
 */
class ActivationTrainingTest {
  private static final int[] WIDTHS = {6, 16, 16, 3};
  private static final int N = 96;

  @Test
  void everyActivationTrainsAndIsDeterministic() {
    SplittableRandom rng = new SplittableRandom(42);
    float[] x = new float[N * WIDTHS[0]];
    int[] labels = new int[N];
    for (int r = 0; r < N; r++) {
      labels[r] = r % 3;
      for (int i = 0; i < WIDTHS[0]; i++) {
        // class c has mean +1 on inputs c and c + 3, noise 0.3
        double mean = (i % 3 == labels[r]) ? 1 : 0;
        x[r * WIDTHS[0] + i] = (float) (mean + 0.3 * (2 * rng.nextDouble() - 1));
      }
    }
    int[] order = new int[N];
    for (int i = 0; i < N; i++) {
      order[i] = i;
    }
    for (Activation phi : Activation.values()) {
      float[][] first = train(phi, x, labels, order, true);
      float[][] again = train(phi, x, labels, order, false);
      for (int l = 0; l < first.length; l++) {
        assertArrayEquals(first[l], again[l], phi + ": a second run is bit-identical, layer " + l);
      }
    }
  }

  /** Trains 2 models for 40 epochs; checks the loss drop when {@code check}; returns model 1's weights. */
  private static float[][] train(Activation phi, float[] x, int[] labels, int[] order, boolean check) {
    NetworkSpec spec = NetworkSpec.of(WIDTHS, phi);
    List<ModelInit> inits = List.of(new ModelInit(1.0, 0.05, 3), new ModelInit(1.5, 0.05, 4));
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, spec, inits);
         EnsembleTrainer trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.05f, 0.8f, 16))) {
      double[] start = trainer.evaluate(x, labels, N).loss();
      for (int e = 0; e < 40; e++) {
        trainer.trainEpoch(x, labels, order, null);
      }
      double[] end = trainer.evaluate(x, labels, N).loss();
      if (check) {
        for (int k = 0; k < start.length; k++) {
          assertTrue(Double.isFinite(end[k]) && end[k] < 0.8 * start[k],
              phi + " model " + k + ": loss " + start[k] + " -> " + end[k]);
        }
      }
      float[][] w = new float[spec.depth()][];
      for (int l = 0; l < spec.depth(); l++) {
        w[l] = net.weights(1, l);
      }
      return w;
    }
  }
}
