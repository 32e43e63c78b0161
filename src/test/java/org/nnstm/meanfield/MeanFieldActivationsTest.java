package org.nnstm.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;
import org.nnstm.testing.Tolerance;

/**
 * Mean field for ERF and RELU (MeanField integrates both numerically, with no per-activation code) against
 * (1) closed forms of their Gaussian expectations, for a centred Gaussian (u, v) with variances q1, q2 and
 * covariance c12:
 * <pre>
 *   erf:  E[erf(u) erf(v)]   = (2/pi) arcsin(2 c12 / sqrt((1 + 2 q1)(1 + 2 q2)))
 *         E[erf'(u) erf'(v)] = (4/pi) / sqrt((1 + 2 q1)(1 + 2 q2) - 4 c12^2)   (det(I + 2 Sigma)^(-1/2))
 *         so E[erf'(u)^2] = (4/pi) / sqrt(1 + 4 q), d/dq E[erf(u)^2] = (4/pi) / ((1 + 2 q) sqrt(1 + 4 q));
 *   relu: E[relu(u) relu(v)] = sqrt(q1 q2) / (2 pi) (sin t + (pi - t) cos t), cos t = c12 / sqrt(q1 q2)
 *         (the arc-cosine kernel), E[relu'(u) relu'(v)] = (pi - t) / (2 pi), so q' = sigma_w^2 q / 2
 *         + sigma_b^2 and chi_1 = sigma_w^2 / 2;
 * </pre>
 * with the fixed points of the closed-form maps found here by bisection (the slow obvious twin), and (2)
 * mpmath values of the defining integrals (tools/refs/activation_refs.py meanfield).
 */
class MeanFieldActivationsTest {
  /** MeanField's stated accuracy: q*, chi's to ~1e-12 relative or 1e-14 absolute, c* 1e-14 absolute. */
  private static final double RTOL = 1e-12;
  private static final double ATOL = 1e-14;
  private static final double FOUR_OVER_PI = 4 / Math.PI;

  /**
   * c* is the root of C(c) - c, whose slope is chi_c - 1: an error of 2e-15 in C (quadrature and erf
   * rounding) moves c* by 2e-15 / (1 - chi_c), which exceeds 1e-14 within 0.2 of chi_c = 1 (1.03e-14 was
   * measured at sigma_w^2 = 2, sigma_b^2 = 0.05, chi_c = 0.906).
   */
  static double cStarAtol(double chiC) {
    return Math.max(ATOL, 2e-15 / Math.abs(1 - chiC));
  }

  static double erfPair(double q1, double q2, double c12) {
    // arcsin(2 c12 / sqrt((1 + 2 q1)(1 + 2 q2))) written as an atan2, well conditioned also where the sine is ~1
    return 2 / Math.PI * Math.atan2(2 * c12, Math.sqrt(1 + 2 * (q1 + q2) + 4 * (q1 * q2 - c12 * c12)));
  }

  static double erfPairFirst(double q1, double q2, double c12) {
    // (1 + 2 q1)(1 + 2 q2) - 4 c12^2 expanded, so that the diagonal c12^2 = q1 q2 has no cancellation at large q
    return FOUR_OVER_PI / Math.sqrt(1 + 2 * (q1 + q2) + 4 * (q1 * q2 - c12 * c12));
  }

  static double reluPair(double q1, double q2, double c12) {
    double cos = Math.max(-1, Math.min(1, c12 / Math.sqrt(q1 * q2)));
    double t = Math.acos(cos);
    return Math.sqrt(q1 * q2) / (2 * Math.PI) * (Math.sin(t) + (Math.PI - t) * cos);
  }

  static double reluPairFirst(double q1, double q2, double c12) {
    return (Math.PI - Math.acos(Math.max(-1, Math.min(1, c12 / Math.sqrt(q1 * q2))))) / (2 * Math.PI);
  }

