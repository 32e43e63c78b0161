package org.nnstm.meanfield;

import org.nnstm.tensor.Activation;

import java.util.function.DoubleUnaryOperator;

/**
 * Mean-field theory of signal propagation in deep random networks with W ~ N(0, sigma_w^2 / n),
 * b ~ N(0, sigma_b^2) (Poole et al. 2016, eqs. 3-5; Schoenholz et al. 2017, eqs. 4-9):
 * <ul>
 *   <li>length map F(q) = sigma_w^2 E_z[phi(sqrt(q) z)^2] + sigma_b^2, fixed point q* = F(q*);</li>
 *   <li>chi_1 = sigma_w^2 E_z[phi'(sqrt(q*) z)^2];</li>
 *   <li>correlation map C(c) = (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q* with u1 = sqrt(q*) z1,
 *       u2 = sqrt(q*) (c z1 + sqrt(1 - c^2) z2), stable fixed point c* (1 when chi_1 &lt;= 1);</li>
 *   <li>chi_c = sigma_w^2 E[phi'(u1) phi'(u2)] at c*, xi_c = -1/ln chi_c;</li>
 *   <li>xi_q = -1/ln F'(q*), F'(q*) = chi_1 + sigma_w^2 E_z[phi''(sqrt(q*) z) phi(sqrt(q*) z)];</li>
 *   <li>the critical sigma_w^2(sigma_b^2) where chi_1 = 1.</li>
 * </ul>
 * Expectations by {@link GaussianExpectation}, with the panels graded where phi(sqrt(q) z) has its
 * structure (width 1/sqrt(q) around z = 0; for the second variable of the correlation map, around
 * z2 = -c z1 / sqrt(1 - c^2)), so large q stays accurate; fixed points and the critical line by Brent's
 * method to 1e-15 relative. F'(q*) is computed as sigma_w^2 E[z phi(s z) phi'(s z)] / s (s = sqrt(q*),
 * the q-derivative of the length map), which has no cancellation; chi_1 + sigma_w^2 E[phi'' phi] is the
 * same quantity by parts but loses log10(sigma_w^2) digits for tanh at large sigma_w^2.
 *
 * <p>Domain: {@value #MIN_WEIGHT_VARIANCE} &lt;= sigma_w^2 &lt;= {@value #MAX_VARIANCE}; sigma_b^2 = 0 or {@value
 * #MIN_POSITIVE_BIAS_VARIANCE} &lt;= sigma_b^2 &lt;= {@value #MAX_VARIANCE}; other values (NaN, infinities
 * included) are refused with an {@link IllegalArgumentException}, and so are points where the length map
 * has no finite fixed point ({@link #unbounded}: relu beyond sigma_w^2 = 2, linear beyond 1). Accuracy:
 * q*, chi_1, chi_c, F'(q*) to ~1e-12 relative or 1e-14 absolute, c* to 1e-14 absolute (2e-15 / (1 - chi_c)
 * within 0.2 of chi_c = 1, where the correlation map's fixed point is ill-conditioned); xi_c and xi_q see
 * {@link #depthScale}.
 *
 * <p>Any {@link Activation}: the expectations are integrated numerically from its double math, told only its
 * shape facts (bounded, odd, smooth, positively homogeneous). Erf and relu are checked against the closed
 * forms of their Gaussian expectations and mpmath values (MeanFieldActivationsTest).
 * Checked against 20-digit
 * mpmath values (shared/refs/partC_*.csv) to 1e-9 relative and against 25-digit mpmath values at
 * sigma_w^2 up to 1e12 and sigma_b^2 up to 1e12 (meanfield_extreme.csv).
 */
public final class MeanField {
  private static final GaussianExpectation DEFAULT_RULE = new GaussianExpectation(200);
  private static final GaussianExpectation RULE_2D = new GaussianExpectation(100);

