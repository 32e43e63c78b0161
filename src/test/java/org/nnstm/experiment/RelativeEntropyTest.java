package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.io.Hdf5;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Philox;
import org.nnstm.testing.Tolerance;

/**
 * RelativeEntropy's three forms: the backend Monte Carlo against a plain double-precision twin on the
 * same samples, the kl form against closed-form Gaussian KL values, and {@code analyze kl} end to end.
 */
class RelativeEntropyTest {
  private static final int[] WIDTHS = {5, 5, 3, 4};
  private static final int SAMPLES = 257;

  private static float[][][] network(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] pre = new float[WIDTHS.length][];
    float[][] w = new float[WIDTHS.length][];
    float[][] b = new float[WIDTHS.length][];
    for (int m = 0; m < WIDTHS.length; m++) {
      pre[m] = new float[WIDTHS[m]];
      for (int i = 0; i < WIDTHS[m]; i++) {
        pre[m][i] = (float) (rng.nextGaussian() * (1 + m) + 0.1 * m);
      }
      b[m] = new float[WIDTHS[m]];
      for (int i = 0; i < WIDTHS[m]; i++) {
        b[m][i] = (float) (0.2 * rng.nextGaussian());
      }
      w[m] = new float[m == 0 ? 0 : WIDTHS[m] * WIDTHS[m - 1]];
      for (int i = 0; i < w[m].length; i++) {
        w[m][i] = (float) (rng.nextGaussian() / Math.sqrt(WIDTHS[m - 1]) * 1.5);
      }
    }
    return new float[][][] {pre, w, b};
  }

  /** The propagated samples z^m_s in double precision from the same z^0 draws as the backend. */
  private static double[][][] twinSamples(float[][] pre, float[][] w, float[][] b, long seed) {
    double[] mv0 = RelativeEntropy.meanVariance(pre[0]);
    double[][][] z = new double[WIDTHS.length][SAMPLES][];
    double[][] y = new double[SAMPLES][];
    for (int s = 0; s < SAMPLES; s++) {
      y[s] = new double[WIDTHS[0]];
      for (int i = 0; i < WIDTHS[0]; i++) {
        float g = (float) ((float) Math.sqrt(mv0[1]) * Philox.gaussian(seed, 0, (long) s * WIDTHS[0] + i));
        y[s][i] = Math.tanh(g + (float) mv0[0]);
      }
    }
    for (int m = 1; m < WIDTHS.length; m++) {
      double[][] next = new double[SAMPLES][WIDTHS[m]];
      for (int s = 0; s < SAMPLES; s++) {
        z[m][s] = new double[WIDTHS[m]];
        for (int o = 0; o < WIDTHS[m]; o++) {
          double v = b[m][o];
          for (int i = 0; i < WIDTHS[m - 1]; i++) {
            v += w[m][o * WIDTHS[m - 1] + i] * y[s][i];
          }
          z[m][s][o] = v;
          next[s][o] = Math.tanh(v);
        }
      }
      y = next;
    }
    return z;
  }

  @Test
  void everyFormMatchesDoubleTwin() {
    float[][][] net = network(11);
    float[][] pre = net[0];
    double[][][] z = twinSamples(net[0], net[1], net[2], 5);
    double[] mv0 = RelativeEntropy.meanVariance(pre[0]);
    double h0 = 0.5 * WIDTHS[0] * Math.log(2 * Math.PI * Math.E * mv0[1]);
    try (Backend be = Backends.cpu(1)) {
      for (RelativeEntropy.Form form : RelativeEntropy.Form.values()) {
        RelativeEntropy.Result r = RelativeEntropy.acrossDepth(be, form, pre, net[1], net[2], SAMPLES, 5);
        assertEquals(0.0, r.value()[0]);
        for (int m = 1; m < WIDTHS.length; m++) {
          double[] mv = RelativeEntropy.meanVariance(pre[m]);
          int n = WIDTHS[m];
          double q = 0;
          double[] a = new double[n];
          double[] s2 = new double[n];
          for (double[] zs : z[m]) {
            for (int i = 0; i < n; i++) {
              q += (zs[i] - mv[0]) * (zs[i] - mv[0]);
              a[i] += zs[i] / SAMPLES;
            }
          }
          q /= SAMPLES;
          for (double[] zs : z[m]) {
            for (int i = 0; i < n; i++) {
              s2[i] += (zs[i] - a[i]) * (zs[i] - a[i]) / SAMPLES;
            }
          }
          double base = -h0 + 0.5 * n * Math.log(2 * Math.PI * mv[1]);
          double expected = switch (form) {
            case CURRENT -> base + q / (2 * mv[1]);
            case Y2021 -> base + q / (2 * mv0[1]);
            case KL -> {
              double kl = 0;
              for (int i = 0; i < n; i++) {
                kl += 0.5 * ((s2[i] + (a[i] - mv[0]) * (a[i] - mv[0])) / mv[1] - 1 - Math.log(s2[i] / mv[1]));
              }
              yield kl;
            }
          };
          Tolerance.assertClose(form + " D_" + m, expected, r.value()[m], 1e-4, Tolerance.FLOAT_SUM_RTOL);
          assertTrue(r.standardError()[m] > 0, form + " SE_" + m);
          if (form == RelativeEntropy.Form.KL) {
            assertTrue(r.value()[m] >= 0, "kl D_" + m + " = " + r.value()[m]);
            // kl = current - (entropy of the propagated fit) + (reference entropy): the identity in the javadoc
            double hFit = 0;
            for (int i = 0; i < n; i++) {
              hFit += 0.5 * Math.log(2 * Math.PI * Math.E * s2[i]);
            }
            Tolerance.assertClose("kl identity " + m, base + q / (2 * mv[1]) + h0 - hFit, r.value()[m], 1e-4,
                Tolerance.FLOAT_SUM_RTOL);
          }
        }
      }
      assertThrows(IllegalArgumentException.class,
          () -> RelativeEntropy.acrossDepth(be, RelativeEntropy.Form.CURRENT, pre, net[1], net[2], 1, 5));
    }
  }

  /** The current form's SE against the scatter of D_m over independent Monte Carlo seeds. */
  @Test
  void standardErrorMatchesScatterOverSeeds() {
    float[][][] net = network(3);
    int seeds = 40;
    try (Backend be = Backends.cpu(1)) {
      for (RelativeEntropy.Form form : RelativeEntropy.Form.values()) {
        double[] sum = new double[WIDTHS.length];
        double[] sum2 = new double[WIDTHS.length];
        double[] se2 = new double[WIDTHS.length];
        for (int k = 0; k < seeds; k++) {
          RelativeEntropy.Result r = RelativeEntropy.acrossDepth(be, form, net[0], net[1], net[2], SAMPLES, 100 + k);
          for (int m = 1; m < WIDTHS.length; m++) {
            sum[m] += r.value()[m];
            sum2[m] += r.value()[m] * r.value()[m];
            se2[m] += r.standardError()[m] * r.standardError()[m] / seeds;
          }
        }
        for (int m = 1; m < WIDTHS.length; m++) {
          double mean = sum[m] / seeds;
          double sd = Math.sqrt((sum2[m] / seeds - mean * mean) * seeds / (seeds - 1));
          double ratio = sd / Math.sqrt(se2[m]);
          // with 40 seeds the sample sd has a relative error of about 1/sqrt(2*39) = 11%: accept 0.6..1.5
          assertTrue(ratio > 0.6 && ratio < 1.5, form + " layer " + m + ": scatter " + sd + " vs SE "
              + Math.sqrt(se2[m]));
        }
      }
    }
  }

  @Test
  void diagonalGaussianKlEqualsClosedForms() {
    // KL(N(0,1) || N(1,2)) = (1/2)(1/2 + 1/2 - 1 - ln(1/2)) = ln(2)/2
    Tolerance.assertClose("1-d", Math.log(2) / 2,
        RelativeEntropy.diagonalGaussianKl(new double[] {0}, new double[] {1}, 1, 2), 0, 1e-15);
    // identical Gaussians: 0
    assertEquals(0.0, RelativeEntropy.diagonalGaussianKl(new double[] {0.3, 0.3}, new double[] {2, 2}, 0.3, 2));
    // independent coordinates add: KL(N(2,3)) + KL(N(-1,0.5)) against N(0.5, 1.5), each from the scalar formula
    double k1 = 0.5 * (3 / 1.5 + 1.5 * 1.5 / 1.5 - 1 - Math.log(3 / 1.5));
    double k2 = 0.5 * (0.5 / 1.5 + 1.5 * 1.5 / 1.5 - 1 - Math.log(0.5 / 1.5));
    Tolerance.assertClose("2-d", k1 + k2,
        RelativeEntropy.diagonalGaussianKl(new double[] {2, -1}, new double[] {3, 0.5}, 0.5, 1.5), 0, 1e-15);
    // against the general formula (1/2)[tr(S1^-1 S0) + (m1-m0)^T S1^-1 (m1-m0) - k + ln(det S1 / det S0)]
    SplittableRandom rng = new SplittableRandom(7);
    for (int t = 0; t < 20; t++) {
      int k = 1 + rng.nextInt(6);
      double[] a = new double[k];
      double[] s2 = new double[k];
      double mu = rng.nextGaussian();
      double sigma2 = 0.1 + 3 * rng.nextDouble();
      double tr = 0;
      double quad = 0;
      double logDet1 = k * Math.log(sigma2);
      double logDet0 = 0;
      for (int i = 0; i < k; i++) {
        a[i] = rng.nextGaussian() * 2;
        s2[i] = 0.05 + 4 * rng.nextDouble();
        tr += s2[i] / sigma2;
        quad += (a[i] - mu) * (a[i] - mu) / sigma2;
        logDet0 += Math.log(s2[i]);
      }
      double expected = 0.5 * (tr + quad - k + logDet1 - logDet0);
      double got = RelativeEntropy.diagonalGaussianKl(a, s2, mu, sigma2);
      Tolerance.assertClose("random " + t, expected, got, 1e-14, 1e-12);
      assertTrue(got >= 0);
    }
    assertEquals(Double.POSITIVE_INFINITY,
        RelativeEntropy.diagonalGaussianKl(new double[] {0}, new double[] {0}, 0, 1));
  }

  @Test
  void analyzeKlWritesEachFormAndLeavesNothingOnFailure(@TempDir Path dir) throws Exception {
    String data = org.nnstm.cli.TestData.mnist().toString();
    assertEquals(0, GridResumeTest.quiet("train", "--backend", "cpu", "--data", data, "--widths", "784,64,48,10",
        "--var-w", "1.0,2.0", "--epochs", "3", "--train-limit", "500", "--params", "--hooks", "--every-epoch",
        "--out", dir.toString()));
    // --every-epoch: e0, e1 and e2 (after 0-based epochs 0..E-1)
    for (String f : new String[] {"init-para-100-3.hdf5", "init-hooks-100-3.hdf5", "e0-para-100-3.hdf5",
        "e0-hooks-100-3.hdf5", "e1-para-200-3.hdf5", "e1-hooks-200-3.hdf5", "e2-hooks-200-3.hdf5"}) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    for (String form : new String[] {"current", "2021", "kl"}) {
      assertEquals(0, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
          "1.0,2.0", "--depth", "3", "--samples", "200", "--form", form));
      for (String f : new String[] {"KL-100-3-pre-", "KL-100-3-post-", "KL-200-3-pre-", "KL-200-3-post-"}) {
        Path p = dir.resolve(f + form + ".hdf5");
        Map<String, Object> h = Hdf5.read(p);
        double[] kl = Hdf5.vector(h, "KL", p);
        double[] se = Hdf5.vector(h, "KL_se", p);
        assertEquals(3, kl.length, f);
        assertEquals(3, se.length, f);
        assertEquals(0.0, kl[0], f);
        assertEquals(f.contains("pre") ? -1.0 : 2.0, Hdf5.number(h, "epoch", p), f);
        for (int m = 1; m < 3; m++) {
          assertTrue(Double.isFinite(kl[m]) && se[m] > 0, f + form + " layer " + m);
          if (form.equals("kl")) {
            assertTrue(kl[m] >= 0, f + " layer " + m + ": " + kl[m]);
          }
        }
      }
      assertTrue(Files.size(dir.resolve("kl-" + form + "-3.png")) > 1000);
    }
    // --before e0 reads the e0 files
    assertEquals(0, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
        "1.0", "--depth", "3", "--samples", "200", "--before", "e0"));
    Path pre = dir.resolve("KL-100-3-pre-current.hdf5");
    assertEquals(0.0, Hdf5.number(Hdf5.read(pre), "epoch", pre));

    // a layer that fails (zero variance in the last trained hooks of sigma_w^2 = 2.0, computed after 1.0's):
    // nothing written
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("KL-")
          && !f.getFileName().toString().startsWith("kl-")).toList()) {
        Files.copy(f, broken.resolve(f.getFileName()));
      }
    }
    Path hooks = broken.resolve("e2-hooks-200-3.hdf5");
    Map<String, Object> h = Hdf5.read(hooks);
    float[][] in2 = Hdf5.matrix(h, "in-1", hooks);
    for (float[] row : in2) {
      java.util.Arrays.fill(row, 0.25f);
    }
    h.put("in-1", in2);
    Hdf5.write(hooks, h);
    List<Path> before = listing(broken);
    assertEquals(2, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", broken.toString(), "--var-w",
        "1.0,2.0", "--depth", "3", "--samples", "50"));
    assertEquals(before, listing(broken));
    assertEquals(2, GridResumeTest.quiet("analyze", "kl", "--dir", dir.toString(), "--var-w", "3.0", "--depth", "3"));
    assertEquals(2, GridResumeTest.quiet("analyze", "kl", "--dir", dir.toString(), "--var-w", "1.0", "--depth", "3",
        "--form", "2022"));
  }

  private static List<Path> listing(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
