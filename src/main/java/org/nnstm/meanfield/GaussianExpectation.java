package org.nnstm.meanfield;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Expectations over standard normals, E_z[f(z)] and E_{z1,z2}[f(z1, z2)] for independent z1, z2 ~ N(0, 1),
 * by composite Gauss-Legendre quadrature on [-Z, Z] (Z = 10: the Gaussian mass beyond is 1.5e-23, below
 * double precision for bounded integrands) with {@code panels} panels of 10 nodes each. For integrands
 * analytic in a strip around the real axis (tanh and its derivatives at scale sqrt(q) up to ~100) the
 * panels of width 0.1 converge to rounding level; {@link MeanField} tests check this by halving the
 * panel width.
 */
public final class GaussianExpectation {
  private static final double HALF_WIDTH = 10.0;
  private static final int ORDER = 10;
  private final double[] nodes;
  private final double[] weights;

  /** A rule with {@code panels} panels of 10-point Gauss-Legendre (200 is the default). */
  public GaussianExpectation(int panels) {
    if (panels < 1) {
      throw new IllegalArgumentException("panels must be >= 1, got " + panels);
    }
    double[][] gl = gaussLegendre(ORDER);
    nodes = new double[panels * ORDER];
    weights = new double[panels * ORDER];
    double h = 2 * HALF_WIDTH / panels;
    double norm = 1 / Math.sqrt(2 * Math.PI);
    for (int p = 0; p < panels; p++) {
      double a = -HALF_WIDTH + p * h;
      for (int i = 0; i < ORDER; i++) {
        double z = a + 0.5 * h * (gl[0][i] + 1);
        nodes[p * ORDER + i] = z;
        weights[p * ORDER + i] = 0.5 * h * gl[1][i] * norm * Math.exp(-0.5 * z * z);
      }
    }
  }

  /** E_z[f(z)], z ~ N(0, 1). */
  public double expect(DoubleUnaryOperator f) {
    double s = 0;
    for (int i = 0; i < nodes.length; i++) {
      s += weights[i] * f.applyAsDouble(nodes[i]);
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
