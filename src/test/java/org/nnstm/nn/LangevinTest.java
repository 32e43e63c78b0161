package org.nnstm.nn;

import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.prior.LinearNetworkPrior;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/** Langevin dynamics: beta = 0 relaxes to the exact prior, the data drift is the stated one, determinism. */
class LangevinTest {
  private static final int[] WIDTHS = {6, 5, 4, 3};
  private static final double[] VAR = {1.3, 0.8, 1.1};

  @Test
  void betaZeroRelaxesFromZeroWeightsToTheExactPrior() {
    int m = 2000;
    float[] x = input(WIDTHS[0], 1);
    double critical = 1.95 / Math.sqrt(m); // Kolmogorov-Smirnov, alpha = 0.001
    LinearNetworkPrior exact = new LinearNetworkPrior(WIDTHS, VAR, norm(x));
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(m, 0));
         Langevin lv = new Langevin(net, new Langevin.Config(0.0, 1.0, 4, 3))) {
      zeroWeights(backend, net);
      Data d = data(8, 5);
      lv.run(d.images, d.labels, 1, null);
      double early = ks(radii(net, x), exact);
      assertTrue(early > 5 * critical, "one step from zero is still far from the prior (KS " + early + ")");
      lv.run(d.images, d.labels, 29, null); // a^30 = e^-15 of the start remains
      double late = ks(radii(net, x), exact);
      assertTrue(late < critical, "after 30 steps KS " + late + " >= " + critical);
    }
  }

  @Test
  void dataDriftIsMinusOneMinusATimesPriorVarianceBetaNTimesTheBatchGradient() {
    Data d = data(12, 9);
    double beta = 0.7;
    double h = 0.3;
    int batch = 4;
    try (Backend backend = Backends.cpu(1);
         Ensemble cold = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(3, 10));
         Ensemble warm = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(3, 10));
         Ensemble ref = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(3, 10));
         Langevin a = new Langevin(cold, new Langevin.Config(0.0, h, batch, 5));
         Langevin b = new Langevin(warm, new Langevin.Config(beta, h, batch, 5));
         EnsembleTrainer t = new EnsembleTrainer(ref, new EnsembleTrainer.Config(1f, 0f, batch))) {
      a.run(d.images, d.labels, 1, null);
      b.run(d.images, d.labels, 1, null);
      t.gradients(d.images, d.labels, LabelledImages.order(12, true, 5, 0), 0, batch);
      double coef = 1 - Math.exp(-h / 2);
      for (int l = 0; l < WIDTHS.length - 1; l++) {
        GaussianLinear layer = ref.layer(l);
        int size = layer.in() * layer.out();
        for (int k = 0; k < 3; k++) {
          float[] g = new float[size];
          backend.download(layer.weightVelocity, (long) k * size, g, 0, size);
          float[] wa = cold.weights(k, l);
          float[] wb = warm.weights(k, l);
          double[] expected = new double[size];
          float[] got = new float[size];
          for (int i = 0; i < size; i++) {
            expected[i] = -coef * VAR[l] / layer.in() * beta * 12 * g[i];
            got[i] = wb[i] - wa[i];
          }
          Tolerance.assertClose("drift layer " + l + " model " + k, expected, got, 1e-6, 1e-3);
        }
      }
    }
  }

  @Test
  void deterministicAndIndependentOfHowModelsAreGrouped() {
    Data d = data(10, 2);
    Langevin.Config cfg = new Langevin.Config(2.0, 0.2, 3, 8);
    try (Backend backend = Backends.cpu(1);
         Ensemble many = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(3, 20));
         Ensemble alone = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(1, 22));
         Langevin a = new Langevin(many, cfg);
         Langevin b = new Langevin(alone, cfg)) {
      a.run(d.images, d.labels, 7, null);
      b.run(d.images, d.labels, 7, null);
      for (int l = 0; l < WIDTHS.length - 1; l++) {
        assertArrayEquals(many.weights(2, l), alone.weights(0, l), 1e-6f, "layer " + l);
      }
    }
  }

  @Test
  void rejectsBiasesAndBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new Langevin.Config(-1, 0.1, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> new Langevin.Config(1, 0, 4, 0));
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, NetworkSpec.tanh(WIDTHS), List.of(new ModelInit(1, 0, 1)))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Langevin(net, new Langevin.Config(1, 0.1, 4, 0)));
      assertTrue(e.getMessage().contains("without biases"), e.getMessage());
    }
  }

  /** An unstable step (beta N h far beyond the curvature) is named, with the step where it was seen. */
  @Test
  void divergenceIsNamedNotPassedOn() {
    Data d = data(12, 9);
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, NetworkSpec.linear(WIDTHS), models(2, 10));
         Langevin lv = new Langevin(net, new Langevin.Config(1e6, 1.0, 4, 5))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> lv.run(d.images, d.labels, 400, null));
      assertTrue(e.getMessage().startsWith("Langevin diverged: step h = 1.0 is unstable at beta = 1000000.0")
          && e.getMessage().contains("non-finite by step "), e.getMessage());
    }
  }

  private record Data(float[] images, int[] labels) {}

  private static Data data(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] images = new float[n * WIDTHS[0]];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(WIDTHS[WIDTHS.length - 1]);
    }
    return new Data(images, labels);
  }

  private static List<ModelInit> models(int m, long firstSeed) {
    List<ModelInit> list = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      list.add(ModelInit.perLayer(VAR, firstSeed + k));
    }
    return list;
  }

  private static float[] input(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  private static double norm(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  private static void zeroWeights(Backend backend, Ensemble net) {
    for (int l = 0; l < net.spec().depth(); l++) {
      backend.fill(net.layer(l).weight, 0, net.layer(l).weight.size(), 0f);
    }
  }

  private static double[] radii(Ensemble net, float[] x) {
    try (EnsembleTrainer t = new EnsembleTrainer(net, new EnsembleTrainer.Config(1f, 0f, 1))) {
      float[][][] z = t.preActivations(x, 1);
      double[] r = new double[z.length];
      for (int k = 0; k < z.length; k++) {
        r[k] = norm(z[k][z[k].length - 1]);
      }
      return r;
    }
  }

  /** sup |F_empirical - F_exact| over the sample points. */
  private static double ks(double[] r, LinearNetworkPrior exact) {
    double[] s = r.clone();
    Arrays.sort(s);
    double d = 0;
    for (int i = 0; i < s.length; i++) {
      double f = exact.radialCdf(s[i]);
      d = Math.max(d, Math.max(Math.abs(f - (double) i / s.length), Math.abs((double) (i + 1) / s.length - f)));
    }
    return d;
  }
}