  /** A root of f in [a, b] (f(a), f(b) of opposite signs) by plain bisection to the last bit. */
  static double bisect(DoubleUnaryOperator f, double a, double b) {
    double fa = f.applyAsDouble(a);
    for (int i = 0; i < 2000; i++) {
      double m = 0.5 * (a + b);
      if (m <= a || m >= b) {
        break;
      }
      double fm = f.applyAsDouble(m);
      if (fm == 0) {
        return m;
      }
      if ((fm > 0) == (fa > 0)) {
        a = m;
        fa = fm;
      } else {
        b = m;
      }
    }
    return 0.5 * (a + b);
  }

  /** {q*, chi_1, c*, chi_c, F'(q*)} of erf from the closed forms. */
  static double[] erfClosedForm(double vw, double vb) {
    double q;
    if (vb == 0 && vw * FOUR_OVER_PI <= 1) {
      q = 0;
    } else {
      q = bisect(x -> vw * erfPair(x, x, x) + vb - x, vb == 0 ? 1e-300 : vb, vw + vb);
    }
    double chi1 = vw * erfPairFirst(q, q, q);
    double c = 1;
    double chiC = chi1;
    if (chi1 > 1) {
      double qq = q;
      c = vb == 0 ? 0 : bisect(x -> (vw * erfPair(qq, qq, x * qq) + vb) / qq - x, 0, 1 - 1e-9);
      chiC = vw * erfPairFirst(q, q, c * q);
    }
    double dF = vw * FOUR_OVER_PI / ((1 + 2 * q) * Math.sqrt(1 + 4 * q));
    return new double[] {q, chi1, c, chiC, dF};
  }

  /**
   * ERF {sigma_w^2, sigma_b^2, q*, chi_1, c*, chi_c}: tools/refs/activation_refs.py meanfield (mpmath 1.2.1,
   * mp.dps = 20, quad of the defining Gaussian expectations, findroot for the fixed points).
   */
  private static final double[][] ERF_MPMATH = {
      {0.5, 0.0, 0.0, 0.63661977236758134, 1.0, 0.63661977236758134},
      {0.7, 0.1, 0.25248307124017204, 0.62866234118706658, 1.0, 0.62866234118706658},
      {1.0, 0.05, 0.28842669172325551, 0.86759458417633062, 1.0, 0.86759458417633062},
      {1.5, 0.0, 0.5, 1.1026577908435841, 0.0, 0.95492965855137201},
      {2.0, 0.05, 0.96595481259284881, 1.1546527670577372, 0.43448123745557784, 0.90648222696307819},
      {3.0, 0.2, 1.9609323370301031, 1.2844394970406597, 0.50723396561876282, 0.84846138206995943},
      {6.0, 1.0, 5.4186587859842, 1.6043208039359628, 0.57644616652422384, 0.75979347569395223}
  };

  /** RELU {sigma_w^2, sigma_b^2, q*, chi_1}: the same script (quad of E relu(z)^2 and E relu'(z)^2). */
  private static final double[][] RELU_MPMATH = {
      {0.5, 0.0, 0.0, 0.25},
      {1.0, 0.05, 0.10000000000000001, 0.5},
      {1.5, 0.3, 1.2, 0.75},
      {1.9, 0.01, 0.19999999999999983, 0.94999999999999996}
  };

  @Test
  void mpmathValues() {
    for (double[] r : ERF_MPMATH) {
      MeanFieldPoint p = MeanField.of(Activation.ERF, r[0], r[1]);
      String at = " at sigma_w^2 = " + r[0] + ", sigma_b^2 = " + r[1];
      Tolerance.assertClose("erf q*" + at, r[2], p.qStar(), 1e-300, RTOL);
      Tolerance.assertClose("erf chi_1" + at, r[3], p.chi1(), ATOL, RTOL);
      Tolerance.assertClose("erf c*" + at, r[4], p.cStar(), cStarAtol(r[5]), 0);
      Tolerance.assertClose("erf chi_c" + at, r[5], p.chiC(), ATOL, RTOL);
    }
    for (double[] r : RELU_MPMATH) {
      MeanFieldPoint p = MeanField.of(Activation.RELU, r[0], r[1]);
      String at = " at sigma_w^2 = " + r[0] + ", sigma_b^2 = " + r[1];
      Tolerance.assertClose("relu q*" + at, r[2], p.qStar(), 1e-300, RTOL);
      Tolerance.assertClose("relu chi_1" + at, r[3], p.chi1(), ATOL, RTOL);
    }
  }

