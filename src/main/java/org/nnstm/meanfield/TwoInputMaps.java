package org.nnstm.meanfield;

import org.nnstm.tensor.Activation;

/**
 * The mean-field recursion for two inputs x_1, x_2 through a deep random network with
 * W^l ~ N(0, sigma_w^2 / n_{l-1}), b^l ~ N(0, sigma_b^2) (Poole et al. 2016, eqs. 3 and 5): the
 * pre-activation second moments q_a^l = E[(z_{a,i}^l)^2] (a = 1, 2) and q_12^l = E[z_{1,i}^l z_{2,i}^l],
 * at infinite width, where each pre-activation pair is a centred Gaussian.
 * <pre>
 *   input (layer 0 -&gt; 1, no activation on the input):
 *     q_a^1 = sigma_w^2 |x_a|^2 / n_0 + sigma_b^2,   q_12^1 = sigma_w^2 (x_1 . x_2) / n_0 + sigma_b^2
 *   hidden (l -&gt; l+1):
 *     q_a^{l+1}  = sigma_w^2 E_z[phi(sqrt(q_a^l) z)^2] + sigma_b^2
 *     q_12^{l+1} = sigma_w^2 E[phi(u_1) phi(u_2)] + sigma_b^2,
 *       u_1 = sqrt(q_1) z_1, u_2 = sqrt(q_2) (c z_1 + sqrt(1 - c^2) z_2), c = q_12 / sqrt(q_1 q_2)
 * </pre>
 * With q_1 = q_2 = q* the second line is {@link MeanField}'s correlation map C(c) times q*.
 */
public final class TwoInputMaps {
  /** 40 panels of 10-point Gauss-Legendre per axis: 1e-12 relative or better for tanh at q up to ~10. */
  private static final GaussianExpectation RULE = new GaussianExpectation(40);

  private TwoInputMaps() {}

  /** Second moments (q_1, q_2, q_12) of one layer; c = q_12 / sqrt(q_1 q_2). */
  public record Moments(double q1, double q2, double q12) {
    public double c() {
      return q12 / Math.sqrt(q1 * q2);
    }

    /** (q_1 + q_2) / 2, the mean squared pre-activation over both inputs. */
    public double meanQ() {
      return 0.5 * (q1 + q2);
    }
  }

  /** Layer 1 from the inputs' moments q_a^0 = |x_a|^2 / n_0, q_12^0 = x_1 . x_2 / n_0 (linear in them). */
  public static Moments firstLayer(double varW, double varB, Moments input) {
    check(varW, varB);
    return new Moments(varW * input.q1() + varB, varW * input.q2() + varB, varW * input.q12() + varB);
  }

  /** Layer l+1 from layer l (l &gt;= 1) with {@code RULE}. */
  public static Moments next(Activation phi, double varW, double varB, Moments m) {
    return next(phi, varW, varB, m, RULE);
  }

  /**
   * Layer l+1 from layer l with an explicit quadrature rule: product Gauss-Legendre for smooth phi, nested
   * 1-D rules with panel edges at the kinks when phi is not smooth ({@link Activation.Shape#smooth()}: relu).
   */
  public static Moments next(Activation phi, double varW, double varB, Moments m, GaussianExpectation rule) {
    check(varW, varB);
    if (!(m.q1() > 0) || !(m.q2() > 0) || !Double.isFinite(m.q1()) || !Double.isFinite(m.q2())) {
      throw new IllegalArgumentException("two-input map: q_1 = " + m.q1() + ", q_2 = " + m.q2()
          + " (need finite and > 0)");
    }
    double s1 = Math.sqrt(m.q1());
    double s2 = Math.sqrt(m.q2());
    double c = Math.max(-1, Math.min(1, m.c()));
    double a = s2 * c;
    double b = s2 * Math.sqrt(Math.max(0, 1 - c * c));
    if (!phi.shape().smooth()) {
      // a kink at 0 (relu): panel edges at z = 0 and, for the inner variable, at z2 = -a z1 / b; the inner
      // integral varies on the length b / |a| in z1 (see MeanField.correlation)
      double outerScale = b == 0 ? s1 : Math.max(s1, Math.abs(a) / b);
      double q1 = varW * rule.expectWithEdgeAt(z -> sq(phi.value(s1 * z)), 0, s1) + varB;
      double q2 = varW * rule.expectWithEdgeAt(z -> sq(phi.value(s2 * z)), 0, s2) + varB;
      double q12 = varW * rule.expectWithEdgeAt(z1 -> {
        double outer = phi.value(s1 * z1);
        if (outer == 0) {
          return 0;
        }
        double center = b == 0 ? 0 : -a * z1 / b;
        return outer * rule.expectWithEdgeAt(z2 -> phi.value(a * z1 + b * z2), center, b);
      }, 0, outerScale) + varB;
      return new Moments(q1, q2, q12);
    }
    double q1 = varW * rule.expect(z -> sq(phi.value(s1 * z))) + varB;
    double q2 = varW * rule.expect(z -> sq(phi.value(s2 * z))) + varB;
    double q12 = varW * rule.expect2((z1, z2) -> phi.value(s1 * z1) * phi.value(a * z1 + b * z2)) + varB;
    return new Moments(q1, q2, q12);
  }

  /**
   * Layers 0..depth: [0] the inputs' moments, [1] {@link #firstLayer}, [l+1] = {@link #next}([l]).
   */
  public static Moments[] iterate(Activation phi, double varW, double varB, Moments input, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    Moments[] out = new Moments[depth + 1];
    out[0] = input;
    out[1] = firstLayer(varW, varB, input);
    for (int l = 1; l < depth; l++) {
      out[l + 1] = next(phi, varW, varB, out[l]);
    }
    return out;
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