  /** The largest sigma_w^2 and sigma_b^2 accepted (q* &lt;= 2e15: sqrt(q*) z resolved to 1e-15 relative). */
  public static final double MAX_VARIANCE = 1e15;
  /** The smallest sigma_w^2 accepted: chi_1 &gt;= 1e-8 sigma_w^2 stays a normal double (xi needs ln chi_1). */
  public static final double MIN_WEIGHT_VARIANCE = 1e-200;
  /** The smallest positive sigma_b^2 accepted: below, sigma_b^2 q-terms fall into subnormal numbers. */
  public static final double MIN_POSITIVE_BIAS_VARIANCE = 1e-300;
  /** |chi - 1| at or below which a depth scale is reported as +Infinity (see {@link #depthScale}). */
  static final double CHI_RESOLUTION = 1e-13;

  private MeanField() {}

  /** All quantities at (varW, varB) for the activation. */
  public static MeanFieldPoint of(Activation phi, double varW, double varB) {
    return of(phi, varW, varB, DEFAULT_RULE, RULE_2D);
  }

  /** As {@link #of(Activation, double, double)} with explicit quadrature rules (1-D, 2-D). */
  public static MeanFieldPoint of(Activation phi, double varW, double varB, GaussianExpectation rule,
                                  GaussianExpectation rule2) {
    double[] length = lengthMap(phi, varW, varB, rule);
    double q = length[0];
    double chi1 = length[1];
    double dFdq = length[2];
    double xiQ = depthScale(dFdq);
    boolean ordered = chi1 <= 1;
    double c = ordered ? 1 : fixedPointC(phi, varW, varB, q, rule2);
    double chiC = ordered ? chi1 : varW * correlation(phi, q, c, rule2, true);
    double xiC = depthScale(chiC);
    return new MeanFieldPoint(varW, varB, q, chi1, c, chiC, xiC, xiQ, ordered ? "ordered" : "chaotic");
  }

  /**
   * {q*, chi_1, F'(q*)}: the quantities of the length map alone (no 2-D expectations). For a positively
   * homogeneous phi (k = {@link Activation.Shape#homogeneousMeanSquare()} defined: identity, relu) the length map is
   * F(q) = sigma_w^2 k q + sigma_b^2 and chi_1 = F'(q) = sigma_w^2 k exactly, at every q (q* = 0 included,
   * where relu'(0) itself would say 0).
   */
  static double[] lengthMap(Activation phi, double varW, double varB, GaussianExpectation rule) {
    check(varW, varB);
    double q = fixedPointQ(phi, varW, varB, rule);
    double k = phi.shape().homogeneousMeanSquare();
    if (!Double.isNaN(k)) {
      return new double[] {q, varW * k, varW * k};
    }
    double s = Math.sqrt(q);
    double chi1 = varW * expect(rule, phi, z -> sq(phi.first(s * z)), 0, s);
    double dFdq = s == 0 ? chi1 : varW * expect(rule, phi, z -> z * phi.value(s * z) * phi.first(s * z), 0, s) / s;
    return new double[] {q, chi1, dFdq};
  }

