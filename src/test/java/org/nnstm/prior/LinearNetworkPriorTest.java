package org.nnstm.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/** Properties of the exact prior: normalisation, CDF consistency, closed forms, r = 0, Monte Carlo. */
class LinearNetworkPriorTest {
  /** Acceptance: densities integrate to 1 within 1e-9. */
  static final double NORMALISATION_ATOL = 1e-9;
  /** Contour vs Bessel closed form and step-halving: both exact to rounding; 1e-12 relative. */
  static final double TWIN_RTOL = 1e-12;

  private static final double[] GL5_NODES = {
    -0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831, 0.9061798459386640
  };
  private static final double[] GL5_WEIGHTS = {
    0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891
  };

  /**
   * \int_lo^hi g(x) dx by composite 5-point Gauss-Legendre on panels of width <= 0.05 (error per panel
   * ~ 0.05^10 g^(10) / 10^6: far below 1e-12 for the smooth log-radius integrands used here).
   */
  static double gaussLegendre(DoubleUnaryOperator g, double lo, double hi) {
    return gaussLegendre(g, lo, hi, 0.05);
  }

  static double gaussLegendre(DoubleUnaryOperator g, double lo, double hi, double maxPanel) {
    int panels = (int) Math.ceil((hi - lo) / maxPanel);
    double w = (hi - lo) / panels;
    double sum = 0;
    for (int p = 0; p < panels; p++) {
      double mid = lo + (p + 0.5) * w;
      for (int k = 0; k < 5; k++) {
        sum += GL5_WEIGHTS[k] * g.applyAsDouble(mid + 0.5 * w * GL5_NODES[k]);
      }
    }
    return 0.5 * w * sum;
  }

  /**
   * \int_0^inf f(r) dr in x = ln r, over [m - 30/n_min - 12 s, m + 12 s + 2] where m and s^2 are the mean and
   * variance of ln ||h|| (m = (sum psi(a_l) - ln kappa)/2, s^2 = sum psi'(a_l) / 4); the mass outside is
   * below 1e-12 (lower tail ~ (r/sd)^{n_min}, upper tail faster than Gaussian in ln r).
   */
  static double integrateRadius(LinearNetworkPrior prior, DoubleUnaryOperator f) {
    double[] range = logRadiusRange(prior);
    return gaussLegendre(x -> f.applyAsDouble(Math.exp(x)) * Math.exp(x), range[0], range[1], range[2]);
  }

  static double[] logRadiusRange(LinearNetworkPrior prior) {
    int[] w = prior.widths();
    double mean = 0;
    double var = 0;
    int nMin = Integer.MAX_VALUE;
    for (int l = 1; l < w.length; l++) {
      mean += GammaFunctions.digamma(0.5 * w[l]);
      var += GammaFunctions.trigamma(0.5 * w[l]);
      nMin = Math.min(nMin, w[l]);
    }
    // E ln r = (E ln U - ln kappa) / 2 and ln kappa = ln E U - ln E||h||^2 = sum ln a_l - ln E||h||^2
    double logKappa = -Math.log(prior.radialMoment(1));
    for (int l = 1; l < w.length; l++) {
      logKappa += Math.log(0.5 * w[l]);
    }
    double m = 0.5 * (mean - logKappa);
    double s = 0.5 * Math.sqrt(var);
    return new double[] {m - 30.0 / nMin - 12 * s, m + 12 * s + 2, 0.05 * Math.max(1, s)};
  }

  private static final LinearNetworkPrior[] CONFIGS = {
    new LinearNetworkPrior(new int[] {3, 2}, new double[] {1.3}, 0.7),
    new LinearNetworkPrior(new int[] {1, 1, 1}, new double[] {1.0}, 1.0),
    new LinearNetworkPrior(new int[] {10, 2, 3}, new double[] {1.3, 0.7}, 2.0),
    new LinearNetworkPrior(new int[] {5, 7, 3, 2}, new double[] {1.2, 0.8, 1.5}, 1.7),
    new LinearNetworkPrior(new int[] {3, 4, 4, 4}, new double[] {1.0}, 2.0),
    new LinearNetworkPrior(new int[] {5, 3, 6, 2, 1}, new double[] {1.0, 1.44, 0.81, 1.0}, 2.75),
    new LinearNetworkPrior(new int[] {784, 100, 50, 10}, new double[] {1.0, 2.0, 0.5}, 9.28),
    new LinearNetworkPrior(new int[] {784, 784, 10}, new double[] {1.0}, 9.28),
  };

