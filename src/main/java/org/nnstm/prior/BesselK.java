package org.nnstm.prior;

/**
 * Modified Bessel function of the second kind K_nu(x) of real order and its natural log, pure double.
 *
 * <p>Method (Temme 1975; Numerical Recipes 3rd ed. section 6.6, routine bessik, K part only): write
 * nu = n + mu with n = round(|nu|), {@code |mu| <= 1/2} (K_{-nu} = K_nu). K_mu and K_{mu+1} come from Temme's power
 * series for {@code x <= 2} and from Steed's continued fraction CF2 (Temme's form, with the sum for K_mu) for x > 2;
 * the CF2 branch is evaluated in log space (ln K_mu = ln sqrt(pi/(2x)) - x - ln s), so it also serves as
 * the large-x asymptotic regime where K underflows (x up to 1e7 and beyond). Then the forward recurrence
 * K_{m+1} = K_{m-1} + (2m/x) K_m, which is stable for K (the dominant solution), carried with an explicit
 * power-of-two scale so that ln K_nu is finite for orders in the thousands at x = 1e-8 (K ~ 10^(10^4)).
 * Below x = 1e-20 the leading small-x terms, above 1e8 the Hankel expansion (both exact there to double
 * precision). Cost is O(n) for order n;
 * accuracy measured against mpmath: see BesselKTest.
 */
final class BesselK {
  private BesselK() {}

  private static final double EPS = 1e-17;
  private static final int MAX_ITER = 100_000;
  /** Coefficients c_k of 1/Gamma(1+z) = sum_k c_k z^k (mpmath, 20 digits), k = 0..26. */
  private static final double[] RGAMMA1 = {
    1.0, 0.57721566490153286061, -0.65587807152025388108, -0.042002635034095235529, 0.1665386113822914895,
    -0.042197734555544336748, -0.0096219715278769735621, 0.0072189432466630995424, -0.0011651675918590651121,
    -0.00021524167411495097282, 0.00012805028238811618615, -0.000020134854780788238656,
    -1.2504934821426706573e-6, 1.1330272319816958824e-6, -2.0563384169776071035e-7, 6.1160951044814158179e-9,
    5.0020076444692229301e-9, -1.1812745704870201446e-9, 1.0434267116911005105e-10, 7.782263439905071254e-12,
    -3.6968056186422057082e-12, 5.100370287454475979e-13, -2.0583260535665067832e-14,
    -5.3481225394230179824e-15, 1.2267786282382607902e-15, -1.1812593016974587695e-16,
    1.1866922547516003326e-18
  };
  private static final double RESCALE = 0x1p-600;
  private static final double RESCALE_LOG = -600 * Math.log(2.0);
  private static final double RESCALE_THRESHOLD = 0x1p600;

  /** ln K_nu(e^{logX}) for arguments below the double range too (ln x finite, any real nu). */
  public static double logAtLogArgument(double nu, double logX) {
    if (Double.isNaN(logX) || Double.isInfinite(logX) || Double.isNaN(nu) || Double.isInfinite(nu)) {
      throw new IllegalArgumentException("BesselK needs finite nu and ln x, got nu=" + nu + ", ln x=" + logX);
    }
    if (logX < Math.log(SMALL_X)) {
      return logSmallX(Math.abs(nu), logX);
    }
    return log(nu, Math.exp(logX));
  }

  /** K_nu(x) for x > 0 and any real nu; returns 0 on underflow and +Infinity on overflow. */
  public static double value(double nu, double x) {
    return Math.exp(log(nu, x));
  }

  /**
   * ln K_nu(x) (natural log) for x > 0 and any real nu. Finite for all finite nu and x > 0.
   *
   * @throws IllegalArgumentException if {@code x <= 0} or an argument is NaN/infinite
   */
  public static double log(double nu, double x) {
    if (!(x > 0) || Double.isInfinite(x) || Double.isNaN(nu) || Double.isInfinite(nu)) {
      throw new IllegalArgumentException("BesselK needs finite nu and 0 < x < inf, got nu=" + nu + ", x=" + x);
    }
    nu = Math.abs(nu);
    if (x < SMALL_X) {
      return logSmallX(nu, Math.log(x));
    }
    if (x > LARGE_X && nu * nu < 1e-2 * x) {
      return logLargeX(nu, x);
    }
    long n = (long) Math.floor(nu + 0.5);
    double mu = nu - n;
    double[] pair = new double[3];
    if (x <= 2.0) {
      temme(mu, x, pair);
    } else {
      steed(mu, x, pair);
    }
    // pair = {K_mu (scaled), K_{mu+1} (scaled), log scale}
    double kmu = pair[0];
    double k1 = pair[1];
    double logScale = pair[2];
    double xi2 = 2.0 / x;
    for (long i = 1; i <= n; i++) {
      double next = (mu + i) * xi2 * k1 + kmu;
      kmu = k1;
      k1 = next;
      if (k1 > RESCALE_THRESHOLD) {
        k1 *= RESCALE;
        kmu *= RESCALE;
        logScale -= RESCALE_LOG;
      }
    }
    return Math.log(kmu) + logScale;
  }

  /** Above this x (with nu^2 < x / 100) the Hankel expansion; Steed's CF2 needs O(x) terms out there. */
  static final double LARGE_X = 1e8;

  /**
   * ln K_nu(x) = ln sqrt(pi / (2x)) - x + ln sum_k a_k(nu) / x^k, a_k = prod_{j<=k} (4 nu^2 - (2j-1)^2) /
   * (k! 8^k) (A&S 9.7.2), summed until a term is below 1e-18 (ratio <= nu^2 / (2x) <= 1/200 per term).
   */
  private static double logLargeX(double nu, double x) {
    double mu4 = 4 * nu * nu;
    double term = 1;
    double sum = 1;
    for (int k = 1; k < 40 && Math.abs(term) > 1e-18; k++) {
      term *= (mu4 - (2 * k - 1) * (2.0 * k - 1)) / (k * 8 * x);
      sum += term;
    }
    return 0.5 * Math.log(Math.PI / (2 * x)) - x + Math.log(sum);
  }

