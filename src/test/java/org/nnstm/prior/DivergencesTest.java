package org.nnstm.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnstm.testing.Tolerance.DOUBLE_ATOL;
import static org.nnstm.testing.Tolerance.DOUBLE_RTOL;
import static org.nnstm.testing.Tolerance.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DivergencesTest {

  @Test
  void jensenShannonMatchesScipyAndMpmath() {
    double[][] v = RefData.numeric("js_vectors.csv");
    String json = RefData.text("kde_js_reference.json");
    String[] pairs = {"pair1_with_zeros_unnormalised", "pair2_strictly_positive_sums_to_1"};
    for (int k = 0; k < 2; k++) {
      double[] p = RefData.column(v, 1 + 2 * k);
      double[] q = RefData.column(v, 2 + 2 * k);
      assertClose(pairs[k] + " json p", RefData.jsonArray(json, pairs[k], "p"), p, 0, 0);
      double e = Divergences.jensenShannonDistance(p, q);
      double two = Divergences.jensenShannonDistance(p, q, 2.0);
      assertClose(pairs[k] + " scipy e", RefData.jsonNumber(json, pairs[k], "js_distance_base_e_scipy"), e,
          0, DOUBLE_RTOL);
      assertClose(pairs[k] + " mpmath e", RefData.jsonNumber(json, pairs[k], "js_distance_base_e_mpmath"), e,
          0, DOUBLE_RTOL);
      assertClose(pairs[k] + " scipy 2", RefData.jsonNumber(json, pairs[k], "js_distance_base_2_scipy"), two,
          0, DOUBLE_RTOL);
      assertClose(pairs[k] + " mpmath 2", RefData.jsonNumber(json, pairs[k], "js_distance_base_2_mpmath"), two,
          0, DOUBLE_RTOL);
      assertEquals(e, Divergences.jensenShannonDistance(q, p), 0.0, "symmetry");
    }
  }

  @Test
  void jensenShannonEdgeCases() {
    assertEquals(0.0, Divergences.jensenShannonDistance(new double[] {3}, new double[] {0.5}));
    assertEquals(0.0, Divergences.jensenShannonDistance(new double[] {1, 2, 0}, new double[] {2, 4, 0}));
    // disjoint supports: divergence ln 2, distance sqrt(ln 2) nats, 1 in bits
    assertClose("disjoint", Math.sqrt(Math.log(2)),
        Divergences.jensenShannonDistance(new double[] {1, 0}, new double[] {0, 1}), 0, DOUBLE_RTOL);
    assertClose("disjoint bits", 1.0,
        Divergences.jensenShannonDistance(new double[] {0, 2, 0}, new double[] {1, 0, 1}, 2), 0, DOUBLE_RTOL);
  }

  @Test
  void klDivergenceFollowsRelEntr() {
    double[] p = {0.2, 0.5, 0.3, 0};
    double[] q = {1, 1, 2, 1};
    double twin = 0.2 * Math.log(0.2 / 0.2) + 0.5 * Math.log(0.5 / 0.2) + 0.3 * Math.log(0.3 / 0.4);
    assertClose("kl", twin, Divergences.klDivergence(p, q), DOUBLE_ATOL, DOUBLE_RTOL);
    assertClose("kl bits", twin / Math.log(2), Divergences.klDivergence(p, q, 2), DOUBLE_ATOL, DOUBLE_RTOL);
    assertEquals(Double.POSITIVE_INFINITY, Divergences.klDivergence(new double[] {1, 1}, new double[] {1, 0}));
    assertEquals(0.0, Divergences.klDivergence(new double[] {0, 1}, new double[] {0, 5}));
  }

  @Test
  void gridKlOfTwoGaussiansMatchesClosedForm() {
    // trapezoid on [-20, 20] is spectrally accurate for Gaussians; closed form KL(N(m1,s1)||N(m2,s2))
    int k = 4001;
    double[] x = new double[k];
    double[] p = new double[k];
    double[] q = new double[k];
    double m1 = 0.3;
    double s1 = 1.1;
    double m2 = -0.4;
    double s2 = 1.7;
    for (int i = 0; i < k; i++) {
      x[i] = -20 + 40.0 * i / (k - 1);
      p[i] = 7 * Math.exp(-0.5 * Math.pow((x[i] - m1) / s1, 2)); // unnormalised on purpose
      q[i] = Math.exp(-0.5 * Math.pow((x[i] - m2) / s2, 2)) / (s2 * Math.sqrt(2 * Math.PI));
    }
    double kl = Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
    assertClose("grid kl", kl, Divergences.klDivergenceOnGrid(x, p, q, Math.E), DOUBLE_ATOL, 1e-11);
  }

  @Test
  void gridJensenShannonMatchesTwinOnNonUniformGrid() {
    Random rnd = new Random(17);
    int k = 37;
    double[] x = new double[k];
    double[] p = new double[k];
    double[] q = new double[k];
    for (int i = 0; i < k; i++) {
      x[i] = (i == 0 ? -3 : x[i - 1]) + (i == 0 ? 0 : 0.05 + rnd.nextDouble() * 0.3);
      p[i] = i == 5 ? 0 : rnd.nextDouble();
      q[i] = i == 9 ? 0 : 2 * rnd.nextDouble();
    }
    double ip = 0;
    double iq = 0;
    for (int i = 0; i + 1 < k; i++) {
      ip += 0.5 * (x[i + 1] - x[i]) * (p[i] + p[i + 1]);
      iq += 0.5 * (x[i + 1] - x[i]) * (q[i] + q[i + 1]);
    }
    double[] f = new double[k];
    for (int i = 0; i < k; i++) {
      double a = p[i] / ip;
      double b = q[i] / iq;
      double m = 0.5 * (a + b);
      f[i] = (a > 0 ? a * Math.log(a / m) : 0) + (b > 0 ? b * Math.log(b / m) : 0);
    }
    double js = 0;
    for (int i = 0; i + 1 < k; i++) {
      js += 0.5 * (x[i + 1] - x[i]) * (f[i] + f[i + 1]);
    }
    assertClose("grid js", Math.sqrt(js / 2), Divergences.jensenShannonDistanceOnGrid(x, p, q, Math.E),
        DOUBLE_ATOL, DOUBLE_RTOL);
    assertClose("grid js bits", Math.sqrt(js / 2 / Math.log(2)),
        Divergences.jensenShannonDistanceOnGrid(x, p, q, 2), DOUBLE_ATOL, DOUBLE_RTOL);
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {1, 2}, new double[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {1, -2}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {0, 0}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {1, Double.NaN}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {1, 2}, new double[] {1, 2}, 1.0));
    assertThrows(IllegalArgumentException.class,
        () -> Divergences.jensenShannonDistance(new double[] {}, new double[] {}));
    assertThrows(IllegalArgumentException.class, () -> Divergences.klDivergenceOnGrid(
        new double[] {0, 1, 1}, new double[] {1, 1, 1}, new double[] {1, 1, 1}, Math.E));
    assertThrows(IllegalArgumentException.class, () -> Divergences.klDivergenceOnGrid(
        new double[] {0, 1}, new double[] {1, 1, 1}, new double[] {1, 1}, Math.E));
  }
}