  /**
   * The fixed point q* of the length map, or an {@link IllegalArgumentException} saying the length map grows
   * without bound (see {@link #unbounded}). Positively homogeneous phi (linear, relu; k = E[phi(z)^2], 1 and
   * 1/2): q* = sigma_b^2 / (1 - sigma_w^2 k), defined for sigma_w^2 k &lt; 1, and q* = 0 at sigma_w^2 k = 1 with
   * sigma_b^2 = 0 (the marginal line, where every q is a fixed point and q = 0 the one reached from the
   * ordered side); otherwise the error (for relu: sigma_w^2 &gt; 2, or sigma_w^2 = 2 with sigma_b^2 &gt; 0). Other
   * phi: the positive root of F(q) - q, bracketed in [sigma_b^2, sigma_w^2 B^2 + sigma_b^2] for phi bounded
   * by B ({@link Activation.Shape#bound()}: tanh, erf), else in [sigma_b^2, h] with h grown by factors of 4 until
   * F(h) &lt; h (an error when none up to 1e300). With sigma_b^2 = 0 (phi(0) = 0 required), q* = 0 when
   * sigma_w^2 phi'(0)^2 &lt;= 1, else the root above (sigma_w^2 phi'(0)^2 - 1) / (4 sigma_w^2 phi'(0)^2) divided
   * by 4 until F(q) &gt; q there; for erf (phi'(0)^2 = 4 / pi) the relative accuracy of q* degrades like
   * 1e-16 / (sigma_w^2 4 / pi - 1) close above sigma_w^2 = pi / 4.
   *
   * <p>Tanh specifically: with sigma_b^2 = 0, q* = 0
   * when sigma_w^2 &lt;= 1, else the root in [(sigma_w^2 - 1) / (4 sigma_w^2), sigma_w^2] (near sigma_w^2 = 1,
   * q* ~ (sigma_w^2 - 1) / 2 from tanh^2 x = x^2 - 2 x^4 / 3 + ...; below 1 - 1/sigma_w^2 = 1e-4 a
   * series in q gives q*, since the quadrature's rounding would decide the sign of F(q) - q). For tanh
   * below q = 0.25, F(q) - q is evaluated as (sigma_w^2 - 1) q + sigma_b^2 - sigma_w^2 E[x^2 - tanh^2 x],
   * when |sigma_w^2 - 1| &lt; 0.5, so that near sigma_w^2 = 1 q* does not lose the digits of the difference
   * of two O(q) numbers.
   */
  public static double fixedPointQ(Activation phi, double varW, double varB, GaussianExpectation rule) {
    check(varW, varB);
    double k = phi.shape().homogeneousMeanSquare();
    if (!Double.isNaN(k)) {
      double gain = varW * k;
      if (gain < 1) {
        return varB / (1 - gain);
      }
      if (gain == 1 && varB == 0) {
        return 0;
      }
      throw new IllegalArgumentException(unboundedMessage(phi, varW, varB));
    }
    if (varB == 0 && phi.value(0) != 0) {
      throw new IllegalArgumentException("mean field with sigma_b^2 = 0 needs phi(0) = 0; " + phi.label()
          + " has phi(0) = " + phi.value(0));
    }
    double bound = phi.shape().bound();
    DoubleUnaryOperator g = q -> {
      double s = Math.sqrt(q);
      if (phi == Activation.TANH && q < SMALL_Q && Math.abs(varW - 1) < 0.5) {
        // F(q) - q = (sigma_w^2 - 1) q + sigma_b^2 - sigma_w^2 E[x^2 - tanh^2 x] (x = s z, E x^2 = q exactly):
        // the O(q^2) deficit is computed to ~1e-14 relative instead of as a difference of two O(q) numbers
        return (varW - 1) * q + varB - varW * rule.expect(z -> tanhSquareDeficit(s * z), 0, s);
      }
      return varW * expect(rule, phi, z -> sq(phi.value(s * z)), 0, s) + varB - q;
    };
    if (varB == 0) {
      double slope0 = sq(phi.first(0)); // chi_1 at q = 0 is sigma_w^2 phi'(0)^2 (tanh: 1)
      if (varW * slope0 <= 1) {
        return 0;
      }
      double delta = (varW - 1) / varW; // varW - 1 exact (Sterbenz): delta to 1 ulp
      if (phi == Activation.TANH && delta < 1e-4) {
        // E[tanh^2(sqrt(q) z)] = q - 2 q^2 + (17/3) q^3 - (62/3) q^4 + (1382/15) q^5 - (21844/45) q^6 + ...
        // (tanh^2 series times E z^2k = (2k-1)!!), so sigma_w^2 E / q = 1 reads
        // 2 q - (17/3) q^2 + (62/3) q^3 - (1382/15) q^4 + (21844/45) q^5 = delta; the next term is below
        // 2e-14 relative at q < 5e-5. By Newton from delta / 2. The quadrature route would lose
        // log10(1/delta) digits here (F(q) - q is a difference of nearly equal numbers).
        double q = delta / 2;
        for (int i = 0; i < 8; i++) {
          double f = q * (2 + q * (-17.0 / 3 + q * (62.0 / 3 + q * (-1382.0 / 15 + q * 21844.0 / 45)))) - delta;
          double df = 2 + q * (-34.0 / 3 + q * (62.0 + q * (-4 * 1382.0 / 15 + q * 5 * 21844.0 / 45)));
          q -= f / df;
        }
        return q;
      }
      double lo = (varW * slope0 - 1) / (4 * varW * slope0);
      for (int i = 0; i < 60 && g.applyAsDouble(lo) <= 0; i++) {
        lo /= 4;
      }
      double hi = Double.isFinite(bound) ? varW * (bound * bound) : grownBracket(g, lo);
      if (Double.isNaN(hi)) {
        throw new IllegalArgumentException(unboundedMessage(phi, varW, varB));
      }
      return Brent.root(g, lo, hi, 1e-16);
    }
    double lo = varB;
    // q* <= sigma_w^2 B^2 + sigma_b^2 (tanh, erf: B = 1); nextUp keeps the bracket open
    double hi = Double.isFinite(bound) ? Math.nextUp(varW * (bound * bound) + varB) : grownBracket(g, varB);
    if (Double.isNaN(hi)) {
      throw new IllegalArgumentException(unboundedMessage(phi, varW, varB));
    }
    // narrow the bracket to a factor of 4 (Brent's bisection is linear; q* can be 1e-150 in [1e-300, 1])
    while (hi / 4 > lo && g.applyAsDouble(hi / 4) < 0) {
      hi /= 4;
    }
    lo = Math.max(lo, hi / 4);
    return Brent.root(g, lo, hi, 1e-16);
  }

