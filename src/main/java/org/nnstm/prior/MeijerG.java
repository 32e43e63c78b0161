package org.nnstm.prior;

/**
 * The Meijer G-function G^{L,0}_{0,L}(u | a_1..a_L) = (1/2 pi i) \int prod_j Gamma(a_j + w) u^{-w} dw and the
 * two incomplete forms that give the CDF of a product of independent Gamma variables, all as natural logs.
 *
 * <p>Method: the contour is the vertical line Re w = c through the saddle point of the integrand's modulus,
 * sum_j psi(a_j + c) = ln u (Newton from the left, where it converges monotonically because the left side
 * is increasing and concave), with everything divided by the integrand at w = c (log space, so orders in
 * the thousands and u from 1e-300 to 1e300 neither overflow nor underflow). By conjugate symmetry
 * G = (e^{Phi(c)} / pi) \int_0^inf Re exp(Phi(c + i t) - Phi(c)) dt, evaluated by the trapezoid rule in t
 * (exponentially convergent for this analytic integrand), truncated where the modulus (monotone in |t|) falls
 * below 1e-19 of its peak. The first step is min(0.7 sigma, d / 2) (sigma = saddle width
 * (sum psi'(a_j + c))^{-1/2}, d = distance to the nearest pole); the step is then halved, reusing all points,
 * until two successive levels agree to 1e-12 relative. Cost: tens of points near the bulk of the density;
 * hundreds to thousands for tiny u, where the saddle sits within d ~ 1/|ln u| of a pole (a known slow spot,
 * about 10 ms per point for widths 784,100,50,10 at r = 1e-6 sd).
 *
 * <p>CDF forms, for U = prod_j g_j with g_j ~ Gamma(a_j, 1) independent (E U^w = prod Gamma(a_j+w)/Gamma(a_j)):
 * P(U <= u) = (1/2 pi i) \int_{Re w = c < 0} E[U^w] u^{-w} / (-w) dw and
 * P(U > u) = (1/2 pi i) \int_{Re w = c > 0} E[U^w] u^{-w} / w dw; the side of 0 is the side of the saddle,
 * kept at least one saddle width away from the pole at w = 0.
 *
 * <p>Large u: once the saddle c reaches {@value #LAPLACE_SADDLE} (u ~ e^{L ln 1e4}), the integrand's
 * phases t ln u are ~1e5 and beyond, and the contour loses its digits to rounding; there the integral is
 * Laplace's method at the saddle with its first correction, G = e^{Phi(c)} / sqrt(2 pi Phi''(c)) (1 +
 * Phi''''/(8 Phi''^2) - 5 Phi'''^2/(24 Phi''^3) + [the O(c^-2) terms, in the code]) with Phi(w) =
 * sum ln Gamma(a_j + w) - w ln u (minus ln w for the CDF form). The dropped terms are O(c^-3): ~1e-12
 * absolute in ln G at c = 1e4, less beyond (the cancellation between sum ln Gamma and c ln u costs
 * another ~log10 ln c digits relative to |ln G|). The contour and Laplace agree to 1e-11 relative at
 * c = 3e3..3e4, and Laplace matches 50-digit mpmath integrals (MeijerGLargeArgumentTest).
 *
 * <p>Domain: ln u finite with L e^{ln u / L} below {@value #MAX_LOG_MAGNITUDE} (ln G must be a double);
 * outside it an {@link IllegalArgumentException} says so.
 */
final class MeijerG {
  private MeijerG() {}

  /** Nominal step scale (1 = default; the step-halving test passes other values). */
  static final double STEP = 1.0;
  private static final double INITIAL_STEP_SIGMA = 0.7;
  private static final double INITIAL_STEP_POLE = 0.5;
  private static final double TAIL = 1e-19;
  private static final double REFINE_TOL = 1e-12;
  private static final int MAX_LEVELS = 14;
  private static final int MAX_TERMS = 1_000_000;
  /** Saddle position from which {@link #laplace} replaces the contour. */
  static final double LAPLACE_SADDLE = 1e4;
  /** The largest |ln G| (about L u^{1/L}) accepted: ln densities stay finite doubles. */
  static final double MAX_LOG_MAGNITUDE = 1e300;

  /** {Re f(c + i t) / f(c), |f(c + i t) / f(c)|}. */
  private static double[] integrand(double t, double logU, double[] a, double c, int mode, double phi0,
      double[] lg) {
    double re = -c * logU;
    double im = -t * logU;
    for (double aj : a) {
      GammaFunctions.logGammaComplex(aj + c, t, lg);
      re += lg[0];
      im += lg[1];
    }
    if (mode != 0) {
      // divide by w = c + i t (mode +1) or by -w (mode -1): arg(-w) = arg(w) - pi
      re -= 0.5 * Math.log(c * c + t * t);
      im -= Math.atan2(t, c) - (mode < 0 ? Math.PI : 0.0);
    }
    double mag = Math.exp(re - phi0);
    return new double[] {mag * Math.cos(im), mag};
  }

