package org.nnstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/** Deep linear networks without biases and per-layer weight variances (the prior module's networks). */
class LinearNetworkTest {

  @Test
  void perLayerVariancesScaleEachLayer() {
    double[] var = {0.5, 2.0, 1.3};
    int[] widths = {300, 200, 100, 7};
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, NetworkSpec.linear(widths), List.of(ModelInit.perLayer(var, 4)))) {
      for (int l = 0; l < 3; l++) {
        float[] w = net.weights(0, l);
        double s2 = 0;
        for (float v : w) {
          s2 += (double) v * v;
        }
        // E[W^2] = var_l / n_l; the estimate's relative standard error is sqrt(2 / count) <= 0.02, test at 5 s.e.
        double ratio = s2 / w.length / (var[l] / widths[l]);
        assertEquals(1.0, ratio, 5 * Math.sqrt(2.0 / w.length), "layer " + l);
        assertArrayEquals(new float[widths[l + 1]], net.biases(0, l), "layer " + l + " biases are zero");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> ModelInit.perLayer(new double[] {1.0, -1.0}, 1));
  }

  @Test
  void noBiasTrainingKeepsBiasesZeroAndWeightsMatchTheBiasedNetworkAfterOneStep() {
    int[] widths = {6, 5, 4};
    SplittableRandom rng = new SplittableRandom(2);
    float[] x = new float[4 * widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    int[] labels = {0, 3, 1, 2};
    NetworkSpec noBias = NetworkSpec.linear(widths);
    NetworkSpec withBias = new NetworkSpec(widths, noBias.hidden(), noBias.output(), true);
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(0.1f, 0f, 4);
    ModelInit init = new ModelInit(1.2, 0.0, 8);
    try (Backend backend = Backends.cpu(1);
         Ensemble a = new Ensemble(backend, noBias, List.of(init));
         Ensemble b = new Ensemble(backend, withBias, List.of(init));
         EnsembleTrainer ta = new EnsembleTrainer(a, cfg);
         EnsembleTrainer tb = new EnsembleTrainer(b, cfg)) {
      ta.trainEpoch(x, labels, new int[] {0, 1, 2, 3}, null);
      tb.trainEpoch(x, labels, new int[] {0, 1, 2, 3}, null);
      for (int l = 0; l < 2; l++) {
        // one step from identical weights and zero biases: the weight gradients are the same
        assertArrayEquals(b.weights(0, l), a.weights(0, l), "layer " + l + " weights");
        assertArrayEquals(new float[widths[l + 1]], a.biases(0, l), "layer " + l + " biases stay zero");
      }
      float[] trainedBias = b.biases(0, 1);
      double norm = 0;
      for (float v : trainedBias) {
        norm += Math.abs(v);
      }
      assertEquals(true, norm > 0, "the biased twin does move its biases (the check can fail)");
    }
  }
}
