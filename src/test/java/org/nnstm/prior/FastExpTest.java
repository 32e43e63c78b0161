package org.nnstm.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

class FastExpTest {
  /** A few ulp: the table is within 1 ulp, the polynomial and the final products add about 2 more. */
  private static final double RTOL = 5e-16;

  @Test
  void matchesStrictMathOverTheDomain() {
    Random rnd = new Random(3);
    for (int t = 0; t < 2_000_000; t++) {
      double x = t % 2 == 0 ? -708 * rnd.nextDouble() : -50 * rnd.nextDouble();
      double e = StrictMath.exp(x);
      double a = FastExp.exp(x);
      assertTrue(Tolerance.close(a, e, 0, RTOL), "x=" + x + " fast=" + a + " strict=" + e);
    }
    for (double x : new double[] {-0.0, -1e-300, -1e-17, -Math.log(2), -708, -707.9999999, -1e-5}) {
      assertTrue(Tolerance.close(FastExp.exp(x), StrictMath.exp(x), 0, RTOL), "x=" + x);
    }
    assertEquals(1.0, FastExp.exp(0.0));
  }

  @Test
  void edgesOfTheDomain() {
    assertEquals(0.0, FastExp.exp(-708.5));
    assertEquals(0.0, FastExp.exp(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(FastExp.exp(Double.NaN)));
    assertEquals(Math.exp(3.5), FastExp.exp(3.5));
  }
}