  /**
   * For an unbounded, not homogeneous phi: the first h = 4^j max(1, from) (h &lt;= 1e300) with g(h) &lt; 0, where
   * g(q) = F(q) - q; NaN when there is none (the length map grows without bound).
   */
  private static double grownBracket(DoubleUnaryOperator g, double from) {
    for (double h = Math.max(1, from); h <= 1e300; h *= 4) {
      if (g.applyAsDouble(h) < 0) {
        return h;
      }
    }
    return Double.NaN;
  }

  /**
   * Whether the length map q -&gt; F(q) has no finite fixed point at (sigma_w^2, sigma_b^2), so that q grows
   * without bound with depth and no mean-field point exists ({@link #of} and {@link #fixedPointQ} refuse it):
   * for a positively homogeneous phi (k = {@link Activation.Shape#homogeneousMeanSquare()}) when sigma_w^2 k &gt; 1,
   * or sigma_w^2 k = 1 with sigma_b^2 &gt; 0 (relu: sigma_w^2 &gt; 2, or 2 with a bias; linear: &gt; 1, or 1 with a
   * bias); never for a bounded phi (tanh, erf). (sigma_w^2, sigma_b^2) must be in the domain.
   */
  public static boolean unbounded(Activation phi, double varW, double varB) {
    check(varW, varB);
    double k = phi.shape().homogeneousMeanSquare();
    if (!Double.isNaN(k)) {
      double gain = varW * k;
      return gain > 1 || gain == 1 && varB > 0;
    }
    if (Double.isFinite(phi.shape().bound())) {
      return false;
    }
    try {
      fixedPointQ(phi, varW, varB, DEFAULT_RULE);
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static String unboundedMessage(Activation phi, double varW, double varB) {
    double k = phi.shape().homogeneousMeanSquare();
    String why = Double.isNaN(k) ? "" : " (sigma_w^2 E[phi(z)^2] = " + varW * k + (varB > 0 ? " >= 1 with sigma_b^2 > 0)"
        : " > 1)");
    return phi.label() + " activation with sigma_w^2 = " + varW + ", sigma_b^2 = " + varB
        + " has no finite fixed point q*: the length map grows without bound" + why
        + " (unbounded: no ordered or chaotic phase here)";
  }

  /** Below this q the tanh length map is evaluated through {@link #tanhSquareDeficit}. */
  private static final double SMALL_Q = 0.25;

  /**
   * x^2 - tanh^2 x &gt;= 0 to ~1e-14 relative: (x - tanh x)(x + tanh x), with x - tanh x from its series
   * x^3/3 - 2x^5/15 + 17x^7/315 - 62x^9/2835 + 1382x^11/155925 - 21844x^13/6081075 + 929569x^15/638512875
   * for |x| &lt; 0.2 (next term below 1e-16 relative) and directly beyond (error 3 eps / x^2 &lt;= 1e-14).
   */
  static double tanhSquareDeficit(double x) {
    double t = Math.tanh(x);
    double ax = Math.abs(x);
    double diff;
    if (ax < 0.2) {
      double x2 = x * x;
      diff = ax * x2 * (1.0 / 3 + x2 * (-2.0 / 15 + x2 * (17.0 / 315 + x2 * (-62.0 / 2835 + x2 * (1382.0 / 155925
          + x2 * (-21844.0 / 6081075 + x2 * 929569.0 / 638512875))))));
    } else {
      diff = ax - Math.abs(t);
    }
    return diff * (ax + Math.abs(t));
  }

  /** sigma_w^2 E[phi(u1) phi(u2)] / sigma_w^2 (with derivative=false) or E[phi'(u1) phi'(u2)] (true). */
  static double correlation(Activation phi, double q, double c, GaussianExpectation rule2,
                            boolean derivative) {
    double s = Math.sqrt(q);
    double a = s * c;
    double b = s * Math.sqrt(Math.max(0, 1 - c * c));
    DoubleUnaryOperator f = derivative ? phi::first : phi::value;
    // the inner integrand f(a z1 + b z2) has its structure at z2 = -a z1 / b on the length 1/b. For a kinked
    // phi the inner integral, a function of a z1 / b, is kinked-smoothed at z1 = 0 on the length b / |a|
    // (relu: b (x Phi(x) + phi_N(x)), x = a z1 / b), so the outer panels are graded on that length too.
    double outerScale = phi.shape().smooth() || b == 0 ? s : Math.max(s, Math.abs(a) / b);
    return expect(rule2, phi, z1 -> {
      double outer = f.applyAsDouble(s * z1);
      if (outer == 0) {
        return 0;
      }
      double center = b == 0 ? 0 : -a * z1 / b;
      return outer * expect(rule2, phi, z2 -> f.applyAsDouble(a * z1 + b * z2), center, b);
    }, 0, outerScale);
  }

  /**
   * E_z[f(z)] with structure of length 1/scale at center: {@link GaussianExpectation#expect(DoubleUnaryOperator,
   * double, double)} for smooth phi, {@link GaussianExpectation#expectWithEdgeAt} (a panel edge at the kink,
   * which phi(s z) has at z = 0 and phi(a z1 + b z2) at z2 = -a z1 / b) when phi is not.
   */
  static double expect(GaussianExpectation rule, Activation phi, DoubleUnaryOperator f, double center,
                       double scale) {
    return phi.shape().smooth() ? rule.expect(f, center, scale) : rule.expectWithEdgeAt(f, center, scale);
  }

  /** The stable fixed point c* &lt; 1 of the correlation map in the chaotic phase (chi_1 &gt; 1). */
  static double fixedPointC(Activation phi, double varW, double varB, double q, GaussianExpectation rule2) {
    DoubleUnaryOperator g = c -> (varW * correlation(phi, q, c, rule2, false) + varB) / q - c;
    if (varB == 0 && phi.shape().odd()) {
      // odd phi, no bias: C(0) = 0 is the stable fixed point in the chaotic phase
      return 0;
    }
    double hi = 1 - 1e-3;
    for (int i = 0; i < 30 && g.applyAsDouble(hi) >= 0; i++) {
      hi = 1 - (1 - hi) / 4;
    }
    if (g.applyAsDouble(hi) >= 0) {
      throw new IllegalStateException("correlation map: no fixed point below 1 found (sigma_w^2 = " + varW + ")");
    }
    double lo = 0;
    if (g.applyAsDouble(lo) < 0) {
      lo = -1 + 1e-12;
    }
    return Brent.root(g, lo, hi, 1e-16, 1e-17);
  }

  /**
   * The critical sigma_w^2 where chi_1 = 1 at this sigma_b^2 (the order-to-chaos transition). Positively
   * homogeneous phi: 1 / k for every sigma_b^2 (chi_1 = sigma_w^2 k; linear 1, relu 2; with sigma_b^2 &gt; 0 the
   * length map is unbounded there, see {@link #criticalQ}). Otherwise with sigma_b^2 = 0: 1 / phi'(0)^2
   * (tanh 1, erf pi / 4, where q* = 0). Tanh at large sigma_b^2: about 1.88 sqrt(sigma_b^2) (chi_1 ~
   * sigma_w^2 (4/3) / sqrt(2 pi q*)); refused when above {@value #MAX_VARIANCE}. The root is bracketed
   * upwards from 1 / phi'(0)^2 (where chi_1 &lt;= 1 when |phi'| is largest at 0, as for tanh and erf).
   */
  public static double criticalWeightVariance(Activation phi, double varB) {
    check(1, varB);
    double k = phi.shape().homogeneousMeanSquare();
    if (!Double.isNaN(k)) {
      return 1 / k;
    }
    double slope0 = sq(phi.first(0));
    if (varB == 0) {
      return 1 / slope0;
    }
    DoubleUnaryOperator g = vw -> lengthMap(phi, vw, varB, DEFAULT_RULE)[1] - 1;
    double lo = 1 / slope0;
    for (int i = 0; i < 200 && g.applyAsDouble(lo) > 0; i++) {
      lo /= 2;
    }
    double hi = 2 * lo;
    while (g.applyAsDouble(hi) < 0) {
      lo = hi;
      hi *= 2;
      if (hi > MAX_VARIANCE) {
        throw new IllegalArgumentException("the critical sigma_w^2 at sigma_b^2 = " + varB + " is above "
            + MAX_VARIANCE + ", the largest sigma_w^2 mean field accepts");
      }
    }
    return Brent.root(g, lo, hi, 1e-16);
  }

  /**
   * q* on the critical line at this sigma_b^2: {@link #criticalFixedPointQ} at {@link #criticalWeightVariance}.
   */
  public static double criticalQ(Activation phi, double varB) {
    return criticalFixedPointQ(phi, criticalWeightVariance(phi, varB), varB);
  }

  /**
   * q* at the critical sigma_w^2 {@code criticalVarW} ({@link #criticalWeightVariance}): for a positively
   * homogeneous phi (linear, relu; {@link Activation.Shape#homogeneousMeanSquare()}) 0 with sigma_b^2 = 0 and
   * +Infinity with sigma_b^2 &gt; 0, where the length map has no finite fixed point (q* = sigma_b^2 / (1 - 1));
   * else {@link #fixedPointQ} there.
   */
  public static double criticalFixedPointQ(Activation phi, double criticalVarW, double varB) {
    if (!Double.isNaN(phi.shape().homogeneousMeanSquare())) {
      return varB == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return fixedPointQ(phi, criticalVarW, varB, DEFAULT_RULE);
  }

  /**
   * xi = -1 / ln chi (layers). chi carries an absolute error of up to ~1e-14 from the quadrature, so
   * xi's relative error is up to ~1e-14 / |ln chi|; within {@value #CHI_RESOLUTION} of 1 the sign of ln chi is
   * not resolved and xi is +Infinity (critical to the accuracy of the quadrature).
   */
  static double depthScale(double chi) {
    if (Math.abs(chi - 1) <= CHI_RESOLUTION) {
      return Double.POSITIVE_INFINITY;
    }
    return -1 / Math.log(chi);
  }

  /** Throws {@link IllegalArgumentException} naming the value when (varW, varB) is outside the domain. */
  public static void checkDomain(double varW, double varB) {
    check(varW, varB);
  }

  private static void check(double varW, double varB) {
    if (!(varW >= MIN_WEIGHT_VARIANCE && varW <= MAX_VARIANCE)) {
      throw new IllegalArgumentException("sigma_w^2 must be in [" + MIN_WEIGHT_VARIANCE + ", " + MAX_VARIANCE
          + "], got " + varW);
    }
    if (!(varB == 0 || varB >= MIN_POSITIVE_BIAS_VARIANCE && varB <= MAX_VARIANCE)) {
      throw new IllegalArgumentException("sigma_b^2 must be 0 or in [" + MIN_POSITIVE_BIAS_VARIANCE + ", "
          + MAX_VARIANCE + "], got " + varB);
    }
  }

  private static double sq(double x) {
    return x * x;
  }
}