  @Test
  void radialAndMarginalDensitiesIntegrateToOne() {
    for (LinearNetworkPrior prior : CONFIGS) {
      double sd = Math.sqrt(prior.radialMoment(1));
      double radial = integrateRadius(prior, prior::radialDensity);
      assertEquals(1.0, radial, NORMALISATION_ATOL, prior + " radial");
      // marginal: [0, y0] as y0 p(y0) (y0 = 1e-6 sd: error ~1e-12), then Gauss-Legendre in ln y from ln y0
      LinearNetworkPrior one = prior.marginalPrior();
      double[] range = logRadiusRange(one);
      double y0 = 1e-6 * Math.sqrt(prior.outputVariance());
      double marginal = Double.isInfinite(prior.logMarginalDensity(0))
          ? 2 * integrateRadius(one, prior::marginalDensity)
          : 2 * (y0 * prior.marginalDensity(y0) + gaussLegendre(
          x -> prior.marginalDensity(Math.exp(x)) * Math.exp(x), Math.log(y0), range[1], range[2]));
      assertEquals(1.0, marginal, NORMALISATION_ATOL, prior + " marginal");
      // exact moments E||h||^2, E||h||^4 from the density
      double m1 = integrateRadius(prior, r -> r * r * prior.radialDensity(r));
      Tolerance.assertClose(prior + " E r^2", prior.radialMoment(1), m1, 0, NORMALISATION_ATOL);
    }
  }

  @Test
  void cdfIsTheIntegralOfTheRadialDensity() {
    for (LinearNetworkPrior prior : CONFIGS) {
      double sd = Math.sqrt(prior.radialMoment(1));
      for (double f : new double[] {1e-3, 1.0, 3.0}) {
        double r = f * sd;
        double integral = gaussLegendre(x -> prior.radialDensity(Math.exp(x)) * Math.exp(x),
            logRadiusRange(prior)[0], Math.log(r), logRadiusRange(prior)[2]);
        Tolerance.assertClose(prior + " F(" + r + ")", integral, prior.radialCdf(r), 1e-15, 1e-10);
        // 1 - integral carries the quadrature's absolute rounding (~1e-14): compare absolutely
        Tolerance.assertClose(prior + " 1-F(" + r + ")", 1 - integral, Math.exp(prior.logRadialSurvival(r)),
            1e-13, 1e-10);
      }
    }
  }

  @Test
  void depthOneIsGaussian() {
    double s2 = 0.7 * 0.7 * 1.3 / 3;
    LinearNetworkPrior prior = CONFIGS[0];
    for (double r : new double[] {0, 1e-5, 0.3, 1.0, 4.0, 40.0}) {
      Tolerance.assertClose("L=1 vector", -Math.log(2 * Math.PI * s2) - r * r / (2 * s2), prior.logDensity(r),
          1e-13, 1e-13);
      Tolerance.assertClose("L=1 marginal", -0.5 * Math.log(2 * Math.PI * s2) - r * r / (2 * s2),
          prior.logMarginalDensity(-r), 1e-13, 1e-13);
      Tolerance.assertClose("L=1 cdf", 1 - Math.exp(-r * r / (2 * s2)), prior.radialCdf(r), 1e-15, 1e-12);
    }
  }

  @Test
  void contourAgreesWithBesselForDepthTwo() {
    double[][] shapes = {{1, 1}, {2, 0.5}, {0.5, 3.5}, {392, 5}, {50, 51}, {1.5, 1}};
    for (double[] a : shapes) {
      for (double logU : new double[] {-20, -5, -1, 0, 1, 3, 7}) {
        Tolerance.assertClose(Arrays.toString(a) + " logU=" + logU, LinearNetworkPrior.logMeijer(logU, a),
            MeijerG.logG(logU, a), TWIN_RTOL * 10, 1e-13);
      }
    }
  }

