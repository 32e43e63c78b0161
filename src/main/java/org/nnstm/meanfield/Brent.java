package org.nnstm.meanfield;

import java.util.function.DoubleUnaryOperator;

/** Brent's root finder (Brent 1973, ch. 4): bisection safety with inverse quadratic interpolation. */
final class Brent {
  private Brent() {}

  /** A root of f in [a, b], where f(a) and f(b) differ in sign (or one is 0), to relative tolerance rtol. */
  static double root(DoubleUnaryOperator f, double a, double b, double rtol) {
    return root(f, a, b, rtol, 0);
  }

  /** As {@link #root(DoubleUnaryOperator, double, double, double)}, stopping also at absolute width atol. */
  static double root(DoubleUnaryOperator f, double a, double b, double rtol, double atol) {
    double fa = f.applyAsDouble(a);
    double fb = f.applyAsDouble(b);
    if (fa == 0) {
      return a;
    }
    if (fb == 0) {
      return b;
    }
    if (Math.signum(fa) == Math.signum(fb)) {
      throw new IllegalStateException("root not bracketed in [" + a + ", " + b + "]: f = " + fa + ", " + fb);
    }
    double c = a;
    double fc = fa;
    double d = b - a;
    double e = d;
    for (int it = 0; it < 300; it++) {
      if (Math.signum(fb) == Math.signum(fc)) {
        c = a;
        fc = fa;
        d = b - a;
        e = d;
      }
      if (Math.abs(fc) < Math.abs(fb)) {
        a = b;
        b = c;
        c = a;
        fa = fb;
        fb = fc;
        fc = fa;
      }
      double tol = 2 * Math.ulp(b) + 0.5 * (rtol * Math.abs(b) + atol);
      double m = 0.5 * (c - b);
      if (Math.abs(m) <= tol || fb == 0) {
        return b;
      }
      if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
        double s = fb / fa;
        double p;
        double q;
        if (a == c) {
          p = 2 * m * s;
          q = 1 - s;
        } else {
          double qq = fa / fc;
          double r = fb / fc;
          p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
          q = (qq - 1) * (r - 1) * (s - 1);
        }
        if (p > 0) {
          q = -q;
        } else {
          p = -p;
        }
        if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
          e = d;
          d = p / q;
        } else {
          d = m;
          e = m;
        }
      } else {
        d = m;
        e = m;
      }
      a = b;
      fa = fb;
      b += Math.abs(d) > tol ? d : Math.copySign(tol, m);
      fb = f.applyAsDouble(b);
    }
    throw new IllegalStateException("root finder: no convergence in 300 steps in [" + a + ", " + c
        + "] (bracket spans too many orders of magnitude)");
  }
}
