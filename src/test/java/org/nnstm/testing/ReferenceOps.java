package org.nnstm.testing;

import org.nnstm.tensor.Activation;

/**
 * Slow, obvious double-precision twins of every {@link org.nnstm.tensor.Backend} op: plain loops over
 * Java arrays, written straight from the contract's formulas. Inputs are float arrays (what the backend
 * sees); outputs are fresh double arrays (or the modified copies) for comparison with
 * {@link Tolerance}.
 */
public final class ReferenceOps {
  private ReferenceOps() {}

  /** Widens a float array. */
  public static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /**
   * Batched gemm: returns a copy of c in which, for each problem p, the m x n block at p * strideC is
   * alpha op(A_p) op(B_p) + beta C_p (C_p not read when beta == 0). Elements outside the blocks are kept.
   */
  public static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                              float[] a, long strideA, float[] b, long strideB, double beta, float[] c,
                              long strideC, int batch) {
    double[] out = toDouble(c);
    for (int p = 0; p < batch; p++) {
      int oa = (int) (p * strideA);
      int ob = (int) (p * strideB);
      int oc = (int) (p * strideC);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int l = 0; l < k; l++) {
            double av = transA ? a[oa + l * m + i] : a[oa + i * k + l];
            double bv = transB ? b[ob + j * k + l] : b[ob + l * n + j];
            s += av * bv;
          }
          double prev = beta == 0 ? 0 : beta * c[oc + i * n + j];
          out[oc + i * n + j] = alpha * s + prev;
        }
      }
    }
    return out;
  }

  /** y + alpha x over the first n elements (the rest of y kept). */
  public static double[] axpy(int n, double alpha, float[] x, float[] y) {
    double[] out = toDouble(y);
    for (int i = 0; i < n; i++) {
      out[i] = y[i] + alpha * x[i];
    }
    return out;
  }

  /** The pre-activations z + bias (broadcast over rows), as floats the backend would hold. */
  public static float[] addBias(int batch, int rows, int cols, float[] z, float[] bias) {
    float[] out = z.clone();
    for (int p = 0; p < batch; p++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[(p * rows + r) * cols + c] = z[(p * rows + r) * cols + c] + bias[p * cols + c];
        }
      }
    }
    return out;
  }

  /** phi applied elementwise in double: phi.value(z[i]) (the activation's double-precision math). */
  public static double[] activation(Activation phi, float[] z) {
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = phi.value(z[i]);
    }
    return out;
  }

  /** dy[i] * phi'(z[i]) for i < n, in double from the pre-activations (the contract's formula). */
  public static double[] activationBackward(Activation phi, int n, float[] dy, float[] z) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = dy[i] * phi.first(z[i]);
    }
    return out;
  }

  /** db[p,c] = beta db[p,c] + sum_r dz[p,r,c] (db not read when beta == 0). */
  public static double[] columnSums(int batch, int rows, int cols, float[] dz, double beta, float[] db) {
    double[] out = new double[batch * cols];
    for (int p = 0; p < batch; p++) {
      for (int c = 0; c < cols; c++) {
        double s = beta == 0 ? 0 : beta * db[p * cols + c];
        for (int r = 0; r < rows; r++) {
          s += dz[(p * rows + r) * cols + c];
        }
        out[p * cols + c] = s;
      }
    }
    return out;
  }

  /**
   * Softmax cross-entropy: fills grad (batch*rows*classes) with gradScale (softmax - onehot) and returns
   * stats (batch, 2): summed -ln p_label in nats, count of rows whose first argmax equals the label.
   */
  public static double[] softmaxCrossEntropy(int batch, int rows, int classes, float[] logits, float[] labels,
                                             double gradScale, double[] grad) {
    double[] stats = new double[2 * batch];
    for (int p = 0; p < batch; p++) {
      for (int r = 0; r < rows; r++) {
        int at = (p * rows + r) * classes;
        int y = (int) labels[r];
        double max = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        for (int c = 0; c < classes; c++) {
          if (logits[at + c] > max) {
            max = logits[at + c];
            argmax = c;
          }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          sum += Math.exp(logits[at + c] - max);
        }
        for (int c = 0; c < classes; c++) {
          double prob = Math.exp(logits[at + c] - max) / sum;
          grad[at + c] = gradScale * (prob - (c == y ? 1 : 0));
        }
        stats[2 * p] += -Math.log(Math.exp(logits[at + y] - max) / sum);
        stats[2 * p + 1] += argmax == y ? 1 : 0;
      }
    }
    return stats;
  }

  /**
   * Cubic readout + squared error in double: pred = u + g_p u^3, d = pred - target, gradU = gradScale d
   * (1 + 3 g_p u^2). Returns {pred, gradU, stats (batch): sum d^2}.
   */
  public static double[][] cubicReadoutSquaredError(int batch, int rows, int cols, float[] u, float[] g,
                                                    float[] target, double gradScale) {
    int per = rows * cols;
    double[] pred = new double[batch * per];
    double[] grad = new double[batch * per];
    double[] stats = new double[batch];
    for (int p = 0; p < batch; p++) {
      for (int i = 0; i < per; i++) {
        double x = u[p * per + i];
        double y = x + g[p] * x * x * x;
        double d = y - target[i];
        pred[p * per + i] = y;
        grad[p * per + i] = gradScale * d * (1 + 3 * g[p] * x * x);
        stats[p] += d * d;
      }
    }
    return new double[][] {pred, grad, stats};
  }

  /** ln sum_i exp(lw_i - |z_i - y_j|^2 / 2) per point, by the textbook two-pass log-sum-exp in double. */
  public static double[] gaussianKernelLogSums(int n, int m, int d, float[] z, float[] lw, float[] y) {
    double[] out = new double[m];
    for (int j = 0; j < m; j++) {
      double[] e = new double[n];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double r2 = 0;
        for (int k = 0; k < d; k++) {
          double diff = (double) z[i * d + k] - y[j * d + k];
          r2 += diff * diff;
        }
        e[i] = lw[i] - r2 / 2;
        max = Math.max(max, e[i]);
      }
      double s = 0;
      for (double v : e) {
        s += Math.exp(v - max);
      }
      out[j] = max + Math.log(s);
    }
    return out;
  }

  /** SGD momentum: v = mu v + g; w = w - lr v. Returns {w, v} over the first n elements. */
  public static double[][] sgdMomentum(int n, double lr, double mu, float[] w, float[] g, float[] v) {
    double[] wo = toDouble(w);
    double[] vo = toDouble(v);
    for (int i = 0; i < n; i++) {
      vo[i] = mu * v[i] + g[i];
      wo[i] = w[i] - lr * vo[i];
    }
    return new double[][] {wo, vo};
  }
}
