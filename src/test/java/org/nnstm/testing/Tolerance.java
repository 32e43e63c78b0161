package org.nnstm.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one tolerance rule of the test suite: |actual - expected| <= atol + rtol * |expected|, with the
 * named constants below. Float constants cover float32 kernels compared with double twins; double
 * constants cover double-precision numerics.
 */
public final class Tolerance {
  private Tolerance() {}

  /** Float32 op vs double twin, one rounding step or a short sum. */
  public static final double FLOAT_RTOL = 1e-5;
  public static final double FLOAT_ATOL = 1e-6;
  /** Float32 reductions over up to ~10^4 terms (GEMM inner products): error grows like sqrt(n) eps. */
  public static final double FLOAT_SUM_RTOL = 1e-4;
  public static final double FLOAT_SUM_ATOL = 1e-5;
  /** Double-precision numerics against 17-digit references. */
  public static final double DOUBLE_RTOL = 1e-12;
  public static final double DOUBLE_ATOL = 1e-300;

  public static boolean close(double actual, double expected, double atol, double rtol) {
    return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  }

  /** Fails with index and values when any element breaks the rule. */
  public static void assertClose(String what, double[] expected, double[] actual, double atol, double rtol) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + " != expected " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!close(actual[i], expected[i], atol, rtol) || Double.isNaN(actual[i]) != Double.isNaN(expected[i])) {
        fail(String.format("%s: element %d: actual %.9g, expected %.9g (atol %.1e, rtol %.1e)",
            what, i, actual[i], expected[i], atol, rtol));
      }
    }
  }

  public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
    double[] a = new double[actual.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    assertClose(what, expected, a, atol, rtol);
  }

  public static void assertClose(String what, double expected, double actual, double atol, double rtol) {
    assertClose(what, new double[] {expected}, new double[] {actual}, atol, rtol);
  }
}