  @Test
  void erfExpectationsMatchClosedForms() {
    GaussianExpectation rule2 = new GaussianExpectation(100);
    for (double q : new double[] {1e-3, 1.0, 400}) {
      for (double c : new double[] {-0.9, 0, 0.35, 0.999, 1}) {
        Tolerance.assertClose("E erf erf at q = " + q + ", c = " + c, erfPair(q, q, c * q),
            MeanField.correlation(Activation.ERF, q, c, rule2, false), ATOL, RTOL);
        Tolerance.assertClose("E erf' erf' at q = " + q + ", c = " + c, erfPairFirst(q, q, c * q),
            MeanField.correlation(Activation.ERF, q, c, rule2, true), ATOL, RTOL);
      }
    }
  }

  @Test
  void erfMeanFieldMatchesClosedForms() {
    for (double vb : new double[] {0, 0.05, 2.0}) {
      for (double vw : new double[] {0.3, 0.9, 1.2, 2.5, 10.0}) {
        double[] want = erfClosedForm(vw, vb);
        MeanFieldPoint p = MeanField.of(Activation.ERF, vw, vb);
        String at = " at sigma_w^2 = " + vw + ", sigma_b^2 = " + vb;
        Tolerance.assertClose("q*" + at, want[0], p.qStar(), 1e-300, RTOL);
        Tolerance.assertClose("chi_1" + at, want[1], p.chi1(), ATOL, RTOL);
        Tolerance.assertClose("c*" + at, want[2], p.cStar(), cStarAtol(want[3]), 0);
        Tolerance.assertClose("chi_c" + at, want[3], p.chiC(), ATOL, RTOL);
        assertEquals(want[1] <= 1 ? "ordered" : "chaotic", p.phase(), "phase" + at);
        // xi = -1/ln chi: the chi error 1e-12 relative becomes 1e-12 / |ln chi|
        Tolerance.assertClose("xi_q" + at, -1 / Math.log(want[4]), p.xiQ(), 0, 1e-12 / Math.abs(Math.log(want[4])));
        Tolerance.assertClose("xi_c" + at, -1 / Math.log(want[3]), p.xiC(), 0, 1e-12 / Math.abs(Math.log(want[3])));
      }
    }
  }

  @Test
  void erfCriticalLineMatchesClosedForm() {
    // sigma_b^2 = 0: chi_1 = sigma_w^2 erf'(0)^2 at q* = 0, so the transition is at pi / 4
    // (1 / erf'(0)^2 with erf'(0) = 2 / sqrt(pi) rounded: within 2 ulp of pi / 4)
    Tolerance.assertClose("pi / 4", Math.PI / 4, MeanField.criticalWeightVariance(Activation.ERF, 0), 0, 3e-16);
    assertEquals("ordered", MeanField.of(Activation.ERF, Math.PI / 4 * (1 - 1e-9), 0).phase());
    assertEquals("chaotic", MeanField.of(Activation.ERF, Math.PI / 4 * (1 + 1e-6), 0).phase());
    // on the line chi_1 = 1: sigma_w^2 = (pi/4) sqrt(1 + 4 q*) and sigma_b^2 = q* - sigma_w^2 (2/pi)
    // arcsin(2 q* / (1 + 2 q*)), both explicit in q*
    for (double q : new double[] {0.01, 0.2, 1.0, 5.0, 40.0}) {
      double vw = Math.PI / 4 * Math.sqrt(1 + 4 * q);
      double vb = q - vw * erfPair(q, q, q);
      double crit = MeanField.criticalWeightVariance(Activation.ERF, vb);
      Tolerance.assertClose("critical sigma_w^2 at sigma_b^2 = " + vb, vw, crit, 0, 1e-11);
      Tolerance.assertClose("critical q* at sigma_b^2 = " + vb, q, MeanField.criticalQ(Activation.ERF, vb), 0, 1e-10);
    }
  }

