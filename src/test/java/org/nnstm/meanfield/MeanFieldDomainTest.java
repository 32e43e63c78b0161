package org.nnstm.meanfield;

import org.nnstm.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/**
 * Mean field over its whole domain (sigma_w^2 up to 1e15, sigma_b^2 = 0 or 1e-300 to 1e15): against
 * 25-digit mpmath values at extreme variances (meanfield_extreme.csv, made by mpmath quad with
 * breakpoints at the integrand's scales), against the tanh-sinh twin {@link TanhSinhExpectation} for
 * random scales (jqwik, seeded), and the refusals outside the domain.
 */
class MeanFieldDomainTest {
  /** Graded Gauss-Legendre against tanh-sinh or mpmath: both converged, so rounding-level agreement. */
  static final double QUADRATURE_RTOL = 1e-12;
  /** Absolute accuracy of chi and c* (see MeanField.depthScale). */
  static final double CHI_ATOL = 1e-14;

  @Test
  void mpmathExtremeTable() throws Exception {
    for (String[] r : MeanFieldTest.rows("meanfield_extreme.csv")) {
      double vw = Double.parseDouble(r[0]);
      double vb = Double.parseDouble(r[1]);
      boolean twoD = !r[5].isEmpty();
      String at = " at sigma_w^2 = " + vw + ", sigma_b^2 = " + vb;
      if (!twoD) {
        double[] length = MeanField.lengthMap(Activation.TANH, vw, vb, new GaussianExpectation(200));
        Tolerance.assertClose("q*" + at, Double.parseDouble(r[3]), length[0], 0, QUADRATURE_RTOL);
        Tolerance.assertClose("chi_1" + at, Double.parseDouble(r[4]), length[1], CHI_ATOL, QUADRATURE_RTOL);
        Tolerance.assertClose("F'(q*)" + at, Double.parseDouble(r[9]), length[2], CHI_ATOL, QUADRATURE_RTOL);
        assertEquals(r[2], length[1] <= 1 ? "ordered" : "chaotic", "phase" + at);
        continue;
      }
      MeanFieldPoint p = MeanField.of(Activation.TANH, vw, vb);
      assertEquals(r[2], p.phase(), "phase" + at);
      Tolerance.assertClose("q*" + at, Double.parseDouble(r[3]), p.qStar(), 0, QUADRATURE_RTOL);
      Tolerance.assertClose("chi_1" + at, Double.parseDouble(r[4]), p.chi1(), CHI_ATOL, QUADRATURE_RTOL);
      Tolerance.assertClose("c*" + at, Double.parseDouble(r[5]), p.cStar(), CHI_ATOL, QUADRATURE_RTOL);
      Tolerance.assertClose("chi_c" + at, Double.parseDouble(r[6]), p.chiC(), CHI_ATOL, QUADRATURE_RTOL);
      Tolerance.assertClose("xi_q" + at, Double.parseDouble(r[8]), p.xiQ(), 0, xiRtol(Double.parseDouble(r[9])));
      Tolerance.assertClose("xi_c" + at, Double.parseDouble(r[7]), p.xiC(), 0, xiRtol(Double.parseDouble(r[6])));
    }
  }

  /** The issue's examples: chi_1 = 168.42 at 1e5 (was 192.9), 532.14 at 1e6 (was 173.7), 5319 at 1e8, chaotic. */
  @Test
  void issueExamples() {
    Tolerance.assertClose("chi_1 at 1e5", 168.4213980030693311438,
        MeanField.of(Activation.TANH, 1e5, 0.05).chi1(), 0, QUADRATURE_RTOL);
    MeanFieldPoint p = MeanField.of(Activation.TANH, 1e8, 0.05);
    Tolerance.assertClose("chi_1 at 1e8", 5319.442623202170944491, p.chi1(), 0, QUADRATURE_RTOL);
    assertEquals("chaotic", p.phase());
  }