  @Test
  void contourIsStableUnderStepHalving() {
    double[][] shapes = {{2, 2, 1}, {0.5, 3, 1.5, 2}, {50, 25, 5}, {1, 1, 1, 1, 1}};
    for (double[] a : shapes) {
      for (double logU : new double[] {-25, -3, 0, 4, 30}) {
        for (int mode = -1; mode <= 1; mode++) {
          if (mode != 0 && Math.abs(logU) > 20) {
            continue;
          }
          double coarse = MeijerG.contour(logU, a, mode, 1.0);
          double fine = MeijerG.contour(logU, a, mode, 0.37);
          Tolerance.assertClose(Arrays.toString(a) + " logU=" + logU + " mode " + mode, fine, coarse, 1e-12, 1e-13);
        }
      }
    }
  }

  @Test
  void originIsHandled() {
    // n_1 > n_L: finite vector density, radial density 0
    LinearNetworkPrior finite = new LinearNetworkPrior(new int[] {3, 4, 2}, new double[] {1.0}, 1.0);
    assertTrue(Double.isFinite(finite.logDensity(0)));
    Tolerance.assertClose("p(0) limit", finite.logDensity(1e-9), finite.logDensity(0), 1e-8, 0);
    assertEquals(Double.NEGATIVE_INFINITY, finite.logRadialDensity(0));
    assertEquals(0.0, finite.radialCdf(0));
    // n_1 < n_L: power divergence; n_1 = n_L: logarithmic divergence
    assertEquals(Double.POSITIVE_INFINITY, new LinearNetworkPrior(new int[] {3, 2, 3}, new double[] {1.0}, 1.0)
        .logDensity(0));
    assertEquals(Double.POSITIVE_INFINITY, CONFIGS[4].logDensity(0));
    // a single width equal to 1: finite radial density at 0, equal to the limit
    LinearNetworkPrior one = CONFIGS[5];
    Tolerance.assertClose("f_R(0)", one.logRadialDensity(1e-10), one.logRadialDensity(0), 1e-8, 0);
    assertEquals(Double.POSITIVE_INFINITY, CONFIGS[1].logRadialDensity(0));
  }

  @Test
  void extremeWidthsAndDepthsStayFinite() {
    LinearNetworkPrior wide = new LinearNetworkPrior(new int[] {784, 3000, 3000, 2000}, new double[] {1.0}, 9.0);
    LinearNetworkPrior deep = new LinearNetworkPrior(repeat(3, 101), new double[] {1.0}, 1.0);
    for (LinearNetworkPrior prior : new LinearNetworkPrior[] {wide, deep}) {
      double sd = Math.sqrt(prior.radialMoment(1));
      for (double f : new double[] {1e-3, 0.5, 1.0, 2.0}) {
        assertTrue(Double.isFinite(prior.logDensity(f * sd)), prior + " " + f);
        assertTrue(Double.isFinite(prior.logRadialDensity(f * sd)), prior + " " + f);
      }
    }
    assertEquals(1.0, integrateRadius(deep, deep::radialDensity), NORMALISATION_ATOL);
  }

  private static int[] repeat(int w, int n) {
    int[] a = new int[n];
    Arrays.fill(a, w);
    return a;
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LinearNetworkPrior(new int[] {3, 0, 2}, new double[] {1.0}, 1.0));
    assertTrue(e.getMessage().contains("[3, 0, 2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new LinearNetworkPrior(new int[] {3, 2}, new double[] {-1.0}, 1.0));
    assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LinearNetworkPrior(new int[] {3}, new double[] {1}, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new LinearNetworkPrior(new int[] {3, 2, 2}, new double[] {1, 1, 1}, 1));
    assertThrows(IllegalArgumentException.class, () -> new LinearNetworkPrior(new int[] {3, 2}, new double[] {1}, 0));
    e = assertThrows(IllegalArgumentException.class, () -> CONFIGS[2].logDensity(-0.5));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CONFIGS[2].radialCdf(Double.NaN));
  }

