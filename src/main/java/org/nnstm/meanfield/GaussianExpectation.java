package org.nnstm.meanfield;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Expectations over standard normals, E_z[f(z)] and E_{z1,z2}[f(z1, z2)] for independent z1, z2 ~ N(0, 1),
 * by composite Gauss-Legendre quadrature on [-Z, Z] (Z = 10: the Gaussian mass beyond is 1.5e-23, below
 * double precision for integrands bounded by 1) with 10 nodes per panel.
 *
 * <p>Two layouts. {@link #expect(DoubleUnaryOperator)} uses {@code panels} uniform panels of width
 * h = 2Z / panels: right for integrands analytic in a strip of half-width &gt;~ 3h around the real axis
 * (tanh(s z) has poles at z = i pi / (2 s), so s h &lt;= 0.5). {@link #expect(DoubleUnaryOperator, double,
 * double)} is told where the integrand has structure: f varies on the length 1/scale around z = center
 * (tanh(m + b z): center -m/b, scale b) and on the length &gt;= 1 elsewhere. When scale h &lt;= 0.5 it is the
 * uniform rule; otherwise panels start at width 0.5/scale at the centre and grow geometrically by 1.5 up
 * to h, so every panel lies at &gt;= 1.3 of its own half-width from the poles nearest the real axis and each
 * 10-node panel converges to rounding level (the pole-free Bernstein ellipse has rho &gt;= 9, rho^-20 &lt;
 * 1e-19). Cost: 2 log_{1.5}(2 scale h) extra panels, 80 at scale = 1e7. Checked against a
 * double-exponential twin ({@code TanhSinhExpectation} in the tests) and 25-digit mpmath values.
 *
 * <p>Domain: scale finite and &gt;= 0, centre finite (clamped to [-Z, Z]); panels are never narrower than
 * 1e-15 (1 + |centre|), the resolution of z in double precision.
 */
public final class GaussianExpectation {
  /** Half-width Z of the integration range. */
  static final double HALF_WIDTH = 10.0;
  private static final int ORDER = 10;
  private static final double FIRST_PANEL = 0.5;
  private static final double GROWTH = 1.5;
  private static final double[][] GL = gaussLegendre(ORDER);
  private static final double NORM = 1 / Math.sqrt(2 * Math.PI);
  private final double panelWidth;
  private final double[] nodes;
  private final double[] weights;

  /** A rule with {@code panels} uniform panels of 10-point Gauss-Legendre (200 is the default). */
  public GaussianExpectation(int panels) {
    if (panels < 1) {
      throw new IllegalArgumentException("panels must be >= 1, got " + panels);
    }
    nodes = new double[panels * ORDER];
    weights = new double[panels * ORDER];
    panelWidth = 2 * HALF_WIDTH / panels;
    double h = panelWidth;
    for (int p = 0; p < panels; p++) {
      double a = -HALF_WIDTH + p * h;
      for (int i = 0; i < ORDER; i++) {
        double z = a + 0.5 * h * (GL[0][i] + 1);
        nodes[p * ORDER + i] = z;
        weights[p * ORDER + i] = 0.5 * h * GL[1][i] * NORM * Math.exp(-0.5 * z * z);
      }
    }
  }

  /** E_z[f(z)], z ~ N(0, 1), on the uniform panels (f smooth on the panel width, see the class doc). */
  public double expect(DoubleUnaryOperator f) {
    double s = 0;
    for (int i = 0; i < nodes.length; i++) {
      s += weights[i] * f.applyAsDouble(nodes[i]);
    }
    return s;
  }

  /**
   * E_z[f(z)], z ~ N(0, 1), for f with structure of length 1/scale around z = center (panels graded
   * there, see the class doc). {@code scale} finite and &gt;= 0, {@code center} finite.
   */
  public double expect(DoubleUnaryOperator f, double center, double scale) {
    if (!(scale >= 0) || Double.isInfinite(scale) || !Double.isFinite(center)) {
      throw new IllegalArgumentException("expectation: scale must be finite and >= 0 and centre finite, got scale "
          + scale + ", centre " + center);
    }
    double first = FIRST_PANEL / scale;
    if (first >= panelWidth) {
      return expect(f);
    }
    double c = Math.max(-HALF_WIDTH, Math.min(HALF_WIDTH, center));
    first = Math.max(first, 1e-15 * (1 + Math.abs(c)));
    return side(f, c, HALF_WIDTH, first) + side(f, c, -HALF_WIDTH, first);
  }

  /**
   * E_z[f(z)], z ~ N(0, 1), for f with a kink or jump at z = center (relu and its derivative) and structure
   * of length 1/scale around it: as {@link #expect(DoubleUnaryOperator, double, double)}, but the panels
   * always grow from an edge at the centre, also when scale h &lt;= 0.5 (then all of width h, shifted to end at
   * the centre), so each panel's integrand is smooth. {@code scale} finite and &gt;= 0, {@code center} finite.
   */
  public double expectWithEdgeAt(DoubleUnaryOperator f, double center, double scale) {
    if (!(scale >= 0) || Double.isInfinite(scale) || !Double.isFinite(center)) {
      throw new IllegalArgumentException("expectation: scale must be finite and >= 0 and centre finite, got scale "
          + scale + ", centre " + center);
    }
    double c = Math.max(-HALF_WIDTH, Math.min(HALF_WIDTH, center));
    double first = Math.min(panelWidth, FIRST_PANEL / scale);
    first = Math.max(first, 1e-15 * (1 + Math.abs(c)));
    return side(f, c, HALF_WIDTH, first) + side(f, c, -HALF_WIDTH, first);
  }

  /** Sum over graded panels from c to end (either direction), widths first * 1.5^k capped at the panel width. */
  private double side(DoubleUnaryOperator f, double c, double end, double first) {
    double dir = Math.signum(end - c);
    double x = c;
    double h = first;
    double s = 0;
    while (dir * (end - x) > 0) {
      double w = Math.min(h, dir * (end - x));
      double a = dir > 0 ? x : x - w;
      for (int i = 0; i < ORDER; i++) {
        double z = a + 0.5 * w * (GL[0][i] + 1);
        s += 0.5 * w * GL[1][i] * NORM * Math.exp(-0.5 * z * z) * f.applyAsDouble(z);
      }
      x += dir * w;
      h = Math.min(panelWidth, h * GROWTH);
    }
    return s;
  }

  /** E[f(z1, z2)], z1, z2 independent N(0, 1); product weights below 1e-22 of the largest are skipped. */
  public double expect2(DoubleBinaryOperator f) {
    double wmax = 0;
    for (double w : weights) {
      wmax = Math.max(wmax, w);
    }
    double cut = 1e-22 * wmax * wmax;
    double s = 0;
    for (int i = 0; i < nodes.length; i++) {
      double inner = 0;
      boolean any = false;
      for (int j = 0; j < nodes.length; j++) {
        if (weights[i] * weights[j] < cut) {
          continue;
        }
        any = true;
        inner += weights[j] * f.applyAsDouble(nodes[i], nodes[j]);
      }
      if (any) {
        s += weights[i] * inner;
      }
    }
    return s;
  }

  /** Nodes (row 0) and weights (row 1) of n-point Gauss-Legendre on [-1, 1], by Newton on P_n. */
  static double[][] gaussLegendre(int n) {
    double[] x = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = z;
        for (int k = 2; k <= n; k++) {
          double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1);
        double dz = p1 / dp;
        z -= dz;
        if (Math.abs(dz) < 1e-16) {
          break;
        }
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
    return new double[][] {x, w};
  }
}
