package org.nnstm.experiment;

import org.nnstm.run.Listener;
import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.prior.Divergences;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

class PriorComparisonTest {
  private static final int[] WIDTHS = {20, 12, 3};
  private static final double[] VAR = {1.2};

  @Test
  void sampledEnsembleApproachesTheExactPriorAndChunkingChangesNothing() {
    float[] x = input();
    PriorComparison.Plan chunked = plan(x, 3000, 700, 0, 0, null);
    PriorComparison.Plan onePass = plan(x, 3000, 3000, 0, 0, null);
    try (Backend backend = Backends.cpu(1)) {
      PriorComparison.Result a = PriorComparison.run(backend, chunked, null, Listener.none());
      PriorComparison.Result b = PriorComparison.run(backend, onePass, null, Listener.none());
      for (int k = 0; k < 3000; k++) {
        assertArrayEquals(b.prior()[k], a.prior()[k], "network " + k);
      }
      for (PriorComparison.Comparison c : List.of(a.radial(), a.marginal())) {
        assertEquals(1.0, Divergences.trapezoid(c.grid(), c.exact()), 1e-6, c.kind() + " exact density integrates to 1");
        List<PriorComparison.Curve> curves = c.curves();
        assertEquals(List.of(100, 1000, 3000), curves.stream().map(PriorComparison.Curve::networks).toList());
        double js100 = curves.get(0).jsDistance();
        double jsAll = curves.get(2).jsDistance();
        // KDE error shrinks like M^(-2/5): 3000 networks sit well inside 100's distance
        assertTrue(jsAll < 0.6 * js100, c.kind() + ": JS " + jsAll + " vs " + js100 + " at M = 100");
        assertTrue(jsAll < 0.05, c.kind() + ": JS " + jsAll + " at M = 3000");
      }
    }
  }

  @Test
  void trainedEnsembleMovesAwayAndBetaZeroLangevinStaysAtThePrior() {
    float[] x = input();
    SplittableRandom rng = new SplittableRandom(4);
    int n = 64;
    float[] images = new float[n * WIDTHS[0]];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(3);
      for (int j = 0; j < WIDTHS[0]; j++) {
        images[i * WIDTHS[0] + j] = (float) (rng.nextDouble() + (j % 3 == labels[i] ? 1.0 : 0.0));
      }
    }
    PriorComparison.Plan p = plan(x, 1500, 500, 1500, 20, 0.0);
    try (Backend backend = Backends.cpu(1)) {
      PriorComparison.Result r = PriorComparison.run(backend, p, new LabelledImages(images, labels),
          Listener.none());
      List<PriorComparison.Curve> c = r.radial().curves();
      assertEquals(1500, c.get(2).networks());
      double prior = c.get(2).jsDistance();
      assertEquals("trained", c.get(3).ensemble());
      assertEquals("langevin", c.get(4).ensemble());
      double trained = c.get(3).jsDistance();
      double langevin = c.get(4).jsDistance();
      assertTrue(trained > 3 * prior, "trained ensemble JS " + trained + " vs prior sample " + prior);
      assertTrue(langevin < 2 * prior + 0.01, "beta = 0 Langevin JS " + langevin + " vs prior sample " + prior);
      double meanAcc = 0;
      for (double a : r.trainAccuracy()) {
        meanAcc += a / r.trainAccuracy().length;
      }
      assertTrue(meanAcc > 0.6, "training on separable data learns: " + meanAcc);
    }
  }

  @Test
  void prefixSizesAndBadPlans() {
    assertArrayEquals(new int[] {100, 1000, 10000}, PriorComparison.prefixSizes(10000));
    assertArrayEquals(new int[] {50}, PriorComparison.prefixSizes(50));
    assertArrayEquals(new int[] {100, 250}, PriorComparison.prefixSizes(250));
    float[] x = input();
    assertThrows(IllegalArgumentException.class, () -> plan(x, 1, 1, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> plan(new float[3], 10, 1, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> plan(x, 10, 5, 20, 1, null));
    assertThrows(IllegalArgumentException.class, () -> plan(x, 10, 5, 5, 0, null));
  }

  private static PriorComparison.Plan plan(float[] x, int m, int perPass, int train, int epochs, Double beta) {
    return new PriorComparison.Plan(WIDTHS, VAR, x, m, 7, perPass, train, epochs,
        new EnsembleTrainer.Config(0.05f, 0f, 16), beta, 25, 1.0);
  }

  private static float[] input() {
    SplittableRandom rng = new SplittableRandom(1);
    float[] x = new float[WIDTHS[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    return x;
  }
}
