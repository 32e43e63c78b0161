package org.nnstm.meanfield;

import java.util.function.DoubleUnaryOperator;

/**
 * Mean-field theory of signal propagation in deep random networks with W ~ N(0, sigma_w^2 / n),
 * b ~ N(0, sigma_b^2) (Poole et al. 2016, eqs. 3-5; Schoenholz et al. 2017, eqs. 4-9):
 * <ul>
 *   <li>length map F(q) = sigma_w^2 E_z[phi(sqrt(q) z)^2] + sigma_b^2, fixed point q* = F(q*);</li>
 *   <li>chi_1 = sigma_w^2 E_z[phi'(sqrt(q*) z)^2];</li>
 *   <li>correlation map C(c) = (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q* with u1 = sqrt(q*) z1,
 *       u2 = sqrt(q*) (c z1 + sqrt(1 - c^2) z2), stable fixed point c* (1 when chi_1 <= 1);</li>
 *   <li>chi_c = sigma_w^2 E[phi'(u1) phi'(u2)] at c*, xi_c = -1/ln chi_c;</li>
 *   <li>xi_q = -1/ln F'(q*), F'(q*) = chi_1 + sigma_w^2 E_z[phi''(sqrt(q*) z) phi(sqrt(q*) z)];</li>
 *   <li>the critical sigma_w^2(sigma_b^2) where chi_1 = 1.</li>
 * </ul>
 * Expectations by {@link GaussianExpectation}; fixed points and the critical line by Brent's method to
 * 1e-15 relative. Checked against 20-digit mpmath values (shared/refs/partC_*.csv) to 1e-9 relative.
 */
public final class MeanField {
  private static final GaussianExpectation DEFAULT_RULE = new GaussianExpectation(200);
  private static final GaussianExpectation RULE_2D = new GaussianExpectation(100);

  private MeanField() {}

  /** All quantities at (varW, varB) for the activation. */
  public static MeanFieldPoint of(MeanFieldActivation phi, double varW, double varB) {
    return of(phi, varW, varB, DEFAULT_RULE, RULE_2D);
  }

  /** As {@link #of(MeanFieldActivation, double, double)} with explicit quadrature rules (1-D, 2-D). */
  public static MeanFieldPoint of(MeanFieldActivation phi, double varW, double varB, GaussianExpectation rule,
                                  GaussianExpectation rule2) {
    check(varW, varB);
    double q = fixedPointQ(phi, varW, varB, rule);
    double s = Math.sqrt(q);
    double chi1 = varW * rule.expect(z -> sq(phi.first(s * z)));
    double dFdq = chi1 + varW * rule.expect(z -> phi.second(s * z) * phi.value(s * z));
    double xiQ = -1 / Math.log(dFdq);
    boolean ordered = chi1 <= 1;
    double c = ordered ? 1 : fixedPointC(phi, varW, varB, q, rule2);
    double chiC = ordered ? chi1 : varW * correlation(phi, q, c, rule2, true);
    double xiC = -1 / Math.log(chiC);
    return new MeanFieldPoint(varW, varB, q, chi1, c, chiC, xiC, xiQ, ordered ? "ordered" : "chaotic");
  }

  /**
   * The fixed point q* of the length map. Linear phi: q* = sigma_b^2 / (1 - sigma_w^2), defined for
   * sigma_w^2 < 1 only (an error otherwise: the length map grows without bound). Bounded phi (tanh): the
   * unique positive root, bracketed in [sigma_b^2, sigma_w^2 + sigma_b^2]; with sigma_b^2 = 0, q* = 0
   * when sigma_w^2 <= 1.
   */
  public static double fixedPointQ(MeanFieldActivation phi, double varW, double varB, GaussianExpectation rule) {
    check(varW, varB);
    if (phi == MeanFieldActivation.LINEAR) {
      if (varW >= 1) {
        throw new IllegalArgumentException("linear activation with sigma_w^2 = " + varW
            + " >= 1 has no finite fixed point q* (the length map grows without bound)");
      }
      return varB / (1 - varW);
    }
    DoubleUnaryOperator g = q -> varW * rule.expect(z -> sq(phi.value(Math.sqrt(q) * z))) + varB - q;
    if (varB == 0) {
      if (varW <= 1) {
        return 0;
      }
      return Brent.root(g, 1e-12 * varW, varW, 1e-16);
    }
    double lo = varB;
    double hi = varW + varB;
    return Brent.root(g, lo, hi, 1e-16);
  }

  /** sigma_w^2 E[phi(u1) phi(u2)] / sigma_w^2 (with derivative=false) or E[phi'(u1) phi'(u2)] (true). */
  static double correlation(MeanFieldActivation phi, double q, double c, GaussianExpectation rule2,
                            boolean derivative) {
    double s = Math.sqrt(q);
    double a = s * c;
    double b = s * Math.sqrt(Math.max(0, 1 - c * c));
    if (derivative) {
      return rule2.expect2((z1, z2) -> phi.first(s * z1) * phi.first(a * z1 + b * z2));
    }
    return rule2.expect2((z1, z2) -> phi.value(s * z1) * phi.value(a * z1 + b * z2));
  }

  /** The stable fixed point c* < 1 of the correlation map in the chaotic phase (chi_1 > 1). */
  static double fixedPointC(MeanFieldActivation phi, double varW, double varB, double q, GaussianExpectation rule2) {
    DoubleUnaryOperator g = c -> (varW * correlation(phi, q, c, rule2, false) + varB) / q - c;
    if (varB == 0 && phi != MeanFieldActivation.LINEAR) {
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
    return Brent.root(g, lo, hi, 1e-16);
  }

  /**
   * The critical sigma_w^2 where chi_1 = 1 at this sigma_b^2 (the order-to-chaos transition). Linear phi:
   * 1 for every sigma_b^2 (chi_1 = sigma_w^2). Tanh with sigma_b^2 = 0: 1.
   */
  public static double criticalWeightVariance(MeanFieldActivation phi, double varB) {
    check(1, varB);
    if (phi == MeanFieldActivation.LINEAR || varB == 0) {
      return 1;
    }
    DoubleUnaryOperator g = vw -> {
      double q = fixedPointQ(phi, vw, varB, DEFAULT_RULE);
      double s = Math.sqrt(q);
      return vw * DEFAULT_RULE.expect(z -> sq(phi.first(s * z))) - 1;
    };
    double lo = 1;
    double hi = 2;
    while (g.applyAsDouble(hi) < 0) {
      lo = hi;
      hi *= 2;
      if (hi > 1e6) {
        throw new IllegalStateException("no critical point below sigma_w^2 = 1e6 for sigma_b^2 = " + varB);
      }
    }
    return Brent.root(g, lo, hi, 1e-16);
  }

  private static void check(double varW, double varB) {
    if (!(varW > 0) || Double.isInfinite(varW)) {
      throw new IllegalArgumentException("sigma_w^2 must be finite and > 0, got " + varW);
    }
    if (!(varB >= 0) || Double.isInfinite(varB)) {
      throw new IllegalArgumentException("sigma_b^2 must be finite and >= 0, got " + varB);
    }
  }

  private static double sq(double x) {
    return x * x;
  }
}