  @Test
  void reluExpectationsMatchArcCosineKernel() {
    GaussianExpectation rule2 = new GaussianExpectation(100);
    for (double q : new double[] {1e-3, 0.3, 1.0, 7.5, 400}) {
      for (double c : new double[] {-1, -0.9, -0.2, 0, 0.35, 0.8, 0.999, 1}) {
        Tolerance.assertClose("E relu relu at q = " + q + ", c = " + c, reluPair(q, q, c * q),
            MeanField.correlation(Activation.RELU, q, c, rule2, false), ATOL * q, RTOL);
        Tolerance.assertClose("E relu' relu' at q = " + q + ", c = " + c, reluPairFirst(q, q, c * q),
            MeanField.correlation(Activation.RELU, q, c, rule2, true), ATOL, RTOL);
      }
    }
  }

  @Test
  void reluMeanFieldIsOrderedUpToTwoAndUnboundedBeyond() {
    for (double vb : new double[] {0, 0.05, 1.0}) {
      for (double vw : new double[] {0.1, 0.5, 1.0, 1.5, 1.99}) {
        MeanFieldPoint p = MeanField.of(Activation.RELU, vw, vb);
        String at = " at sigma_w^2 = " + vw + ", sigma_b^2 = " + vb;
        Tolerance.assertClose("q*" + at, vb / (1 - vw / 2), p.qStar(), 1e-300, 1e-15);
        assertEquals(vw / 2, p.chi1(), 0.0, "chi_1" + at);
        assertEquals(1.0, p.cStar(), "c*" + at);
        assertEquals(vw / 2, p.chiC(), 0.0, "chi_c" + at);
        assertEquals(-1 / Math.log(vw / 2), p.xiC(), 0.0, "xi_c" + at);
        assertEquals(-1 / Math.log(vw / 2), p.xiQ(), 0.0, "xi_q" + at);
        assertEquals("ordered", p.phase(), "phase" + at);
        assertFalse(MeanField.unbounded(Activation.RELU, vw, vb));
        // the length map really has this fixed point: sigma_w^2 E[relu(sqrt(q*) z)^2] + sigma_b^2 by quadrature
        double s = Math.sqrt(p.qStar());
        double f = vw * new GaussianExpectation(200).expect(z -> Math.pow(Activation.RELU.value(s * z), 2), 0, s) + vb;
        Tolerance.assertClose("F(q*) = q*" + at, p.qStar(), f, 1e-300, RTOL);
        // the correlation map has c = 1 as its fixed point and chi_c = sigma_w^2 E[relu' relu'] at c = 1
        if (vb > 0) {
          Tolerance.assertClose("C(1) = 1" + at, 1.0, (vw * reluPair(p.qStar(), p.qStar(), p.qStar()) + vb)
              / p.qStar(), 0, 1e-15);
        }
      }
    }
    // criticality at sigma_w^2 = 2 for every sigma_b^2; with sigma_b^2 = 0 the marginal point q* = 0, chi_1 = 1
    for (double vb : new double[] {0, 0.05, 3.0}) {
      assertEquals(2.0, MeanField.criticalWeightVariance(Activation.RELU, vb));
      assertEquals(vb == 0 ? 0 : Double.POSITIVE_INFINITY, MeanField.criticalQ(Activation.RELU, vb));
    }
    MeanFieldPoint crit = MeanField.of(Activation.RELU, 2, 0);
    assertEquals(0.0, crit.qStar());
    assertEquals(1.0, crit.chi1());
    assertEquals(Double.POSITIVE_INFINITY, crit.xiC());
    assertEquals("ordered", crit.phase());
    // no chaotic phase: beyond 2 (or at 2 with a bias) q grows without bound, and mean field says so
    for (double[] at : new double[][] {{2.0000001, 0}, {3, 0}, {2, 0.05}, {8, 1}}) {
      assertTrue(MeanField.unbounded(Activation.RELU, at[0], at[1]));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MeanField.of(Activation.RELU, at[0], at[1]));
      assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("without bound")
          && e.getMessage().contains(String.valueOf(at[0])), e.getMessage());
    }
    assertTrue(MeanField.unbounded(Activation.IDENTITY, 1.5, 0));
    assertFalse(MeanField.unbounded(Activation.TANH, 50, 0.1));
    assertFalse(MeanField.unbounded(Activation.ERF, 50, 0.1));
  }

  @Test
  void twoInputMapsMatchClosedForms() {
    double[][] moments = {{0.7, 1.3, -0.4}, {2.0, 0.5, 0.9}, {0.05, 0.08, 0.06}, {3.0, 3.0, 2.999}};
    for (double[] m : moments) {
      TwoInputMaps.Moments in = new TwoInputMaps.Moments(m[0], m[1], m[2]);
      double vw = 1.7;
      double vb = 0.1;
      TwoInputMaps.Moments erf = TwoInputMaps.next(Activation.ERF, vw, vb, in);
      Tolerance.assertClose("erf two-input map at " + java.util.Arrays.toString(m),
          new double[] {vw * erfPair(m[0], m[0], m[0]) + vb, vw * erfPair(m[1], m[1], m[1]) + vb,
              vw * erfPair(m[0], m[1], m[2]) + vb},
          new double[] {erf.q1(), erf.q2(), erf.q12()}, ATOL, 1e-11);
      TwoInputMaps.Moments relu = TwoInputMaps.next(Activation.RELU, vw, vb, in);
      Tolerance.assertClose("relu two-input map at " + java.util.Arrays.toString(m),
          new double[] {vw * m[0] / 2 + vb, vw * m[1] / 2 + vb, vw * reluPair(m[0], m[1], m[2]) + vb},
          new double[] {relu.q1(), relu.q2(), relu.q12()}, ATOL, 1e-11);
    }
  }

  @Test
  void erfAcrossTheDomainIsFiniteAndConsistent() {
    // the corners of the domain and both sides of the sigma_b^2 = 0 transition at pi / 4
    double[][] at = {{1e-200, 0}, {1e-200, 1e15}, {Math.PI / 4 * (1 - 1e-12), 0}, {Math.PI / 4 * (1 + 1e-6), 0},
        {1e15, 0}, {1e15, 1e-300}, {1e15, 1e15}, {1e8, 1e-10}};
    for (double[] a : at) {
      MeanFieldPoint p = MeanField.of(Activation.ERF, a[0], a[1]);
      String where = " at sigma_w^2 = " + a[0] + ", sigma_b^2 = " + a[1];
      assertTrue(Double.isFinite(p.qStar()) && p.qStar() >= 0 && Double.isFinite(p.chi1()) && p.cStar() >= -ATOL
          && p.cStar() <= 1, "finite" + where + ": " + p);
      // q* is the fixed point of the closed-form length map
      Tolerance.assertClose("F(q*) = q*" + where, p.qStar(), a[0] * erfPair(p.qStar(), p.qStar(), p.qStar()) + a[1],
          1e-300, RTOL);
      Tolerance.assertClose("chi_1" + where, a[0] * erfPairFirst(p.qStar(), p.qStar(), p.qStar()), p.chi1(), 1e-300,
          RTOL);
    }
  }
}