  @Test
  void agreesWithSharedMonteCarlo() throws IOException {
    String json;
    try (InputStream in = getClass().getResourceAsStream("partA_montecarlo_check.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("\"n0\": (\\d+),\\s*\"widths\": \\[([^\\]]*)\\],\\s*\"nL\": (\\d+),\\s*"
        + "\"sigmas\": \\[([^\\]]*)\\],\\s*\"x\": \\[[^\\]]*\\],\\s*\"xnorm2\": ([0-9.eE+-]+)").matcher(json);
    int configs = 0;
    while (m.find()) {
      int[] hidden = Arrays.stream(m.group(2).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      int[] widths = new int[hidden.length + 2];
      widths[0] = Integer.parseInt(m.group(1));
      System.arraycopy(hidden, 0, widths, 1, hidden.length);
      widths[widths.length - 1] = Integer.parseInt(m.group(3));
      double[] variances = Arrays.stream(m.group(4).split(",")).map(String::trim).mapToDouble(Double::parseDouble)
          .map(s -> s * s).toArray();
      LinearNetworkPrior prior = new LinearNetworkPrior(widths, variances, Math.sqrt(Double.parseDouble(m.group(5))));
      String rest = json.substring(m.end());
      double sd = Math.sqrt(prior.radialMoment(1));
      double et = integrateRadius(prior, r -> r * r * prior.radialDensity(r));
      double et2 = integrateRadius(prior, r -> r * r * r * r * prior.radialDensity(r));
      Tolerance.assertClose(prior + " ET_exact", number(rest, "ET_exact"), et, 0, NORMALISATION_ATOL);
      Tolerance.assertClose(prior + " ET2_exact", number(rest, "ET2_exact"), et2, 0, NORMALISATION_ATOL);
      // the 10^6-network Monte Carlo agrees within 4 standard errors
      assertEquals(number(rest, "ET_mc"), et, 4 * number(rest, "ET_mc_se"), prior + " ET_mc");
      assertEquals(number(rest, "ET2_mc"), et2, 4 * number(rest, "ET2_mc_se"), prior + " ET2_mc");
      configs++;
    }
    assertEquals(5, configs);
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([0-9.eE+-]+)").matcher(json);
    assertTrue(m.find(), key);
    return Double.parseDouble(m.group(1));
  }

  /**
   * Java Monte Carlo twin: 10^5 networks with widths 3,4,5,2 (and 2,1,3,1 with a width-1 layer), products of
   * seeded Gaussian matrices; Kolmogorov-Smirnov distance between the empirical CDF of ||h|| and the exact
   * radial CDF, evaluated at every 500th order statistic, must stay below 1.95 / sqrt(N) (the asymptotic KS
   * critical value at level 0.001).
   */
  @Test
  void javaMonteCarloMatchesRadialCdf() {
    int[][] widthSets = {{3, 4, 5, 2}, {2, 1, 3, 1}};
    double[][] varianceSets = {{1.1, 0.9, 1.3}, {1.0, 1.5, 0.8}};
    SplittableRandom rng = new SplittableRandom(20240611L);
    int samples = 100_000;
    for (int c = 0; c < widthSets.length; c++) {
      int[] w = widthSets[c];
      double[] v = varianceSets[c];
      double[] x = new double[w[0]];
      for (int i = 0; i < x.length; i++) {
        x[i] = 0.5 + i;
      }
      double norm = Math.sqrt(Arrays.stream(x).map(t -> t * t).sum());
      LinearNetworkPrior prior = new LinearNetworkPrior(w, v, norm);
      double[] radii = new double[samples];
      for (int s = 0; s < samples; s++) {
        double[] h = x;
        for (int l = 1; l < w.length; l++) {
          double scale = Math.sqrt(v[l - 1] / w[l - 1]);
          double[] next = new double[w[l]];
          for (int i = 0; i < w[l]; i++) {
            double acc = 0;
            for (int j = 0; j < w[l - 1]; j++) {
              acc += rng.nextGaussian() * scale * h[j];
            }
            next[i] = acc;
          }
          h = next;
        }
        radii[s] = Math.sqrt(Arrays.stream(h).map(t -> t * t).sum());
      }
      Arrays.sort(radii);
      double ks = 0;
      for (int k = 0; k < samples; k += 500) {
        double f = prior.radialCdf(radii[k]);
        ks = Math.max(ks, Math.max(Math.abs((k + 1.0) / samples - f), Math.abs((double) k / samples - f)));
      }
      assertTrue(ks < 1.95 / Math.sqrt(samples), prior + " KS " + ks);
    }
  }
}