  /** ln G^{L,0}_{0,L}(e^{logU} | a) for real a_j (any sign), u = e^{logU} > 0. */
  static double logG(double logU, double[] a) {
    return integral(logU, a, 0);
  }

  /** The contour integral of mode (see {@link #contour}), by Laplace's method where the saddle is far out. */
  private static double integral(double logU, double[] a, int mode) {
    checkDomain(logU, a);
    if (saddle(logU, a) >= LAPLACE_SADDLE) {
      return laplace(logU, a, mode);
    }
    return contour(logU, a, mode, STEP);
  }

  /** Refuses ln u outside the domain: NaN, infinite, or |ln G| ~ L u^{1/L} beyond {@value #MAX_LOG_MAGNITUDE}. */
  static void checkDomain(double logU, double[] a) {
    double l = a.length;
    if (!Double.isFinite(logU) || logU / l > Math.log(MAX_LOG_MAGNITUDE / l)) {
      throw new IllegalArgumentException("u = kappa r^2 = e^" + logU + " is beyond the range where ln G (about -"
          + a.length + " u^(1/" + a.length + ")) is a finite double: ln u must be below "
          + l * Math.log(MAX_LOG_MAGNITUDE / l));
    }
  }

  /**
   * Laplace's method at the saddle c of Phi(w) = sum ln Gamma(a_j + w) - w ln u - [mode != 0] ln w, for
   * c >= {@value #LAPLACE_SADDLE} (mode 0 or +1; see the class doc for the formula and its accuracy).
   */
  static double laplace(double logU, double[] a, int mode) {
    if (mode < 0) {
      throw new IllegalArgumentException("Laplace form is for contours right of 0 (mode 0 or +1), got " + mode);
    }
    double c = saddle(logU, a);
    double m = mode == 0 ? 0 : 1;
    for (int it = 0; it < 20 && m != 0; it++) {
      double step = (sumDigamma(a, c) - logU - 1 / c) / (sumTrigamma(a, c) + 1 / (c * c));
      c -= step;
      if (Math.abs(step) <= 1e-15 * c) {
        break;
      }
    }
    // derivatives scaled by powers of c (p2 c, p3 c^2, p4 c^3, all O(L)) so that nothing underflows at c ~ 1e200
    double phi = -c * logU - m * Math.log(c);
    double p2 = m / c;
    double p3 = -2 * m / c;
    double p4 = 6 * m / c;
    double p5 = -24 * m / c;
    double p6 = 120 * m / c;
    for (double v : a) {
      double x = v + c;
      double r = c / x;
      double ix = 1 / x;
      phi += GammaFunctions.logGamma(x);
      // psi'(x) = 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5), psi''(x) = -1/x^2 - 1/x^3 - 1/(2x^4) + 1/(6x^6),
      // psi'''(x) = 2/x^3 + 3/x^4 + 2/x^5 - 1/x^7 (x >= 1e4 - max |a_j|: terms beyond below 1e-20)
      p2 += r * (1 + ix * (0.5 + ix * (1.0 / 6 - ix * ix / 30)));
      p3 -= r * r * (1 + ix * (1 + ix * (0.5 - ix * ix / 6)));
      p4 += r * r * r * (2 + ix * (3 + ix * (2 - ix * ix)));
      // psi''''(x) = -6/x^4 - 12/x^5 + ..., psi'''''(x) = 24/x^5 + 60/x^6 + ... (enter at O(c^-2) only)
      double r4 = r * r * r * r;
      p5 -= r4 * (6 + 12 * ix);
      p6 += r4 * r * (24 + 60 * ix);
    }
    double q2 = p2 * p2;
    double q3 = q2 * p2;
    double first = p4 / (8 * q2) - 5 * p3 * p3 / (24 * q3);
    // E over the Gaussian of exp(sum_k Phi^(k) (i t)^k / k!) at O(c^-2): -Phi6 s^6/48 + 105 Phi4^2 s^8/1152
    // + 105 Phi3 Phi5 s^8/720 - 945 Phi3^2 Phi4 s^10/1728 + 10395 Phi3^4 s^12/31104, s^2 = 1/Phi''
    double second = -p6 / (48 * q3) + 105 * p4 * p4 / (1152 * q2 * q2) + 105 * p3 * p5 / (720 * q2 * q2)
        - 945 * p3 * p3 * p4 / (1728 * q3 * q2) + 10395 * p3 * p3 * p3 * p3 / (31104 * q3 * q3);
    double correction = first / c + second / (c * c);
    return phi - 0.5 * Math.log(2 * Math.PI * p2 / c) + Math.log1p(correction);
  }

