package org.nnstm.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nnstm.testing.Tolerance;
import org.junit.jupiter.api.Test;

class BesselKTest {
  /** K_nu relative accuracy against mpmath where K is a normal double. */
  static final double BESSEL_RTOL = 1e-13;
  /** ln K against mpmath: relative on ln K (absolute 1e-13 covers ln K near 0). */
  static final double LOG_BESSEL_ATOL = 1e-13;

  static List<String[]> csv(String name) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        BesselKTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
    }
    return rows;
  }

  @Test
  void matchesMpmathReference() throws IOException {
    for (String[] row : csv("besselk_reference.csv")) {
      double nu = Double.parseDouble(row[0]);
      double x = Double.parseDouble(row[1]);
      double k = Double.parseDouble(row[2]);
      double logK = Double.parseDouble(row[5]);
      Tolerance.assertClose("K_" + nu + "(" + x + ")", k, BesselK.value(nu, x), Tolerance.DOUBLE_ATOL, BESSEL_RTOL);
      Tolerance.assertClose("ln K_" + nu + "(" + x + ")", logK, BesselK.log(nu, x), LOG_BESSEL_ATOL, BESSEL_RTOL);
      Tolerance.assertClose("K_-" + nu + "(" + x + ")", k, BesselK.value(-nu, x), Tolerance.DOUBLE_ATOL, BESSEL_RTOL);
    }
  }

  @Test
  void logMatchesMpmathAtLargeX() throws IOException {
    for (String[] row : csv("besselk_log_large_x.csv")) {
      double nu = Double.parseDouble(row[0]);
      double x = Double.parseDouble(row[1]);
      Tolerance.assertClose("ln K_" + nu + "(" + x + ")", Double.parseDouble(row[2]), BesselK.log(nu, x),
          LOG_BESSEL_ATOL, BESSEL_RTOL);
    }
  }

  @Test
  void logMatchesMpmathAtLargeOrder() throws IOException {
    for (String[] row : csv("besselk_large_order.csv")) {
      double nu = Double.parseDouble(row[0]);
      double x = Double.parseDouble(row[1]);
      double expected = Double.parseDouble(row[2]);
      Tolerance.assertClose("ln K_" + nu + "(" + x + ")", expected, BesselK.log(nu, x), LOG_BESSEL_ATOL, BESSEL_RTOL);
      if (Math.abs(expected) < 700) {
        Tolerance.assertClose("K_" + nu + "(" + x + ")", Math.exp(expected), BesselK.value(nu, x),
            Tolerance.DOUBLE_ATOL, BESSEL_RTOL);
      }
    }
  }

  @Test
  void halfOrderClosedForm() {
    // slow obvious twin: K_{1/2}(x) = sqrt(pi/(2x)) e^{-x}; K_{3/2} = K_{1/2} (1 + 1/x)
    for (double x : new double[] {1e-6, 0.3, 1.0, 1.99, 2.0, 2.01, 5.0, 33.3, 600.0}) {
      double k12 = Math.sqrt(Math.PI / (2 * x)) * Math.exp(-x);
      Tolerance.assertClose("K_1/2(" + x + ")", k12, BesselK.value(0.5, x), 0, BESSEL_RTOL);
      Tolerance.assertClose("K_3/2(" + x + ")", k12 * (1 + 1 / x), BesselK.value(1.5, x), 0, BESSEL_RTOL);
    }
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BesselK.log(1.0, 0.0));
    assertTrue(e.getMessage().contains("x=0.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BesselK.log(1.0, -2.0));
    assertThrows(IllegalArgumentException.class, () -> BesselK.log(Double.NaN, 2.0));
    assertEquals(0.0, BesselK.value(0.0, 1e4));
  }
}
