package org.nnstm.prior;

/**
 * Real and complex log-gamma, digamma and trigamma in double precision, for the Meijer-G contour integral
 * and the prior normalisations. Method: upward shift to Re z >= 10 (recurrence Gamma(z+1) = z Gamma(z)),
 * then Stirling's series with nine Bernoulli terms (truncation error below 1e-17 for |z| >= 10, Re z > 0).
 * Logs are natural. Only arguments with positive real part are supported (that is all the priors need).
 */
final class GammaFunctions {
  private GammaFunctions() {}

  static final double HALF_LOG_TWO_PI = 0.9189385332046727418;
  private static final double SHIFT_TO = 10.0;
  /** B_{2k} / (2k (2k-1)), k = 1..9. */
  private static final double[] STIRLING = {
    1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0, -691.0 / 360360.0, 1.0 / 156.0,
    -3617.0 / 122400.0, 43867.0 / 244188.0
  };

  /** ln Gamma(x) for real x > 0 (relative accuracy ~1e-15 away from the zeros of ln Gamma at 1 and 2). */
  static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    if (x == 1.0 || x == 2.0) {
      return 0.0;
    }
    double shiftLog = 0.0;
    double prod = 1.0;
    while (x < SHIFT_TO) {
      prod *= x;
      x += 1.0;
    }
    shiftLog = Math.log(prod);
    double w = 1.0 / (x * x);
    double s = STIRLING[8];
    for (int k = 7; k >= 0; k--) {
      s = s * w + STIRLING[k];
    }
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + s / x - shiftLog;
  }

  /**
   * ln Gamma(x + i y) for x > 0, any branch (the caller only exponentiates differences): out[0] = real part,
   * out[1] = imaginary part. The real part is the unique ln |Gamma|.
   */
  static void logGammaComplex(double x, double y, double[] out) {
    double pr = 1.0;
    double pi = 0.0;
    boolean shifted = false;
    if (x < SHIFT_TO && Math.abs(y) < SHIFT_TO) {
      while (x < SHIFT_TO) {
        double nr = pr * x - pi * y;
        double ni = pr * y + pi * x;
        pr = nr;
        pi = ni;
        x += 1.0;
      }
      shifted = true;
    }
    double r2 = x * x + y * y;
    double logAbs = 0.5 * Math.log(r2);
    double arg = Math.atan2(y, x);
    // 1/z
    double ir = x / r2;
    double ii = -y / r2;
    // w = 1/z^2
    double wr = ir * ir - ii * ii;
    double wi = 2 * ir * ii;
    double sr = STIRLING[8];
    double si = 0.0;
    for (int k = 7; k >= 0; k--) {
      double nr = sr * wr - si * wi + STIRLING[k];
      double ni = sr * wi + si * wr;
      sr = nr;
      si = ni;
    }
    // s / z
    double tr = sr * ir - si * ii;
    double ti = sr * ii + si * ir;
    // (z - 1/2) log z - z
    double re = (x - 0.5) * logAbs - y * arg - x + HALF_LOG_TWO_PI + tr;
    double im = (x - 0.5) * arg + y * logAbs - y + ti;
    if (shifted) {
      re -= 0.5 * Math.log(pr * pr + pi * pi);
      im -= Math.atan2(pi, pr);
    }
    out[0] = re;
    out[1] = im;
  }

  /** Digamma psi(x) = d ln Gamma / dx for real x > 0. */
  static double digamma(double x) {
    double acc = 0.0;
    while (x < SHIFT_TO) {
      acc -= 1.0 / x;
      x += 1.0;
    }
    double w = 1.0 / (x * x);
    return acc + Math.log(x) - 0.5 / x
        - w * (1.0 / 12 - w * (1.0 / 120 - w * (1.0 / 252 - w * (1.0 / 240 - w * (1.0 / 132)))));
  }

  /** Trigamma psi'(x) for real x > 0. */
  static double trigamma(double x) {
    double acc = 0.0;
    while (x < SHIFT_TO) {
      acc += 1.0 / (x * x);
      x += 1.0;
    }
    double ix = 1.0 / x;
    double w = ix * ix;
    return acc + ix + 0.5 * w
        + ix * w * (1.0 / 6 - w * (1.0 / 30 - w * (1.0 / 42 - w * (1.0 / 30 - w * (5.0 / 66)))));
  }
}