  /** ln P(U <= u) for U = prod_j g_j, g_j ~ Gamma(a_j, 1) independent, u = e^{logU}; a_j > 0. */
  static double logLowerCdf(double logU, double[] a) {
    if (saddle(logU, a) <= 0) {
      return integral(logU, a, -1) - sumLogGamma(a);
    }
    return Math.log1p(-Math.exp(integral(logU, a, +1) - sumLogGamma(a)));
  }

  /** ln P(U > u); a_j > 0. */
  static double logUpperCdf(double logU, double[] a) {
    if (saddle(logU, a) > 0) {
      return integral(logU, a, +1) - sumLogGamma(a);
    }
    return Math.log1p(-Math.exp(integral(logU, a, -1) - sumLogGamma(a)));
  }

  static double sumLogGamma(double[] a) {
    double s = 0.0;
    for (double v : a) {
      s += GammaFunctions.logGamma(v);
    }
    return s;
  }

  private static double minOf(double[] a) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double sumDigamma(double[] a, double c) {
    double s = 0.0;
    for (double v : a) {
      s += GammaFunctions.digamma(v + c);
    }
    return s;
  }

  private static double sumTrigamma(double[] a, double c) {
    double s = 0.0;
    for (double v : a) {
      s += GammaFunctions.trigamma(v + c);
    }
    return s;
  }

  /** Solves sum_j psi(a_j + c) = logU for c > -min a_j. */
  static double saddle(double logU, double[] a) {
    double amin = minOf(a);
    // y = c + amin > 0; g(y) increasing and concave; Newton from a point with g < 0 increases monotonically.
    double y = 1.0;
    while (sumDigamma(a, y - amin) > logU) {
      y *= 0.25;
      if (y < 1e-300) {
        return -amin + 1e-300;
      }
    }
    for (int it = 0; it < 500; it++) {
      double g = sumDigamma(a, y - amin) - logU;
      double step = -g / sumTrigamma(a, y - amin);
      y += step;
      if (Math.abs(step) <= 1e-12 * y) {
        break;
      }
    }
    return y - amin;
  }

  /**
   * mode 0: ln (1/2 pi i) \int prod Gamma(a_j + w) u^{-w} dw; mode -1: with an extra 1/(-w), contour left of
   * 0; mode +1: with 1/w, contour right of 0. Package-private with an explicit step for the step-halving test.
   */
  static double contour(double logU, double[] a, int mode, double step) {
    double amin = minOf(a);
    double c = saddle(logU, a);
    double sigma = 1.0 / Math.sqrt(sumTrigamma(a, c));
    double poleDistance = c + amin;
    if (mode != 0) {
      double gap = Math.min(sigma, 0.5 * amin);
      if (mode < 0) {
        c = Math.min(c, -gap);
      } else {
        c = Math.max(c, gap);
      }
      poleDistance = Math.min(c + amin, Math.abs(c));
    }
    double phi0 = -c * logU;
    double magnitude = Math.abs(phi0);
    for (double v : a) {
      double lgv = GammaFunctions.logGamma(v + c);
      phi0 += lgv;
      magnitude += Math.abs(lgv);
    }
    // rounding floor of the phase differences: the refinement cannot agree better than this
    double tolerance = Math.max(REFINE_TOL, 16 * 0x1p-52 * magnitude);
    if (mode != 0) {
      phi0 -= Math.log(Math.abs(c));
    }
    double[] lg = new double[2];
    // coarse pass: find the truncation point T (the modulus decreases monotonically in |t|)
    double h = Math.min(INITIAL_STEP_SIGMA * sigma, INITIAL_STEP_POLE * poleDistance) * step / STEP;
    double sum = 0.5;
    int n = 0;
    while (true) {
      n++;
      if (n > MAX_TERMS) {
        throw new IllegalStateException("Meijer-G contour did not converge: logU=" + logU + ", mode=" + mode);
      }
      double[] z = integrand(n * h, logU, a, c, mode, phi0, lg);
      sum += z[0];
      if (z[1] < TAIL) {
        break;
      }
    }
    double tMax = n * h;
    double previous = h * sum;
    for (int level = 1; level <= MAX_LEVELS; level++) {
      h *= 0.5;
      int m = (int) Math.round(tMax / h);
      for (int k = 1; k < m; k += 2) {
        sum += integrand(k * h, logU, a, c, mode, phi0, lg)[0];
      }
      double current = h * sum;
      if (Math.abs(current - previous) <= tolerance * Math.abs(current)) {
        if (!(current > 0)) {
          throw new IllegalStateException("Meijer-G contour lost all digits: logU=" + logU + ", mode=" + mode);
        }
        return phi0 + Math.log(current / Math.PI);
      }
      previous = current;
    }
    throw new IllegalStateException("Meijer-G contour did not converge: logU=" + logU + ", mode=" + mode);
  }
}