  @Test
  void outsideTheDomainRefused() {
    double[][] bad = {{0, 0.05}, {-1, 0.05}, {Double.NaN, 0.05}, {Double.POSITIVE_INFINITY, 0.05}, {1.1e15, 0.05},
        {1e-250, 0.05}, {1.5, -1}, {1.5, Double.NaN}, {1.5, 1e-320}, {1.5, 2e15}, {1.5, Double.POSITIVE_INFINITY}};
    for (double[] b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MeanField.of(Activation.TANH, b[0], b[1]), () -> b[0] + ", " + b[1]);
      String value = String.valueOf(b[0] == 1.5 ? b[1] : b[0]);
      assertTrue(e.getMessage().contains(value), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> MeanField.criticalWeightVariance(Activation.TANH,
        Double.NaN));
  }

  /** Tiny sigma_b^2: q* ~ sqrt(sigma_b^2 / 2) at sigma_w^2 = 1 (was 2^-150 from a 300-step Brent cut short). */
  @Test
  void tinyBiasVarianceAtTheCriticalWeightVariance() {
    for (double vb : new double[] {1e-300, 1e-200, 1e-100}) {
      double q = MeanField.fixedPointQ(Activation.TANH, 1.0, vb, new GaussianExpectation(200));
      // q - 2 q^2 + sigma_b^2 = q: q* = sqrt(sigma_b^2 / 2) (1 + O(q*))
      Tolerance.assertClose("q* at sigma_w^2 = 1, sigma_b^2 = " + vb, Math.sqrt(vb / 2), q, 0, 1e-12);
    }
  }

  /** Critical line at large sigma_b^2: about 1.88 sqrt(sigma_b^2) (was refused above sigma_w^2 = 1e6). */
  @Test
  void criticalLineAtLargeBias() {
    double vb = 1e12;
    double crit = MeanField.criticalWeightVariance(Activation.TANH, vb);
    MeanFieldPoint p = MeanField.of(Activation.TANH, crit, vb);
    Tolerance.assertClose("chi_1 on the critical line at sigma_b^2 = 1e12", 1.0, p.chi1(), 0, 1e-12);
    assertTrue(crit > 1.5e6 && crit < 2.5e6, "critical sigma_w^2 " + crit);
  }

  @Provide
  Arbitrary<Double> scales() {
    return Arbitraries.doubles().between(-3, 7.65).ofScale(4)
        .map(e -> Math.pow(10, e));
  }

  /** The three 1-D expectations of MeanField, graded Gauss-Legendre against tanh-sinh, scale 1e-3 to 4.5e7. */
  @Property(tries = 60, seed = "15001")
  void oneDimensionalExpectationsMatchTwin(@ForAll("scales") double s) {
    GaussianExpectation rule = new GaussianExpectation(200);
    Activation phi = Activation.TANH;
    DoubleUnaryOperator[] fs = {
        z -> sq(phi.value(s * z)), z -> sq(phi.first(s * z)), z -> z * phi.value(s * z) * phi.first(s * z)};
    String[] names = {"E tanh^2", "E tanh'^2", "E z tanh tanh'"};
    for (int i = 0; i < fs.length; i++) {
      double fast = rule.expect(fs[i], 0, s);
      double slow = TanhSinhExpectation.expect(fs[i], 0);
      assertTrue(Double.isFinite(fast), names[i] + " not finite at s = " + s);
      Tolerance.assertClose(names[i] + " at s = " + s, slow, fast, 1e-300, QUADRATURE_RTOL);
    }
  }

  /** The correlation map's 2-D expectations against nested tanh-sinh, scale 1e-3 to 4.5e7, c in [0, 1). */
  @Property(tries = 8, seed = "15002")
  void correlationMatchesTwin(@ForAll("scales") double s,
                              @ForAll("correlations") double c) {
    Activation phi = Activation.TANH;
    double q = s * s;
    double a = s * c;
    double b = s * Math.sqrt(1 - c * c);
    GaussianExpectation rule2 = new GaussianExpectation(100);
    for (boolean derivative : new boolean[] {false, true}) {
      DoubleUnaryOperator f = derivative ? phi::first : phi::value;
      double fast = MeanField.correlation(phi, q, c, rule2, derivative);
      double slow = TanhSinhExpectation.expect(z1 -> {
        double outer = f.applyAsDouble(s * z1);
        return outer == 0 ? 0
            : outer * TanhSinhExpectation.expect(z2 -> f.applyAsDouble(a * z1 + b * z2), b == 0 ? 0 : -a * z1 / b);
      }, 0);
      Tolerance.assertClose((derivative ? "E phi' phi'" : "E phi phi") + " at s = " + s + ", c = " + c, slow, fast,
          CHI_ATOL * Math.min(1, 1 / s), QUADRATURE_RTOL);
    }
  }

