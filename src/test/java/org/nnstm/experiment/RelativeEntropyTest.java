package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/** The backend Monte Carlo of RelativeEntropy against a plain double-precision twin on the same samples. */
class RelativeEntropyTest {
  @Test
  void matchesDoubleTwin() {
    int[] widths = {5, 5, 3, 4};
    int samples = 257;
    SplittableRandom rng = new SplittableRandom(11);
    float[][] pre = new float[widths.length][];
    float[][] w = new float[widths.length][];
    float[][] b = new float[widths.length][];
    for (int m = 0; m < widths.length; m++) {
      pre[m] = new float[widths[m]];
      for (int i = 0; i < widths[m]; i++) {
        pre[m][i] = (float) (rng.nextGaussian() * (1 + m) + 0.1 * m);
      }
      b[m] = new float[widths[m]];
      for (int i = 0; i < widths[m]; i++) {
        b[m][i] = (float) (0.2 * rng.nextGaussian());
      }
      w[m] = new float[m == 0 ? 0 : widths[m] * widths[m - 1]];
      for (int i = 0; i < w[m].length; i++) {
        w[m][i] = (float) (rng.nextGaussian() / Math.sqrt(widths[m - 1]) * 1.5);
      }
    }
    try (Backend be = Backends.cpu(1)) {
      double[] kl = RelativeEntropy.klAcrossDepth(be, pre, w, b, samples, 5);
      // twin: the same z^0 samples (Philox stream 0 of seed 5, std sigma_0, shifted by mu_0), then double math
      double[] mv0 = RelativeEntropy.meanVariance(pre[0]);
      double[][] y = new double[samples][];
      for (int s = 0; s < samples; s++) {
        y[s] = new double[widths[0]];
        for (int i = 0; i < widths[0]; i++) {
          float z = (float) ((float) Math.sqrt(mv0[1]) * org.nnstm.tensor.Philox.gaussian(5, 0, (long) s * widths[0] + i));
          y[s][i] = Math.tanh(z + (float) mv0[0]);
        }
      }
      double h0 = 0.5 * widths[0] * Math.log(2 * Math.PI * Math.E * mv0[1]);
      assertEquals(0.0, kl[0]);
      for (int m = 1; m < widths.length; m++) {
        double[] mv = RelativeEntropy.meanVariance(pre[m]);
        double q = 0;
        double[][] next = new double[samples][widths[m]];
        for (int s = 0; s < samples; s++) {
          for (int o = 0; o < widths[m]; o++) {
            double z = b[m][o];
            for (int i = 0; i < widths[m - 1]; i++) {
              z += w[m][o * widths[m - 1] + i] * y[s][i];
            }
            q += (z - mv[0]) * (z - mv[0]);
            next[s][o] = Math.tanh(z);
          }
        }
        q /= samples;
        double expected = -h0 + 0.5 * widths[m] * Math.log(2 * Math.PI * mv[1]) + q / (2 * mv0[1]);
        Tolerance.assertClose("D_" + m, expected, kl[m], 1e-4, Tolerance.FLOAT_SUM_RTOL);
        y = next;
      }
      assertThrows(IllegalArgumentException.class, () -> RelativeEntropy.klAcrossDepth(be, pre, w, b, 1, 5));
    }
  }

  @Test
  void analyzeKlWritesTheReferenceLayout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String data = org.nnstm.cli.TestData.mnist().toString();
    assertEquals(0, GridResumeTest.quiet("train", "--backend", "cpu", "--data", data, "--depth", "4", "--var-w",
        "1.0,2.0", "--epochs", "1", "--train-limit", "500", "--params", "--hooks", "--out", dir.toString()));
    assertEquals(0, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
        "1.0,2.0", "--depth", "4", "--samples", "200"));
    for (String f : new String[] {"KL-100-4-pre.hdf5", "KL-100-4-post.hdf5", "KL-200-4-pre.hdf5", "KL-200-4-post.hdf5"}) {
      java.util.Map<String, Object> h = org.nnstm.io.Hdf5.read(dir.resolve(f));
      double[] kl = org.nnstm.io.Hdf5.vector(h, "KL", dir.resolve(f));
      assertEquals(4, kl.length, f);
      assertEquals(0.0, kl[0], f);
      assertEquals(4.0, org.nnstm.io.Hdf5.number(h, "depth", dir.resolve(f)));
    }
    assertEquals(true, java.nio.file.Files.size(dir.resolve("kl-4.png")) > 1000);
    assertEquals(2, GridResumeTest.quiet("analyze", "kl", "--dir", dir.toString(), "--var-w", "3.0", "--depth", "4"));
  }
}
