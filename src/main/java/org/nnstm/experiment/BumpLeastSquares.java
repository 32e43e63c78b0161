package org.nnstm.experiment;

import org.nnstm.data.LabelledImages;
import org.nnstm.data.BumpTargets;
import org.nnstm.nn.RegressionMetrics;

/**
 * The closed-form least-squares linear map from pixels to bumps, the model {@code regress} trains towards
 * when l2 = 0 and g = 0: with images X (n x d, rows x_i), classes y_i, one-hot classes E (n x 10) and the bump
 * table T (10 x B, {@link BumpTargets}), the targets are Y = E T and
 *
 * <pre>
 *   W* = argmin_W ||X W - Y||_F^2 + lambda ||W||_F^2 = (X^T X + lambda I)^{-1} X^T E T = M T,
 *   M  = (X^T X + lambda I)^{-1} S,   S = X^T E  (d x 10, the per-class pixel sums).
 * </pre>
 *
 * No bias column: the regress networks have no biases, so this is the optimum of the same model class (a
 * deep linear network of hidden widths >= 10 can represent W*, whose rank is at most 10). lambda is a tiny
 * jitter, {@value #RELATIVE_JITTER} * trace(X^T X) / d, that makes the Cholesky factorisation of the
 * positive semi-definite X^T X well posed (MNIST has pixels that are zero in every training image, which make
 * X^T X singular; the jitter sets their weights to exactly 0, the minimum-norm choice). Everything is in
 * double; X^T X is accumulated from the non-zero pixels of each image (MNIST is ~80% zeros).
 *
 * <p>This is a reference, not a bound: it minimises the training MSE among linear maps; other maps (ridge
 * with a larger lambda, early-stopped gradient descent, the cubic readout) can decode validation images
 * slightly better.
 */
final class BumpLeastSquares {
  /** lambda / (trace(X^T X) / d). */
  public static final double RELATIVE_JITTER = 1e-8;

  private final double[][] m;
  private final double lambda;
  private final BumpTargets targets;
  private final double[][] table;

  private BumpLeastSquares(double[][] m, double lambda, BumpTargets targets) {
    this.m = m;
    this.lambda = lambda;
    this.targets = targets;
    table = new double[BumpTargets.CLASSES][];
    for (int c = 0; c < BumpTargets.CLASSES; c++) {
      float[] t = targets.target(c);
      table[c] = new double[t.length];
      for (int j = 0; j < t.length; j++) {
        table[c][j] = t[j];
      }
    }
  }

  /** Fits W* on the training set with lambda = {@value #RELATIVE_JITTER} * trace(X^T X) / d. */
  public static BumpLeastSquares fit(LabelledImages train, BumpTargets targets) {
    return fit(train, targets, RELATIVE_JITTER);
  }

  /** Fits W* with lambda = relativeJitter * trace(X^T X) / d (relativeJitter > 0). */
  static BumpLeastSquares fit(LabelledImages train, BumpTargets targets, double relativeJitter) {
    if (!(relativeJitter > 0) || Double.isInfinite(relativeJitter)) {
      throw new IllegalArgumentException("relative jitter must be finite and > 0, got " + relativeJitter);
    }
    int n = train.size();
    if (n < 1) {
      throw new IllegalArgumentException("the least-squares reference needs at least one training image");
    }
    int d = train.images().length / n;
    double[][] a = gram(train.images(), n, d);
    double[][] s = new double[d][BumpTargets.CLASSES];
    for (int i = 0; i < n; i++) {
      int y = train.labels()[i];
      for (int p = 0; p < d; p++) {
        s[p][y] += train.images()[i * d + p];
      }
    }
    double trace = 0;
    for (int p = 0; p < d; p++) {
      trace += a[p][p];
    }
    double lambda = relativeJitter * (trace > 0 ? trace / d : 1.0);
    for (int p = 0; p < d; p++) {
      a[p][p] += lambda;
    }
    return new BumpLeastSquares(solveSymmetricPositiveDefinite(a, s), lambda, targets);
  }