  @Provide
  Arbitrary<Double> correlations() {
    return Arbitraries.oneOf(Arbitraries.doubles().between(0, 0.999).ofScale(6),
        Arbitraries.doubles().between(1, 9).ofScale(4).map(e -> 1 - Math.pow(10, -e)));
  }

  @Provide
  Arbitrary<Double> weightVariances() {
    return Arbitraries.oneOf(Arbitraries.doubles().between(-3, 12).ofScale(4).map(e -> Math.pow(10, e)),
        Arbitraries.of(1.0, 1e-200, 1e15),
        Arbitraries.doubles().between(-200, 15).ofScale(4).map(e -> Math.pow(10, e)));
  }

  @Provide
  Arbitrary<Double> biasVariances() {
    return Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.just(0.05),
        Arbitraries.doubles().between(-6, 6).ofScale(4).map(e -> Math.pow(10, e)),
        Arbitraries.doubles().between(-300, 15).ofScale(4).map(e -> Math.pow(10, e)));
  }

  /**
   * Any (sigma_w^2, sigma_b^2) in [1e-3, 1e12] or the whole domain [1e-200, 1e15] x ({0, 0.05}, [1e-6, 1e6]
   * or [1e-300, 1e15]): every output finite (a depth
   * scale may be +Infinity only within 1e-13 of criticality), q* a fixed point of the length map and
   * chi_1 and F'(q*) as the tanh-sinh twin computes them at q*, c* in [0, 1], the phase as chi_1 says.
   */
  @Property(tries = 30, seed = "15003")
  void meanFieldFiniteAndAccurate(@ForAll("weightVariances") double vw, @ForAll("biasVariances") double vb) {
    Activation phi = Activation.TANH;
    MeanFieldPoint p = MeanField.of(phi, vw, vb);
    String at = " at sigma_w^2 = " + vw + ", sigma_b^2 = " + vb;
    double q = p.qStar();
    double s = Math.sqrt(q);
    assertTrue(Double.isFinite(q) && q >= 0, "q*" + at + " = " + q);
    double length = vw * TanhSinhExpectation.expect(z -> sq(phi.value(s * z)), 0) + vb;
    Tolerance.assertClose("F(q*) = q*" + at, q, length, 1e-300, QUADRATURE_RTOL);
    double chi1 = vw * TanhSinhExpectation.expect(z -> sq(phi.first(s * z)), 0);
    Tolerance.assertClose("chi_1" + at, chi1, p.chi1(), 0, QUADRATURE_RTOL);
    if (s > 0) {
      double dF = vw * TanhSinhExpectation.expect(z -> z * phi.value(s * z) * phi.first(s * z), 0) / s;
      if (Math.abs(dF - 1) > 2 * MeanField.CHI_RESOLUTION) { // else xi_q may be +Infinity by design
        Tolerance.assertClose("xi_q" + at, -1 / Math.log(dF), p.xiQ(), 0, xiRtol(dF));
      }
    }
    assertEquals(p.chi1() <= 1 ? "ordered" : "chaotic", p.phase(), "phase" + at);
    assertTrue(p.cStar() >= -CHI_ATOL && p.cStar() <= 1, "c*" + at + " = " + p.cStar());
    assertTrue(Double.isFinite(p.chiC()) && p.chiC() > 0, "chi_c" + at + " = " + p.chiC());
    assertTrue(Double.isFinite(p.xiC()) || Math.abs(p.chiC() - 1) <= MeanField.CHI_RESOLUTION, "xi_c" + at);
  }

  /** Relative tolerance of xi = -1/ln chi: chi's error (1e-12 relative, 1e-14 absolute) over |ln chi|. */
  static double xiRtol(double chi) {
    return (QUADRATURE_RTOL + CHI_ATOL / chi) / Math.abs(Math.log(chi)); // d xi / xi = (d chi / chi) / |ln chi|
  }

  private static double sq(double x) {
    return x * x;
  }
}