  /** Below this x the leading small-x terms are exact to double precision (and Temme's K_{mu+1} would overflow). */
  static final double SMALL_X = 1e-20;

  /**
   * ln K_nu(x) for x < 1e-20: K_0 = -ln(x/2) - gamma; K_nu = (Gamma(nu)/2) (2/x)^nu (1 + (Gamma(-nu)/Gamma(nu))
   * (x/2)^{2 nu}) for 0 < nu < 1 (the two leading terms of (pi/2)(I_{-nu} - I_nu)/sin(nu pi)); for nu >= 1 the
   * dropped terms are O(x^2 ln x) relative (A&S 9.6.9, 9.6.11), below 1e-38.
   */
  private static double logSmallX(double nu, double logX) {
    double logHalfX = logX - Math.log(2.0);
    if (nu == 0) {
      return Math.log(-logHalfX - 0.57721566490153286061);
    }
    double lead = GammaFunctions.logGamma(nu) - Math.log(2.0) - nu * logHalfX;
    if (nu < 1) {
      // Gamma(-nu) / Gamma(nu) = -pi / (nu sin(pi nu) Gamma(nu)^2)
      double ratio = -Math.PI / (nu * Math.sin(Math.PI * nu)) * Math.exp(2 * nu * logHalfX
          - 2 * GammaFunctions.logGamma(nu));
      lead += Math.log1p(ratio);
    }
    return lead;
  }

  /** Temme's series for x <= 2, |mu| <= 1/2: out = {K_mu, K_{mu+1}, 0}. */
  private static void temme(double mu, double x, double[] out) {
    double x2 = 0.5 * x;
    double pimu = Math.PI * mu;
    double fact = Math.abs(pimu) < 1e-300 ? 1.0 : pimu / Math.sin(pimu);
    double d = -Math.log(x2);
    double e = mu * d;
    double fact2 = Math.abs(e) < 1e-300 ? 1.0 : Math.sinh(e) / e;
    double mu2 = mu * mu;
    // gam1 = (1/Gamma(1-mu) - 1/Gamma(1+mu)) / (2 mu), gam2 = (1/Gamma(1-mu) + 1/Gamma(1+mu)) / 2
    double gam1 = 0.0;
    for (int k = 25; k >= 1; k -= 2) {
      gam1 = gam1 * mu2 + RGAMMA1[k];
    }
    gam1 = -gam1;
    double gam2 = 0.0;
    for (int k = 26; k >= 0; k -= 2) {
      gam2 = gam2 * mu2 + RGAMMA1[k];
    }
    double gampl = gam2 - mu * gam1; // 1/Gamma(1+mu)
    double gammi = gam2 + mu * gam1; // 1/Gamma(1-mu)
    double ff = fact * (gam1 * Math.cosh(e) + gam2 * fact2 * d);
    double sum = ff;
    double ee = Math.exp(e);
    double p = 0.5 * ee / gampl;
    double q = 0.5 / (ee * gammi);
    double c = 1.0;
    double dd = x2 * x2;
    double sum1 = p;
    for (int i = 1; i < MAX_ITER; i++) {
      ff = (i * ff + p + q) / (i * (double) i - mu2);
      c *= dd / i;
      p /= i - mu;
      q /= i + mu;
      double del = c * ff;
      sum += del;
      double del1 = c * (p - i * ff);
      sum1 += del1;
      if (Math.abs(del) < Math.abs(sum) * EPS && Math.abs(del1) < Math.abs(sum1) * EPS) {
        out[0] = sum;
        out[1] = sum1 * (2.0 / x);
        out[2] = 0.0;
        return;
      }
    }
    throw new IllegalStateException("BesselK Temme series did not converge: mu=" + mu + ", x=" + x);
  }

  /** Steed/Temme CF2 for x > 2, |mu| <= 1/2: out = {K_mu e^{x} s-scaled, K_{mu+1} likewise, log scale}. */
  private static void steed(double mu, double x, double[] out) {
    double mu2 = mu * mu;
    double b = 2.0 * (1.0 + x);
    double d = 1.0 / b;
    double h = d;
    double delh = d;
    double q1 = 0.0;
    double q2 = 1.0;
    double a1 = 0.25 - mu2;
    double q = a1;
    double c = a1;
    double a = -a1;
    double s = 1.0 + q * delh;
    int i = 1;
    for (; i < MAX_ITER; i++) {
      a -= 2 * i;
      c = -a * c / (i + 1.0);
      double qnew = (q1 - b * q2) / a;
      q1 = q2;
      q2 = qnew;
      q += c * qnew;
      b += 2.0;
      d = 1.0 / (b + a * d);
      delh = (b * d - 1.0) * delh;
      h += delh;
      double dels = q * delh;
      s += dels;
      if (Math.abs(dels / s) < EPS) {
        break;
      }
    }
    if (i >= MAX_ITER) {
      throw new IllegalStateException("BesselK CF2 did not converge: mu=" + mu + ", x=" + x);
    }
    h = a1 * h;
    // K_mu = sqrt(pi/(2x)) e^{-x} / s ; K_{mu+1} = K_mu (mu + x + 1/2 - h) / x
    out[0] = 1.0;
    out[1] = (mu + x + 0.5 - h) / x;
    out[2] = 0.5 * Math.log(Math.PI / (2.0 * x)) - x - Math.log(s);
  }
}
