package org.nnstm.meanfield;

import java.util.function.DoubleUnaryOperator;

/**
 * Slow twin of {@link GaussianExpectation}: E_z[f(z)], z ~ N(0, 1), by double-exponential (tanh-sinh)
 * quadrature (Takahasi and Mori 1974) on [-10, centre] and [centre, 10], halving the step until two
 * levels agree to 1e-15 relative. The substitution x = m + r tanh((pi/2) sinh t) puts nodes at distances
 * down to ~1e-37 r from the centre, so structure of any length there is resolved without being told its
 * scale: an algorithm independent of the graded Gauss-Legendre panels it checks.
 */
final class TanhSinhExpectation {
  private static final double Z = GaussianExpectation.HALF_WIDTH;
  private static final double NORM = 1 / Math.sqrt(2 * Math.PI);
  private static final double T_MAX = 4.0;

  private TanhSinhExpectation() {}

  /** E_z[f(z)] with the integration split at {@code center} (clamped to [-10, 10]). */
  static double expect(DoubleUnaryOperator f, double center) {
    double c = Math.max(-Z, Math.min(Z, center));
    DoubleUnaryOperator g = z -> f.applyAsDouble(z) * NORM * Math.exp(-0.5 * z * z);
    return integrate(g, -Z, c) + integrate(g, c, Z);
  }

  /**
   * The integral of g over [a, b] by tanh-sinh with step halving, from h = 1/2 until two levels agree to
   * 1e-14 of the integral of |g| (at least 5 halvings, at most 10: h = 1/2048).
   */
  static double integrate(DoubleUnaryOperator g, double a, double b) {
    if (!(b > a)) {
      return 0;
    }
    double m = 0.5 * (a + b);
    double r = 0.5 * (b - a);
    double h = 0.5;
    double g0 = g.applyAsDouble(m);
    double[] sum = {r * Math.PI / 2 * g0, r * Math.PI / 2 * Math.abs(g0)};
    level(g, a, b, r, h, 1, sum);
    double prev = sum[0] * h;
    for (int k = 1; k <= 10; k++) {
      h /= 2;
      level(g, a, b, r, h, 2, sum);
      double now = sum[0] * h;
      if (k >= 5 && Math.abs(now - prev) <= 1e-14 * sum[1] * h) {
        return now;
      }
      prev = now;
    }
    return prev;
  }

  /** Adds weight * g (sum[0]) and weight * |g| (sum[1]) at t = j h, j = 1, 1 + stride, ... up to T_MAX, both signs. */
  private static void level(DoubleUnaryOperator g, double a, double b, double r, double h, int stride,
                            double[] sum) {
    for (int j = 1; j * h <= T_MAX; j += stride) {
      double t = j * h;
      double u = Math.PI / 2 * Math.sinh(t);
      // distance of the node from the nearer endpoint, as a fraction of r: 1 - tanh u = 2 / (e^{2u} + 1)
      double comp = 2 / (Math.exp(2 * u) + 1);
      double ch = Math.cosh(u);
      double w = r * Math.PI / 2 * Math.cosh(t) / (ch * ch);
      if (w == 0 || comp == 0) {
        break;
      }
      double lo = g.applyAsDouble(a + r * comp);
      double hi = g.applyAsDouble(b - r * comp);
      sum[0] += w * (lo + hi);
      sum[1] += w * (Math.abs(lo) + Math.abs(hi));
    }
  }
}
