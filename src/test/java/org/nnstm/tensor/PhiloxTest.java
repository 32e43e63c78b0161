package org.nnstm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Philox4x32-10 against the Random123 known-answer vectors (kat_vectors, lines "philox4x32 10"), the
 * portable ln/cos/sin against java.lang.Math, and the Gaussians' distribution.
 */
class PhiloxTest {

  private static int[] block(int[] ctr, int[] key) {
    int[] out = new int[4];
    Philox.block(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1], out);
    return out;
  }

  @Test
  void random123KnownAnswers() {
    assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        block(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
    assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        block(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
    assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
        block(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0}));
  }

  /** Tolerance of the portable elementary functions: 4 ulp of the expected value (log), 4 ulp of 1 (cos, sin). */
  private static final double ULPS = 4;

  @Test
  void logMatchesMath() {
    Random rnd = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      // Box-Muller's u1 lies in [2^-33, 1); also cover a wide exponent range
      double x = i % 2 == 0 ? (rnd.nextInt() + 2147483648.5) / 4294967296.0
          : Math.scalb(1 + rnd.nextDouble(), rnd.nextInt(200) - 100);
      double e = Math.log(x);
      double a = Philox.log(x);
      assertTrue(Math.abs(a - e) <= ULPS * Math.ulp(e), "log(" + x + ") = " + a + ", Math.log " + e);
    }
    assertEquals(0.0, Philox.log(1.0));
    assertEquals(Math.log(0x1p-33), Philox.log(0x1p-33), ULPS * Math.ulp(Math.log(0x1p-33)));
  }

  @Test
  void cosAndSinOfTwoPiMatchMath() {
    Random rnd = new Random(12);
    double tol = ULPS * Math.ulp(1.0);
    for (int i = 0; i < 200_000; i++) {
      double u = i < 16 ? i / 16.0 : (rnd.nextInt() & 0xFFFFFFFFL) / 4294967296.0;
      double c = Math.cos(2 * Math.PI * u);
      double s = Math.sin(2 * Math.PI * u);
      assertEquals(c, Philox.cosTwoPi(u), tol, "cos(2 pi " + u + ")");
      assertEquals(s, Philox.sinTwoPi(u), tol, "sin(2 pi " + u + ")");
    }
  }

  @Test
  void bulkFillMatchesSingleDraws() {
    float[] out = new float[1003];
    Philox.fillGaussian(out, 2, 1000, 0.5, 77, 5, 3);
    for (int j = 0; j < 1000; j++) {
      assertEquals(Float.floatToRawIntBits((float) (0.5 * Philox.gaussian(77, 5, 3 + j))),
          Float.floatToRawIntBits(out[2 + j]), "draw " + j);
    }
  }

  /**
   * 10^5 draws: mean within 5 standard errors (5 / sqrt(n)), variance within 5 sqrt(2 / n) of 1, and the
   * Kolmogorov-Smirnov statistic below 1.63 / sqrt(n) (the 1% critical value).
   */
  @Test
  void gaussiansAreStandardNormal() {
    int n = 100_000;
    for (long[] ss : new long[][] {{1, 0}, {0xDEADBEEFCAFEL, 12345}}) {
      double[] x = new double[n];
      double sum = 0;
      double sum2 = 0;
      for (int i = 0; i < n; i++) {
        x[i] = Philox.gaussian(ss[0], ss[1], i);
        sum += x[i];
        sum2 += x[i] * x[i];
      }
      double mean = sum / n;
      double var = sum2 / n - mean * mean;
      assertTrue(Math.abs(mean) < 5 / Math.sqrt(n), "mean " + mean);
      assertTrue(Math.abs(var - 1) < 5 * Math.sqrt(2.0 / n), "variance " + var);
      Arrays.sort(x);
      double d = 0;
      for (int i = 0; i < n; i++) {
        double f = normalCdf(x[i]);
        d = Math.max(d, Math.max(f - (double) i / n, (i + 1.0) / n - f));
      }
      assertTrue(d < 1.63 / Math.sqrt(n), "KS statistic " + d);
    }
  }

  /** Phi(x) = erfc(-x / sqrt 2) / 2, erfc from Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
  private static double normalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.5 * z);
    double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
  }
}