  /**
   * X^T X (d x d, double) of n images stored row-major in x (n x d), summing v_p v_q over the non-zero pixels
   * of each image. Returns a new full symmetric matrix.
   */
  static double[][] gram(float[] x, int n, int d) {
    double[][] a = new double[d][d];
    int[] nz = new int[d];
    double[] v = new double[d];
    for (int i = 0; i < n; i++) {
      int k = 0;
      for (int p = 0; p < d; p++) {
        float value = x[i * d + p];
        if (value != 0f) {
          nz[k] = p;
          v[k++] = value;
        }
      }
      for (int u = 0; u < k; u++) {
        double[] row = a[nz[u]];
        double vu = v[u];
        for (int w = 0; w <= u; w++) {
          row[nz[w]] += vu * v[w];
        }
      }
    }
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < p; q++) {
        a[q][p] = a[p][q];
      }
    }
    return a;
  }

  /**
   * Solves A X = B for symmetric positive-definite A (d x d) by Cholesky, A = L L^T, then forward and back
   * substitution. B is d x r; returns X (d x r). A is overwritten with L in its lower triangle; B is unchanged.
   *
   * @throws IllegalArgumentException when a pivot is not positive (A is not positive definite in double)
   */
  static double[][] solveSymmetricPositiveDefinite(double[][] a, double[][] b) {
    int d = a.length;
    for (int j = 0; j < d; j++) {
      double[] lj = a[j];
      double diag = lj[j];
      for (int k = 0; k < j; k++) {
        diag -= lj[k] * lj[k];
      }
      if (!(diag > 0)) {
        throw new IllegalArgumentException("matrix is not positive definite: Cholesky pivot " + j + " is " + diag);
      }
      double ljj = Math.sqrt(diag);
      lj[j] = ljj;
      for (int i = j + 1; i < d; i++) {
        double[] li = a[i];
        double sum = li[j];
        for (int k = 0; k < j; k++) {
          sum -= li[k] * lj[k];
        }
        li[j] = sum / ljj;
      }
    }
    int r = b.length == 0 ? 0 : b[0].length;
    double[][] x = new double[d][];
    for (int i = 0; i < d; i++) { // L z = b
      double[] row = b[i].clone();
      for (int k = 0; k < i; k++) {
        double lik = a[i][k];
        for (int c = 0; c < r; c++) {
          row[c] -= lik * x[k][c];
        }
      }
      for (int c = 0; c < r; c++) {
        row[c] /= a[i][i];
      }
      x[i] = row;
    }
    for (int i = d - 1; i >= 0; i--) { // L^T x = z
      double[] row = x[i];
      for (int k = i + 1; k < d; k++) {
        double lki = a[k][i];
        for (int c = 0; c < r; c++) {
          row[c] -= lki * x[k][c];
        }
      }
      for (int c = 0; c < r; c++) {
        row[c] /= a[i][i];
      }
    }
    return x;
  }

  /** The jitter lambda that was added to the diagonal of X^T X. */
  public double lambda() {
    return lambda;
  }

  /** M = (X^T X + lambda I)^{-1} X^T E (d x 10, a copy); W* = M T. */
  public double[][] classMap() {
    double[][] out = new double[m.length][];
    for (int p = 0; p < m.length; p++) {
      out[p] = m[p].clone();
    }
    return out;
  }

  /** The prediction x W* = (x M) T of image i of data, rounded to float like the networks' outputs. Writes out[off .. off + B). */
  public void predict(LabelledImages data, int i, float[] out, int off) {
    int d = m.length;
    float[] x = data.images();
    double[] z = new double[BumpTargets.CLASSES];
    for (int p = 0; p < d; p++) {
      double v = x[i * d + p];
      if (v != 0) {
        for (int c = 0; c < BumpTargets.CLASSES; c++) {
          z[c] += v * m[p][c];
        }
      }
    }
    int b = targets.bins();
    for (int j = 0; j < b; j++) {
      double s = 0;
      for (int c = 0; c < BumpTargets.CLASSES; c++) {
        s += z[c] * table[c][j];
      }
      out[off + j] = (float) s;
    }
  }

  /** The metrics of W*'s predictions on data (the same {@link RegressionMetrics} as the networks'). */
  public RegressionMetrics evaluate(LabelledImages data) {
    if (data.size() > 0 && data.images().length / data.size() != m.length) {
      throw new IllegalArgumentException("images have " + data.images().length / data.size()
          + " pixels, the fit " + m.length);
    }
    RegressionMetrics metrics = new RegressionMetrics(targets);
    int b = targets.bins();
    int chunk = Math.max(1, Math.min(256, (1 << 20) / b)); // at most ~4 MiB of predictions at a time
    float[] pred = new float[chunk * b];
    int[] labels = new int[chunk];
    for (int from = 0; from < data.size(); from += chunk) {
      int rows = Math.min(chunk, data.size() - from);
      for (int r = 0; r < rows; r++) {
        predict(data, from + r, pred, r * b);
        labels[r] = data.labels()[from + r];
      }
      metrics.add(pred, labels, rows);
    }
    return metrics;
  }
}
