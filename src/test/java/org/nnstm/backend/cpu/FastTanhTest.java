package org.nnstm.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * FastTanh against Math.tanh (double) on a dense grid of [-20, 20]: every 251st float bit pattern
 * (covering subnormals to 20 at all scales) and 2^22 + 1 evenly spaced points. The bound is the
 * exhaustive maximum stated in FastTanh's javadoc (FastTanhErrorScan: 3.969e-7 absolute and relative),
 * rounded up to 4.0e-7.
 */
class FastTanhTest {
  private static final double MAX_ERROR = 4.0e-7;

  private static void check(float x) {
    double e = Math.tanh(x);
    float f = FastTanh.tanh(x);
    double abs = Math.abs(f - e);
    if (abs > MAX_ERROR || (e != 0 && abs / Math.abs(e) > MAX_ERROR) || (e == 0 && f != 0)) {
      throw new AssertionError("FastTanh.tanh(" + x + ") = " + f + ", Math.tanh = " + e
          + ", abs error " + abs + ", rel error " + abs / Math.abs(e));
    }
  }

  @Test
  void withinStatedErrorOnDenseGrid() {
    int top = Float.floatToRawIntBits(20f);
    for (int bits = 0; bits <= top; bits += 251) {
      check(Float.intBitsToFloat(bits));
      check(-Float.intBitsToFloat(bits));
    }
    int n = 1 << 22;
    for (int i = 0; i <= n; i++) {
      check((float) (-20.0 + 40.0 * i / n));
    }
    check(Float.MIN_VALUE);
    check(5.8565717f);  // where the exhaustive scan found the maximum error
  }

  @Test
  void specialValues() {
    assertEquals(1f, FastTanh.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, FastTanh.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(1f, FastTanh.tanh(100f));
    assertEquals(0f, FastTanh.tanh(0f));
    assertTrue(Float.isNaN(FastTanh.tanh(Float.NaN)));
  }

  @Test
  void arrayFormMatchesScalarBitForBit() {
    float[] x = new float[1001];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i - 500) * 0.0173f;
    }
    float[] y = new float[x.length];
    FastTanh.tanh(x, y, x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(FastTanh.tanh(x[i])), Float.floatToRawIntBits(y[i]), "x = " + x[i]);
    }
  }
}
