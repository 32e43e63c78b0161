package org.nnstm.prior;

import java.util.Arrays;

/**
 * Exact finite-width prior of the output of a deep linear Bayesian network (Zavatone-Veth and Pehlevan 2021,
 * arXiv 2104.11734). Widths n_0 (input), n_1..n_{L-1} (hidden), n_L (output); h_1 = W_1 x, h_l = W_l h_{l-1},
 * W_l entries N(0, sigma_l^2 / n_{l-1}), no biases.
 *
 * <p>With s2 = ||x||^2 prod_l sigma_l^2 / n_0, P = prod of hidden widths and kappa = P / (2^L s2), the variable
 * U = kappa ||h_L||^2 is a product of L independent Gamma(a_l, 1) variables, a_l = n_l / 2 (l = 1..L), so
 * <pre>
 *   p(h)   = (kappa/pi)^{n_L/2} / prod_{l&lt;L} Gamma(a_l) * G^{L,0}_{0,L}(u | 0, a_1 - a_L, ..., a_{L-1} - a_L),
 *   f_R(r) = 2 kappa r f_U(kappa r^2),   f_U(u) = G^{L,0}_{0,L}(u | a_1 - 1, ..., a_L - 1) / prod_l Gamma(a_l),
 *   F_R(r) = P(U &lt;= kappa r^2),          u = kappa r^2 = kappa ||h||^2.
 * </pre>
 * L = 1 is the Gaussian N(0, s2 I); L = 2 uses G^{2,0}_{0,2}(u | 0, b) = 2 u^{b/2} K_b(2 sqrt u), b = (n_1 - n_2)/2
 * ({@link BesselK}); L >= 3 uses the contour integral in {@link MeijerG}. The marginal density of one output
 * component is the same mixture in one dimension: the vector density with n_L replaced by 1, at r = |y|.
 *
 * <p>Domain: r (or |y|) from 0 to where the log density stops being a finite double: u = kappa r^2 below
 * e^709 for L = 1 (ln p ~ -u), L u^{1/L} below 1e300 for L >= 2 (ln p ~ -L u^{1/L}; r = 1e308 with
 * ||x|| = 1 is inside for L >= 3); beyond, an {@link IllegalArgumentException} names u. Large u (saddle
 * beyond 1e4, see {@link MeijerG}) is computed by Laplace's method, small u by the contour.
 *
 * <p>All densities are natural logs, computed in log space (widths in the thousands, depth 100). At r = 0:
 * the vector density is finite, {@code prod_{l<L} Gamma(a_l - a_L) (kappa/pi)^{n_L/2} / prod_{l<L} Gamma(a_l)}, when
 * every hidden width exceeds n_L, and +infinity otherwise ({@code n_l < n_L}: power divergence; n_l = n_L: logarithmic);
 * the radial density is 0 when all widths n_1..n_L exceed 1, finite when exactly one equals 1, +infinity when
 * two or more do. Immutable and thread-safe.
 */
public final class LinearNetworkPrior {
  private static final double LOG_PI = Math.log(Math.PI);
  private static final double LOG_MAX_DOUBLE = Math.log(Double.MAX_VALUE);
  /** L = 2 uses K_b(2 sqrt u) up to ln u = 1000 (argument e^500); beyond, the Laplace form of {@link MeijerG}. */
  private static final double BESSEL_MAX_LOG_U = 1000;

  private final int[] widths;
  private final double[] variances;
  private final double inputNorm;
  private final int depth;
  private final double logKappa;
  private final double logS2;
  /** a_l = n_l / 2, l = 1..L. */
  private final double[] shapes;
  /** Same with the output width replaced by 1 (the one-component marginal). */
  private final double[] marginalShapes;
  private final double sumLogGammaHidden;

