package org.nnstm.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/**
 * Meijer G and the linear-network prior at large u = kappa r^2 (r up to 1e308, ||x|| down to 1e-300):
 * Laplace's method against the contour where both hold (saddle 1e3..3e4), against 30-digit mpmath
 * meijerg values (meijerg_large_u.csv), against the leading asymptotic -L u^{1/L} at r = 1e308, and the
 * refusal beyond the double range.
 */
class MeijerGLargeArgumentTest {
  /** ln G from two converged methods: rounding of a sum of terms of size c ln u. */
  static final double LOG_RTOL = 1e-11;

  @Test
  void laplaceAgreesWithContourWhereBothHold() {
    double[][] shapes = {{0, 0.5, 1.0}, {-1.5, 0.0, 2.5}, {2, 50, 392}, {0, 3}};
    for (double[] a : shapes) {
      for (double c : new double[] {3e3, 1e4, 3e4}) {
        double logU = 0;
        for (double v : a) {
          logU += GammaFunctions.digamma(v + c);
        }
        for (int mode : new int[] {0, 1}) {
          double laplace = MeijerG.laplace(logU, a, mode);
          double contour = MeijerG.contour(logU, a, mode, MeijerG.STEP);
          Tolerance.assertClose("ln G mode " + mode + " at saddle " + c + ", a = " + java.util.Arrays.toString(a),
              contour, laplace, 0, LOG_RTOL);
        }
      }
    }
  }

  @Test
  void mpmathValues() throws IOException {
    List<String[]> rows;
    try (InputStream in = getClass().getResourceAsStream("meijerg_large_u.csv")) {
      rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).map(l -> l.split(",")).toList();
    }
    assertTrue(rows.size() >= 6, "reference rows");
    for (String[] r : rows) {
      double logU = Double.parseDouble(r[0]);
      double[] b = {Double.parseDouble(r[1]), Double.parseDouble(r[2]), Double.parseDouble(r[3])};
      Tolerance.assertClose("ln G at ln u = " + logU + ", b = " + String.join(" ", r[1], r[2], r[3]),
          Double.parseDouble(r[4]), MeijerG.logG(logU, b), 0, LOG_RTOL);
    }
  }

  /** The inputs: r = 1e308 and ||x|| = 1e-300 give finite log densities (were "did not converge"). */
  @Test
  void extremeRadiusAndInputNorm() {
    LinearNetworkPrior p = new LinearNetworkPrior(new int[] {3, 4, 4, 2}, new double[] {1.0}, 1.7);
    double kappa = 16 / (8 * 1.7 * 1.7 / 3);
    for (double r : new double[] {1e100, 1e308}) {
      double logU = Math.log(kappa) + 2 * Math.log(r);
      double leading = -3 * Math.exp(logU / 3);
      double log = p.logDensity(r);
      assertTrue(Double.isFinite(log), "ln p at r = " + r);
      // ln p = -L u^{1/L} + O(ln u): relative 1e-13 at u^{1/3} >= 1e66
      Tolerance.assertClose("ln p at r = " + r, leading, log, 0, 1e-13);
      assertEquals(0.0, p.logRadialCdf(r), 0.0, "ln P(R <= r) at r = " + r);
    }
    LinearNetworkPrior tiny = new LinearNetworkPrior(new int[] {3, 4, 4, 2}, new double[] {1.0}, 1e-300);
    assertTrue(Double.isFinite(tiny.logDensity(1.0)) && tiny.logDensity(1.0) < -1e200, "ln p at ||x|| = 1e-300");
    assertTrue(Double.isFinite(tiny.logRadialCdf(1.0)), "ln P at ||x|| = 1e-300");
  }

  @Test
  void beyondTheDoubleRangeRefused() {
    LinearNetworkPrior one = new LinearNetworkPrior(new int[] {3, 2}, new double[] {1.0}, 1.7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.logDensity(1e308));
    assertTrue(e.getMessage().contains("u = kappa r^2"), e.getMessage());
    LinearNetworkPrior two = new LinearNetworkPrior(new int[] {3, 4, 2}, new double[] {1.0}, 1.7);
    assertThrows(IllegalArgumentException.class, () -> two.logDensity(1e308));
    assertTrue(Double.isFinite(two.logDensity(1e150)), "L = 2 at r = 1e150 (Laplace beyond the Bessel range)");
  }

  /**
   * ln K_nu at x below 1e-20 (tiny u in the L = 2 prior; was +Infinity) and above 1e8 (huge u; was "CF2 did
   * not converge"): 30-digit mpmath besselk values.
   */
  @Test
  void besselAtExtremeArguments() {
    double[][] cases = {{0, 1e-25, 4.054920181565500345}, {0.5, 1e-25, 29.008105015070298483},
        {2, 1e-154, 709.88935582272601599}, {1, 1e-300, 690.77552789821370521}, {0.25, 1e-21, 12.85673387746662765},
        {1.5, 1e-300, 1036.3890831999652852}, {7.5, 1e-30, 530.12146683405865637},
        {0, 9.728741134393448e16, -97287411343934499.33243}, {2.5, 1e9, -1000000010.135841562828},
        {100, 2e8, -200000009.3310976102365}, {0.5, 1e300, -1e300}};
    for (double[] c : cases) {
      Tolerance.assertClose("ln K_" + c[0] + "(" + c[1] + ")", c[2], BesselK.log(c[0], c[1]), 0, 1e-14);
    }
  }

  @Provide
  Arbitrary<Double> logRadii() {
    return Arbitraries.doubles().between(-300, 308).ofScale(3);
  }

  /**
   * Any radius 1e-300..1e308, input norm 1e-300..1e300 and depth 1..4 (widths 1..12): the log density,
   * the log marginal and the log CDF are finite (CDF <= 0), or the point is refused as beyond the double
   * range (u = kappa r^2 named); nothing else (no "did not converge", no NaN).
   */
  @Property(tries = 100, seed = "15004")
  void finiteOrRefused(@ForAll("logRadii") double log10R, @ForAll("logRadii") double log10Norm,
                       @ForAll @IntRange(min = 1, max = 4) int depth, @ForAll @IntRange(min = 1, max = 12) int width) {
    int[] widths = new int[depth + 1];
    for (int l = 0; l <= depth; l++) {
      widths[l] = 1 + (width * (l + 3)) % 12;
    }
    double r = Math.pow(10, log10R);
    double norm = Math.pow(10, Math.max(-300, Math.min(300, log10Norm)));
    LinearNetworkPrior p = new LinearNetworkPrior(widths, new double[] {1.3}, norm);
    String at = "widths " + java.util.Arrays.toString(widths) + ", ||x|| = " + norm + ", r = " + r;
    try {
      double log = p.logDensity(r);
      double marginal = p.logMarginalDensity(r);
      double cdf = p.logRadialCdf(r);
      assertTrue(Double.isFinite(log) && Double.isFinite(marginal), "ln p, ln p_marginal at " + at);
      assertTrue(cdf <= 0 && !Double.isNaN(cdf) && cdf > Double.NEGATIVE_INFINITY, "ln P at " + at + ": " + cdf);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("u = kappa r^2 = e^"), at + ": " + e.getMessage());
    }
  }
}
