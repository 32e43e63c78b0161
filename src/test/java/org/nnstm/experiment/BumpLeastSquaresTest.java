package org.nnstm.experiment;

import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.data.BumpTargets;
import org.nnstm.nn.RegressionMetrics;

/** The closed-form reference against slow twins (dense Gram matrix, Gaussian elimination) and known fits. */
class BumpLeastSquaresTest {
  private static final double RTOL = 1e-9;
  private static final double ATOL = 1e-12;

  private static void close(double expect, double actual, String what) {
    assertTrue(Math.abs(actual - expect) <= ATOL + RTOL * Math.abs(expect), what + ": " + actual + " vs " + expect);
  }

  /** n images of d pixels, about 70% zeros, one pixel (d - 1) zero everywhere, classes 0..9. */
  private static LabelledImages sparse(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(10);
      for (int p = 0; p < d - 1; p++) {
        if (rng.nextDouble() < 0.3) {
          x[i * d + p] = (float) rng.nextDouble() + (p % 10 == y[i] ? 0.5f : 0f);
        }
      }
    }
    return new LabelledImages(x, y);
  }

  /** Slow twin of the Gram matrix: every pair of pixels, zeros included. */
  private static double[][] denseGram(float[] x, int n, int d) {
    double[][] a = new double[d][d];
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        for (int i = 0; i < n; i++) {
          a[p][q] += (double) x[i * d + p] * x[i * d + q];
        }
      }
    }
    return a;
  }

  /** Slow twin of the solver: Gaussian elimination with partial pivoting on copies. */
  private static double[][] gaussSolve(double[][] a0, double[][] b0) {
    int d = a0.length;
    int r = b0[0].length;
    double[][] a = new double[d][];
    double[][] b = new double[d][];
    for (int i = 0; i < d; i++) {
      a[i] = a0[i].clone();
      b[i] = b0[i].clone();
    }
    for (int c = 0; c < d; c++) {
      int piv = c;
      for (int i = c + 1; i < d; i++) {
        if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) {
          piv = i;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      t = b[c];
      b[c] = b[piv];
      b[piv] = t;
      for (int i = c + 1; i < d; i++) {
        double f = a[i][c] / a[c][c];
        for (int k = c; k < d; k++) {
          a[i][k] -= f * a[c][k];
        }
        for (int k = 0; k < r; k++) {
          b[i][k] -= f * b[c][k];
        }
      }
    }
    double[][] x = new double[d][r];
    for (int i = d - 1; i >= 0; i--) {
      for (int k = 0; k < r; k++) {
        double s = b[i][k];
        for (int j = i + 1; j < d; j++) {
          s -= a[i][j] * x[j][k];
        }
        x[i][k] = s / a[i][i];
      }
    }
    return x;
  }

  @Test
  void gramMatchesTheDenseTwin() {
    for (int[] nd : new int[][] {{1, 1}, {1, 5}, {37, 13}, {200, 40}}) {
      LabelledImages data = sparse(nd[0], nd[1], 11 + nd[0]);
      double[][] fast = BumpLeastSquares.gram(data.images(), nd[0], nd[1]);
      double[][] slow = denseGram(data.images(), nd[0], nd[1]);
      for (int p = 0; p < nd[1]; p++) {
        for (int q = 0; q < nd[1]; q++) {
          close(slow[p][q], fast[p][q], "n=" + nd[0] + " d=" + nd[1] + " A[" + p + "][" + q + "]");
        }
      }
    }
  }

  @Test
  void choleskyMatchesGaussianElimination() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int d : new int[] {1, 2, 7, 30}) {
      for (int r : new int[] {1, 3}) {
        double[][] g = new double[d + 3][d];
        for (double[] row : g) {
          for (int j = 0; j < d; j++) {
            row[j] = rng.nextGaussian();
          }
        }
        double[][] a = new double[d][d]; // G^T G + 0.1 I: positive definite, condition ~1e2
        for (int p = 0; p < d; p++) {
          for (int q = 0; q < d; q++) {
            for (double[] row : g) {
              a[p][q] += row[p] * row[q];
            }
          }
          a[p][p] += 0.1;
        }
        double[][] b = new double[d][r];
        for (double[] row : b) {
          for (int c = 0; c < r; c++) {
            row[c] = rng.nextGaussian();
          }
        }
        double[][] expect = gaussSolve(a, b);
        double[][] copy = new double[d][];
        for (int p = 0; p < d; p++) {
          copy[p] = a[p].clone();
        }
        double[][] actual = BumpLeastSquares.solveSymmetricPositiveDefinite(copy, b);
        for (int p = 0; p < d; p++) {
          for (int c = 0; c < r; c++) {
            close(expect[p][c], actual[p][c], "d=" + d + " r=" + r + " x[" + p + "][" + c + "]");
          }
        }
      }
    }
  }

  @Test
  void aMatrixThatIsNotPositiveDefiniteIsRefused() {
    double[][] a = {{1, 2}, {2, 1}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BumpLeastSquares.solveSymmetricPositiveDefinite(a, new double[][] {{1}, {1}}));
    assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
  }

  @Test
  void theFitSatisfiesTheRidgeNormalEquationsWithTheFullTargets() {
    // gradient of ||X W - Y||^2 + lambda ||W||^2 at W = M T is 2 (X^T (X W - Y) + lambda W): zero
    int n = 300;
    int d = 25;
    BumpTargets targets = new BumpTargets(17, 0.4);
    LabelledImages data = sparse(n, d, 5);
    BumpLeastSquares fit = BumpLeastSquares.fit(data, targets);
    double[][] m = fit.classMap();
    int b = targets.bins();
    double[][] w = new double[d][b];
    for (int p = 0; p < d; p++) {
      for (int j = 0; j < b; j++) {
        for (int c = 0; c < 10; c++) {
          w[p][j] += m[p][c] * targets.target(c)[j];
        }
      }
    }
    double[][] resid = new double[n][b];
    for (int i = 0; i < n; i++) {
      float[] t = targets.target(data.labels()[i]);
      for (int j = 0; j < b; j++) {
        double s = -t[j];
        for (int p = 0; p < d; p++) {
          s += data.images()[i * d + p] * w[p][j];
        }
        resid[i][j] = s;
      }
    }
    double scale = 0;
    for (int p = 0; p < d; p++) {
      for (int j = 0; j < b; j++) {
        double grad = fit.lambda() * w[p][j];
        double mag = 0;
        for (int i = 0; i < n; i++) {
          grad += data.images()[i * d + p] * resid[i][j];
          mag += Math.abs(data.images()[i * d + p] * targets.target(data.labels()[i])[j]);
        }
        scale = Math.max(scale, mag);
        assertTrue(Math.abs(grad) <= 1e-9 * mag + 1e-12, "gradient [" + p + "][" + j + "] = " + grad + ", scale " + mag);
      }
    }
    assertTrue(scale > 0, "the problem is not empty");
    // the pixel that is zero in every image gets weight exactly 0 (minimum norm)
    for (int c = 0; c < 10; c++) {
      assertEquals(0.0, m[d - 1][c], "always-zero pixel, class " + c);
    }
    // the same M as the slow twin: dense Gram + lambda I solved by Gaussian elimination
    double[][] a = denseGram(data.images(), n, d);
    double[][] s = new double[d][10];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        s[p][data.labels()[i]] += data.images()[i * d + p];
      }
    }
    for (int p = 0; p < d; p++) {
      a[p][p] += fit.lambda();
    }
    double[][] slow = gaussSolve(a, s);
    for (int p = 0; p < d; p++) {
      for (int c = 0; c < 10; c++) {
        close(slow[p][c], m[p][c], "M[" + p + "][" + c + "]");
      }
    }
  }

  @Test
  void imagesThatAreTheirOneHotClassAreFittedExactly() {
    // x_i = e_{y_i} (plus zero pixels): M = diag(n_c / (n_c + lambda)), predictions = the targets up to lambda
    int n = 100;
    int d = 12;
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 10;
      x[i * d + y[i]] = 1f;
    }
    LabelledImages data = new LabelledImages(x, y);
    BumpTargets targets = new BumpTargets(30, 0.3);
    BumpLeastSquares fit = BumpLeastSquares.fit(data, targets);
    double lambda = fit.lambda();
    close(BumpLeastSquares.RELATIVE_JITTER * 100.0 / 12, lambda, "lambda = jitter * trace / d");
    double[][] m = fit.classMap();
    for (int p = 0; p < d; p++) {
      for (int c = 0; c < 10; c++) {
        close(p == c ? 10 / (10 + lambda) : 0, m[p][c], "M[" + p + "][" + c + "]");
      }
    }
    RegressionMetrics r = fit.evaluate(data);
    assertEquals(1.0, r.decodedAccuracy());
    assertEquals(1.0, r.binAccuracy());
    assertTrue(r.mse() < 1e-14, "MSE of an exact fit: " + r.mse());
  }
}
