package org.nnstm.prior;

import java.util.Arrays;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Gaussian kernel density estimate with the semantics of {@code scipy.stats.gaussian_kde} (scipy 1.10).
 *
 * <p>Given n samples x_i in R^d (rows of an n x d array) and optional positive weights w_i (normalised
 * internally to sum 1; uniform 1/n when absent), the estimate at a point y is
 *
 * <pre>
 *   p(y) = sum_i w_i (2 pi)^(-d/2) det(H)^(-1/2) exp(-(x_i - y)^T H^-1 (x_i - y) / 2),
 *   H = factor^2 * C,   C = sum_i w_i (x_i - xbar)(x_i - xbar)^T / (1 - sum_i w_i^2),   xbar = sum_i w_i x_i
 * </pre>
 *
 * (C is numpy's {@code cov(aweights=w)}; unweighted it is the ddof = 1 sample covariance). The bandwidth
 * factor is Scott's n_eff^(-1/(d+4)) (default), Silverman's (n_eff (d+2)/4)^(-1/(d+4)), or a given scalar,
 * with n_eff = 1 / sum_i w_i^2 (= n unweighted).
 *
 * <p>Evaluation whitens with the Cholesky factor L of H (L L^T = H, z = L^-1 x) so the exponent is
 * |z_i - y|^2 / 2, then sums kernels in double precision in log-sum-exp form: every sum is shifted by the
 * smallest squared distance seen, so far-tail points give finite {@link #logpdf} values (like scipy's
 * logpdf) instead of log(0). The sums are done by {@link KernelSums} (the method boundary a GPU backend can
 * later take over); the CPU implementation there skips kernels that provably cannot change the sum at
 * 1e-14 relative, in 1-D sums blocks of nearby samples by a truncated Taylor (Gauss transform) expansion
 * with a stated error bound (both bounds in its javadoc), and uses both cores, each point summed by one thread in a fixed
 * order, so results do not depend on the thread count.
 *
 * <p>Instances are immutable and thread-safe. Inputs are copied, never modified.
 */
public final class GaussianKde {

  /** How the bandwidth factor is chosen. */
  public static final class Bandwidth {
    private final String rule;
    private final double value;

    private Bandwidth(String rule, double value) {
      this.rule = rule;
      this.value = value;
    }

    /** Scott's rule, factor = n_eff^(-1/(d+4)). */
    public static Bandwidth scott() {
      return new Bandwidth("scott", Double.NaN);
    }

    /** Silverman's rule, factor = (n_eff (d+2)/4)^(-1/(d+4)). */
    public static Bandwidth silverman() {
      return new Bandwidth("silverman", Double.NaN);
    }

    /** A fixed factor (scipy's scalar {@code bw_method}); must be finite and positive. */
    public static Bandwidth factor(double factor) {
      if (!(factor > 0) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException("bandwidth factor must be finite and > 0, got " + factor);
      }
      return new Bandwidth("factor", factor);
    }

    /** Parses "scott", "silverman" (case-insensitive) or a positive number. */
    public static Bandwidth parse(String text) {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("scott")) {
        return scott();
      }
      if (t.equals("silverman")) {
        return silverman();
      }
      double f;
      try {
        f = Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bandwidth must be scott, silverman or a positive number, got '" + text + "'");
      }
      return factor(f);
    }

    double factorFor(double neff, int d) {
      switch (rule) {
        case "scott":
          return Math.pow(neff, -1.0 / (d + 4));
        case "silverman":
          return Math.pow(neff * (d + 2) / 4.0, -1.0 / (d + 4));
        default:
          return value;
      }
    }

    @Override
    public String toString() {
      return rule.equals("factor") ? Double.toString(value) : rule;
    }
  }

  private final int n;
  private final int d;
  private final double neff;
  private final double factor;
  private final double[][] dataCovariance;
  private final double[][] kernelCovariance;
  /** Lower Cholesky factor of the kernel covariance. */
  private final double[][] cholesky;
  /** log of (2 pi)^(-d/2) / det(L). */
  private final double logNorm;
  private final KernelSums sums;
  /** Whitened samples (n x d) and ln w_i, kept in float for {@link #logpdf(Backend, double[][])}. */
  private final float[] whitenedSamples;
  private final float[] logWeights;
  /** Weighted mean of the whitened samples (the backend path's origin). */
  private final double[] whitenedMean;

  /** Unweighted KDE with Scott's bandwidth. {@code samples} is n x d (n >= 2). */
  public GaussianKde(double[][] samples) {
    this(samples, Bandwidth.scott(), null);
  }

  /**
   * @param samples n x d, n >= 2, all finite (not modified)
   * @param bandwidth the factor rule
   * @param weights null (uniform) or n finite positive weights (not modified; normalised internally)
   */
  public GaussianKde(double[][] samples, Bandwidth bandwidth, double[] weights) {
    if (samples == null || samples.length < 2) {
      throw new IllegalArgumentException(
          "KDE needs at least 2 samples, got " + (samples == null ? 0 : samples.length));
    }
    n = samples.length;
    d = samples[0].length;
    if (d < 1) {
      throw new IllegalArgumentException("samples must have at least one column, got 0");
    }
    for (int i = 0; i < n; i++) {
      if (samples[i].length != d) {
        throw new IllegalArgumentException(
            "sample " + i + " has " + samples[i].length + " columns, expected " + d + " (as sample 0)");
      }
      for (int k = 0; k < d; k++) {
        if (!Double.isFinite(samples[i][k])) {
          throw new IllegalArgumentException("sample " + i + " column " + k + " is not finite: " + samples[i][k]);
        }
      }
    }
    double[] w = new double[n];
    boolean uniform = weights == null;
    if (uniform) {
      Arrays.fill(w, 1.0 / n);
      neff = n;
    } else {
      if (weights.length != n) {
        throw new IllegalArgumentException("got " + weights.length + " weights for " + n + " samples");
      }
      double total = 0;
      for (int i = 0; i < n; i++) {
        if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
          throw new IllegalArgumentException("weight " + i + " must be finite and > 0, got " + weights[i]);
        }
        total += weights[i];
      }
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        w[i] = weights[i] / total;
        sumSq += w[i] * w[i];
      }
      neff = 1.0 / sumSq;
    }
    factor = bandwidth.factorFor(neff, d);
    dataCovariance = weightedCovariance(samples, w, uniform);
    kernelCovariance = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        kernelCovariance[a][b] = dataCovariance[a][b] * factor * factor;
      }
    }
    double[][] dataChol = choleskyOrThrow(dataCovariance, samples);
    cholesky = new double[d][d];
    double logDet = 0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        cholesky[a][b] = dataChol[a][b] * factor; // scipy: cho_cov = data_cho_cov * factor
      }
      logDet += Math.log(cholesky[a][a]);
    }
    logNorm = -0.5 * d * Math.log(2 * Math.PI) - logDet;
    double[] z = new double[n * d];
    for (int i = 0; i < n; i++) {
      whiten(samples[i], z, i * d);
    }
    sums = new KernelSums(z, n, d, uniform ? null : w);
    // centred on the weighted whitened mean before rounding to float: the backend path then loses precision
    // only relative to the data's spread, not to its offset (|z - y| is unchanged by the shift)
    whitenedMean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        whitenedMean[k] += w[i] * z[i * d + k];
      }
    }
    whitenedSamples = new float[n * d];
    for (int i = 0; i < n * d; i++) {
      whitenedSamples[i] = (float) (z[i] - whitenedMean[i % d]);
    }
    logWeights = new float[n];
    for (int i = 0; i < n; i++) {
      logWeights[i] = (float) Math.log(w[i]);
    }
  }

  /** Data covariance as numpy.cov(x, aweights=w) with w normalised: fact = 1 - sum w^2. */
  private static double[][] weightedCovariance(double[][] x, double[] w, boolean uniform) {
    int n = x.length;
    int d = x[0].length;
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mean[k] += w[i] * x[i][k];
      }
    }
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      sumSq += w[i] * w[i];
    }
    double fact = uniform ? (n - 1.0) / n : 1.0 - sumSq;
    double[][] c = new double[d][d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double da = x[i][a] - mean[a];
        for (int b = 0; b <= a; b++) {
          c[a][b] += w[i] * da * (x[i][b] - mean[b]);
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        c[a][b] /= fact;
        c[b][a] = c[a][b];
      }
    }
    return c;
  }

  private static double[][] choleskyOrThrow(double[][] c, double[][] samples) {
    int d = c.length;
    double[][] l = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = c[a][b];
        for (int k = 0; k < b; k++) {
          s -= l[a][k] * l[b][k];
        }
        if (a == b) {
          if (!(s > 1e-14 * Math.abs(c[a][a])) || s <= 0) {
            throw singular(samples, a);
          }
          l[a][a] = Math.sqrt(s);
        } else {
          l[a][b] = s / l[b][b];
        }
      }
    }
    return l;
  }

  private static IllegalArgumentException singular(double[][] samples, int column) {
    boolean allEqual = true;
    for (double[] row : samples) {
      if (!Arrays.equals(row, samples[0])) {
        allEqual = false;
        break;
      }
    }
    if (allEqual) {
      return new IllegalArgumentException("data covariance is singular: all " + samples.length
          + " samples are equal (" + Arrays.toString(samples[0]) + "); a KDE needs spread data");
    }
    return new IllegalArgumentException("data covariance is singular (pivot " + column
        + "): the samples lie in a lower-dimensional subspace (constant or collinear columns)");
  }

  private void whiten(double[] x, double[] out, int offset) {
    for (int a = 0; a < d; a++) {
      double s = x[a];
      for (int b = 0; b < a; b++) {
        s -= cholesky[a][b] * out[offset + b];
      }
      out[offset + a] = s / cholesky[a][a];
    }
  }

  private double[] whitenPoints(double[][] points) {
    if (points == null) {
      throw new IllegalArgumentException("points must not be null");
    }
    double[] y = new double[points.length * d];
    for (int j = 0; j < points.length; j++) {
      if (points[j].length != d) {
        throw new IllegalArgumentException("point " + j + " has dimension " + points[j].length
            + " but the KDE samples have dimension " + d);
      }
      for (int k = 0; k < d; k++) {
        if (!Double.isFinite(points[j][k])) {
          throw new IllegalArgumentException("point " + j + " column " + k + " is not finite: " + points[j][k]);
        }
      }
      whiten(points[j], y, j * d);
    }
    return y;
  }

  /**
   * Log density log p(y_j) at each of the m points (m x d, not modified); finite for any finite point.
   *
   * @return a new array of length m (natural log)
   */
  public double[] logpdf(double[][] points) {
    Sums s = kernelSums(points);
    double[] out = new double[points.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = Math.log(s.scaled[j]) - 0.5 * s.shift[j] + logNorm;
    }
    return out;
  }

  /** The kernel sums at the m points: sum_i w_i K(z_i - y_j) = scaled[j] exp(-shift[j] / 2) ({@link KernelSums}). */
  private record Sums(double[] scaled, double[] shift) {}

  /** {@link Sums} at the points (m x d, checked and whitened). */
  private Sums kernelSums(double[][] points) {
    double[] y = whitenPoints(points);
    int m = points.length;
    Sums s = new Sums(new double[m], new double[m]);
    sums.compute(y, m, s.scaled, s.shift);
    return s;
  }

  /**
   * {@link #logpdf(double[][])} evaluated by the backend's {@link Backend#gaussianKernelLogSums} (a CUDA kernel
   * on a GPU): whitening and the normalisation stay on the host in double; the whitened samples, points and
   * log weights go to the backend in float32, so the result carries float rounding of the whitened
   * coordinates: {@code |error| <=} about 1e-6 (|z| + |y|) |z - y| per kernel, i.e. ~1e-5 absolute in the log density
   * for data within 10 kernel widths (tested: 1e-4 absolute + 1e-5 relative against the double path). For
   * the exact double result on the CPU use {@link #logpdf(double[][])} (also the faster CPU path).
   */
  public double[] logpdf(Backend backend, double[][] points) {
    double[] y = whitenPoints(points);
    int m = points.length;
    if (m == 0) {
      return new double[0];
    }
    float[] yf = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      yf[i] = (float) (y[i] - whitenedMean[i % d]);
    }
    float[] res;
    try (Tensor tz = backend.upload(whitenedSamples, n, d); Tensor tw = backend.upload(logWeights, n);
         Tensor ty = backend.upload(yf, m, d); Tensor out = backend.zeros(m)) {
      backend.gaussianKernelLogSums(n, m, d, tz, tw, ty, out);
      res = backend.download(out);
    }
    double[] logp = new double[m];
    for (int j = 0; j < m; j++) {
      logp[j] = res[j] + logNorm;
    }
    return logp;
  }

  /**
   * Density p(y_j) at each of the m points (m x d, not modified); underflows to 0 only where the true
   * density is below the double range.
   *
   * @return a new array of length m
   */
  public double[] pdf(double[][] points) {
    Sums s = kernelSums(points);
    double[] out = new double[points.length];
    for (int j = 0; j < out.length; j++) {
      double e = Math.exp(logNorm - 0.5 * s.shift[j]);
      out[j] = e >= Double.MIN_NORMAL
          ? s.scaled[j] * e
          : Math.exp(Math.log(s.scaled[j]) - 0.5 * s.shift[j] + logNorm);
    }
    return out;
  }

  /** Convenience for 1-D KDEs: density at scalar points. */
  public double[] pdf(double[] points1d) {
    return pdf(column(points1d));
  }

  /** Wraps a vector as an m x 1 array. */
  public static double[][] column(double[] v) {
    double[][] out = new double[v.length][1];
    for (int i = 0; i < v.length; i++) {
      out[i][0] = v[i];
    }
    return out;
  }

  /** Whether the kernel sums use the 2-D cell grid (d >= 2 without far outliers; see KernelSums). */
  boolean usesCellGrid() {
    return sums.usesCellGrid();
  }

  /** Cell expansions evaluated so far (2-D far field; see KernelSums). */
  long hermiteUses() {
    return sums.hermiteUses();
  }

  public int sampleCount() {
    return n;
  }

  public int dimension() {
    return d;
  }

  /** n_eff = 1 / sum w_i^2 (weights normalised); n when unweighted. */
  public double effectiveSampleCount() {
    return neff;
  }

  /** The bandwidth factor (scipy's {@code kde.factor}). */
  public double factor() {
    return factor;
  }

  /** d x d data covariance (a copy). */
  public double[][] dataCovariance() {
    return deepCopy(dataCovariance);
  }

  /** d x d kernel covariance = data covariance * factor^2 (a copy). */
  public double[][] kernelCovariance() {
    return deepCopy(kernelCovariance);
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
