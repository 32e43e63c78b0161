package org.nnstm.meanfield;

import org.nnstm.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/**
 * Mean field against (1) the published values of the issue (1e-6), (2) 20-digit mpmath values
 * (shared/refs/partC_*.csv, computed with mpmath quad and findroot) to 1e-9 relative, (3) the closed
 * forms of the linear network, (4) itself with twice as many quadrature panels (1e-12).
 */
class MeanFieldTest {
  static final double INDEPENDENT_RTOL = 1e-9;

  static List<String[]> rows(String name) throws IOException {
    try (InputStream in = MeanFieldTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).map(l -> l.split(",")).toList();
    }
  }

  @Test
  void publishedValues() {
    MeanFieldPoint a = MeanField.of(Activation.TANH, 1.5, 0.05);
    assertEquals(0.418037, a.qStar(), 1e-6);
    assertEquals(0.938636, a.chi1(), 1e-6);
    assertEquals(15.79, a.xiC(), 0.005);
    assertEquals("ordered", a.phase());
    MeanFieldPoint b = MeanField.of(Activation.TANH, 2.0, 0.05);
    assertEquals(0.721762, b.qStar(), 1e-6);
    assertEquals(0.744082, b.cStar(), 1e-6);
    assertEquals(25.21, b.xiC(), 0.005);
    assertEquals("chaotic", b.phase());
    double crit = MeanField.criticalWeightVariance(Activation.TANH, 0.05);
    assertEquals(1.760955, crit, 1e-6);
    assertEquals(0.570048, MeanField.of(Activation.TANH, crit, 0.05).qStar(), 1e-6);
  }

  @Test
  void mpmathTable() throws IOException {
    for (String[] r : rows("partC_meanfield_table.csv")) {
      double vw = Double.parseDouble(r[0]);
      double vb = Double.parseDouble(r[1]);
      MeanFieldPoint p = MeanField.of(Activation.TANH, vw, vb);
      String at = " at sigma_w^2 = " + vw;
      assertEquals(r[2], p.phase(), "phase" + at);
      Tolerance.assertClose("q*" + at, Double.parseDouble(r[3]), p.qStar(), 0, INDEPENDENT_RTOL);
      Tolerance.assertClose("chi_1" + at, Double.parseDouble(r[4]), p.chi1(), 0, INDEPENDENT_RTOL);
      Tolerance.assertClose("c*" + at, Double.parseDouble(r[5]), p.cStar(), 0, INDEPENDENT_RTOL);
      Tolerance.assertClose("chi_c" + at, Double.parseDouble(r[6]), p.chiC(), 0, INDEPENDENT_RTOL);
      // xi = -1/ln(chi): relative error grows by 1/|ln chi| (426 near criticality)
      Tolerance.assertClose("xi_c" + at, Double.parseDouble(r[7]), p.xiC(), 0, 1e-6);
      Tolerance.assertClose("xi_q" + at, Double.parseDouble(r[8]), p.xiQ(), 0, INDEPENDENT_RTOL);
    }
  }

  @Test
  void mpmathCriticalLine() throws IOException {
    for (String[] r : rows("partC_critical_line.csv")) {
      double vb = Double.parseDouble(r[0]);
      double crit = MeanField.criticalWeightVariance(Activation.TANH, vb);
      Tolerance.assertClose("critical sigma_w^2 at sigma_b^2 = " + vb, Double.parseDouble(r[1]), crit, 0,
          INDEPENDENT_RTOL);
      if (vb > 0) {
        MeanFieldPoint p = MeanField.of(Activation.TANH, crit, vb);
        Tolerance.assertClose("q* on the critical line at sigma_b^2 = " + vb, Double.parseDouble(r[2]), p.qStar(),
            0, INDEPENDENT_RTOL);
        Tolerance.assertClose("chi_1 on the critical line", 1.0, p.chi1(), 0, 1e-12);
        Tolerance.assertClose("xi_q on the critical line at sigma_b^2 = " + vb, Double.parseDouble(r[3]), p.xiQ(),
            0, INDEPENDENT_RTOL);
      }
    }
  }

  @Test
  void linearClosedForms() {
    for (double vw : new double[] {0.3, 0.5, 0.9}) {
      MeanFieldPoint p = MeanField.of(Activation.IDENTITY, vw, 0.2);
      Tolerance.assertClose("linear q*", 0.2 / (1 - vw), p.qStar(), 0, 1e-14);
      Tolerance.assertClose("linear chi_1", vw, p.chi1(), 0, 1e-13);
      Tolerance.assertClose("linear xi_q", -1 / Math.log(vw), p.xiQ(), 0, 1e-12);
      assertEquals(1.0, p.cStar());
    }
    assertThrows(IllegalArgumentException.class, () -> MeanField.of(Activation.IDENTITY, 1.5, 0.05));
    assertEquals(1.0, MeanField.criticalWeightVariance(Activation.IDENTITY, 0.05));
  }

  @Test
  void quadratureConvergedAndInputsChecked() {
    for (double vw : new double[] {0.5, 2.5, 8.0}) {
      MeanFieldPoint a = MeanField.of(Activation.TANH, vw, 0.1);
      MeanFieldPoint b = MeanField.of(Activation.TANH, vw, 0.1, new GaussianExpectation(400),
          new GaussianExpectation(200));
      Tolerance.assertClose("q* panel halving at " + vw, b.qStar(), a.qStar(), 0, 1e-12);
      Tolerance.assertClose("chi_1 panel halving at " + vw, b.chi1(), a.chi1(), 0, 1e-12);
      Tolerance.assertClose("c* panel halving at " + vw, b.cStar(), a.cStar(), 0, 1e-12);
    }
    GaussianExpectation e = new GaussianExpectation(200);
    Tolerance.assertClose("E z^2", 1.0, e.expect(z -> z * z), 0, 1e-14);
    Tolerance.assertClose("E z^4", 3.0, e.expect(z -> z * z * z * z), 0, 1e-14);
    Tolerance.assertClose("E z1^2 z2^2", 1.0, e.expect2((x, y) -> x * x * y * y), 0, 1e-13);
    assertThrows(IllegalArgumentException.class, () -> MeanField.of(Activation.TANH, -1, 0.05));
    assertThrows(IllegalArgumentException.class, () -> MeanField.of(Activation.TANH, 1, Double.NaN));
  }
}