  /**
   * @param widths n_0..n_L, each >= 1, at least two entries (L >= 1)
   * @param variances sigma_1^2..sigma_L^2 (length L), or a single value used for every layer; each > 0
   * @param inputNorm ||x|| > 0
   */
  public LinearNetworkPrior(int[] widths, double[] variances, double inputNorm) {
    if (widths == null || widths.length < 2) {
      throw new IllegalArgumentException("widths must list n_0..n_L with L >= 1, got " + Arrays.toString(widths));
    }
    for (int n : widths) {
      if (n < 1) {
        throw new IllegalArgumentException("widths must be >= 1, got " + Arrays.toString(widths));
      }
    }
    depth = widths.length - 1;
    if (variances == null || (variances.length != 1 && variances.length != depth)) {
      throw new IllegalArgumentException("variances must have 1 or L = " + depth + " entries, got "
          + Arrays.toString(variances));
    }
    for (double v : variances) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("variances must be finite and > 0, got " + Arrays.toString(variances));
      }
    }
    if (!(inputNorm > 0) || Double.isInfinite(inputNorm)) {
      throw new IllegalArgumentException("input norm must be finite and > 0, got " + inputNorm);
    }
    this.widths = widths.clone();
    this.variances = new double[depth];
    for (int l = 0; l < depth; l++) {
      this.variances[l] = variances.length == 1 ? variances[0] : variances[l];
    }
    this.inputNorm = inputNorm;
    double ls2 = 2 * Math.log(inputNorm) - Math.log(widths[0]);
    for (double v : this.variances) {
      ls2 += Math.log(v);
    }
    logS2 = ls2;
    double logP = 0;
    for (int l = 1; l < depth; l++) {
      logP += Math.log(widths[l]);
    }
    logKappa = logP - depth * Math.log(2.0) - logS2;
    shapes = new double[depth];
    for (int l = 1; l <= depth; l++) {
      shapes[l - 1] = 0.5 * widths[l];
    }
    marginalShapes = shapes.clone();
    marginalShapes[depth - 1] = 0.5;
    double s = 0;
    for (int l = 0; l < depth - 1; l++) {
      s += GammaFunctions.logGamma(shapes[l]);
    }
    sumLogGammaHidden = s;
  }

  /** Widths n_0..n_L (a copy). */
  public int[] widths() {
    return widths.clone();
  }

  /**
   * The prior of a network with the same input, hidden layers and variances but output width 1: its vector
   * density is this prior's marginal density, and its radial density is twice it.
   */
  public LinearNetworkPrior marginalPrior() {
    int[] w = widths.clone();
    w[depth] = 1;
    return new LinearNetworkPrior(w, variances, inputNorm);
  }

  /** Network depth L. */
  public int depth() {
    return depth;
  }

  /** s2 = ||x||^2 prod sigma_l^2 / n_0 = E||h_L||^2 / n_L. */
  public double outputVariance() {
    return Math.exp(logS2);
  }

  /** ln p(h) (nats) of the output vector h in R^{n_L} at ||h|| = r >= 0; +Infinity where it diverges at r = 0. */
  public double logDensity(double r) {
    return logVectorDensity(checkRadius(r), shapes);
  }

  /** p(h) at ||h|| = r. */
  public double density(double r) {
    return Math.exp(logDensity(r));
  }

  /**
   * ln f_R(r), the density of R = ||h_L|| (p(h) times the sphere area 2 pi^{n/2} r^{n-1} / Gamma(n/2)).
   */
  public double logRadialDensity(double r) {
    checkRadius(r);
    if (r == 0) {
      return radialAtZero();
    }
    double logR = Math.log(r);
    double logU = logKappa + 2 * logR;
    // f_R = 2 kappa r f_U(u), f_U(u) = u^{-1} G(u | a) / prod Gamma(a)
    return Math.log(2.0) + logKappa + logR - logU + logMeijer(logU, shapes) - MeijerG.sumLogGamma(shapes);
  }

  /** f_R(r). */
  public double radialDensity(double r) {
    return Math.exp(logRadialDensity(r));
  }

  /** ln of the density of one output component h_{L,i} at value y (any real y; symmetric). */
  public double logMarginalDensity(double y) {
    if (Double.isNaN(y) || Double.isInfinite(y)) {
      throw new IllegalArgumentException("marginal density needs a finite value, got " + y);
    }
    return logVectorDensity(Math.abs(y), marginalShapes);
  }

  /** Density of one output component at y. */
  public double marginalDensity(double y) {
    return Math.exp(logMarginalDensity(y));
  }

  /** {@code P(||h_L|| <= r)}. */
  public double radialCdf(double r) {
    return Math.exp(logRadialCdf(r));
  }

  /** {@code ln P(||h_L|| <= r)}; -Infinity at r = 0. */
  public double logRadialCdf(double r) {
    checkRadius(r);
    if (r == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (r == Double.POSITIVE_INFINITY) {
      return 0.0;
    }
    return MeijerG.logLowerCdf(logKappa + 2 * Math.log(r), shapes);
  }

  /** ln P(||h_L|| > r), accurate in the far tail where 1 - CDF would cancel. */
  public double logRadialSurvival(double r) {
    checkRadius(r);
    if (r == 0) {
      return 0.0;
    }
    if (r == Double.POSITIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    return MeijerG.logUpperCdf(logKappa + 2 * Math.log(r), shapes);
  }

  /** E ||h_L||^{2k} = prod_l Gamma(a_l + k)/Gamma(a_l) / kappa^k (exact moments). */
  public double radialMoment(int k) {
    double s = -k * logKappa;
    for (double a : shapes) {
      s += GammaFunctions.logGamma(a + k) - GammaFunctions.logGamma(a);
    }
    return Math.exp(s);
  }

  private static double checkRadius(double r) {
    if (!(r >= 0)) {
      throw new IllegalArgumentException("radius must be >= 0, got " + r);
    }
    return r;
  }

  /** ln p for a vector with output shape a[L-1] (n_out = 2 a[L-1]) at radius r. */
  private double logVectorDensity(double r, double[] a) {
    double aOut = a[depth - 1];
    double prefactor = aOut * (logKappa - LOG_PI) - sumLogGammaHidden;
    if (r == Double.POSITIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (r == 0) {
      double s = prefactor;
      for (int l = 0; l < depth - 1; l++) {
        double b = a[l] - aOut;
        if (b <= 0) {
          return Double.POSITIVE_INFINITY;
        }
        s += GammaFunctions.logGamma(b);
      }
      return s;
    }
    double logU = logKappa + 2 * Math.log(r);
    return prefactor - aOut * logU + logMeijer(logU, a);
  }

  /** ln G^{L,0}_{0,L}(u | a_1..a_L), u = e^{logU}. */
  static double logMeijer(double logU, double[] a) {
    if (a.length == 1) {
      if (logU > LOG_MAX_DOUBLE) {
        throw new IllegalArgumentException("u = kappa r^2 = e^" + logU + " is beyond the range where the log"
            + " density (about -u) is a finite double: ln u must be below " + LOG_MAX_DOUBLE);
      }
      return a[0] * logU - Math.exp(logU);
    }
    if (a.length == 2 && logU <= BESSEL_MAX_LOG_U) {
      // G(u | a1, a2) = 2 u^{(a1+a2)/2} K_{a1-a2}(2 sqrt u)
      return Math.log(2.0) + 0.5 * (a[0] + a[1]) * logU
          + BesselK.logAtLogArgument(a[0] - a[1], Math.log(2.0) + 0.5 * logU);
    }
    return MeijerG.logG(logU, a);
  }

  private double radialAtZero() {
    double amin = Double.POSITIVE_INFINITY;
    int count = 0;
    for (double a : shapes) {
      if (a < amin) {
        amin = a;
        count = 1;
      } else if (a == amin) {
        count++;
      }
    }
    if (amin > 0.5) {
      return Double.NEGATIVE_INFINITY;
    }
    if (count > 1) {
      return Double.POSITIVE_INFINITY;
    }
    // f_R(0) = 2 sqrt(kappa) prod_{l != min} Gamma(a_l - 1/2) / prod_l Gamma(a_l)
    double s = Math.log(2.0) + 0.5 * logKappa - MeijerG.sumLogGamma(shapes);
    for (double a : shapes) {
      if (a != amin) {
        s += GammaFunctions.logGamma(a - 0.5);
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return "LinearNetworkPrior{widths=" + Arrays.toString(widths) + ", variances=" + Arrays.toString(variances)
        + ", inputNorm=" + inputNorm + "}";
  }
}
