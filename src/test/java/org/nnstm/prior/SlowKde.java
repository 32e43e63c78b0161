package org.nnstm.prior;

/**
 * The slow obvious twin of {@link GaussianKde}: weighted covariance by two passes, explicit inverse by
 * Gauss-Jordan, the density by the textbook formula in a double loop; log density by max-shifted log-sum-exp
 * of the same exponents.
 */
final class SlowKde {
  final double[][] cov;
  final double[][] inv;
  final double det;
  final double[][] x;
  final double[] w;

  SlowKde(double[][] x, double factor, double[] weights) {
    int n = x.length;
    int d = x[0].length;
    this.x = x;
    w = new double[n];
    double tot = 0;
    for (int i = 0; i < n; i++) {
      w[i] = weights == null ? 1.0 : weights[i];
      tot += w[i];
    }
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      w[i] /= tot;
      s2 += w[i] * w[i];
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mean[k] += w[i] * x[i][k];
      }
    }
    cov = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += w[i] * (x[i][a] - mean[a]) * (x[i][b] - mean[b]);
        }
        cov[a][b] = s / (1 - s2) * factor * factor;
      }
    }
    // Gauss-Jordan with partial pivoting, determinant as the product of pivots
    double[][] aug = new double[d][2 * d];
    for (int a = 0; a < d; a++) {
      System.arraycopy(cov[a], 0, aug[a], 0, d);
      aug[a][d + a] = 1;
    }
    double dt = 1;
    for (int c = 0; c < d; c++) {
      int piv = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(aug[r][c]) > Math.abs(aug[piv][c])) {
          piv = r;
        }
      }
      if (piv != c) {
        double[] t = aug[piv];
        aug[piv] = aug[c];
        aug[c] = t;
        dt = -dt;
      }
      double pv = aug[c][c];
      dt *= pv;
      for (int k = 0; k < 2 * d; k++) {
        aug[c][k] /= pv;
      }
      for (int r = 0; r < d; r++) {
        if (r != c) {
          double f = aug[r][c];
          for (int k = 0; k < 2 * d; k++) {
            aug[r][k] -= f * aug[c][k];
          }
        }
      }
    }
    inv = new double[d][d];
    for (int a = 0; a < d; a++) {
      System.arraycopy(aug[a], d, inv[a], 0, d);
    }
    det = dt;
  }

  private double quad(double[] xi, double[] y) {
    int d = y.length;
    double q = 0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        q += (xi[a] - y[a]) * inv[a][b] * (xi[b] - y[b]);
      }
    }
    return q;
  }

  double pdf(double[] y) {
    int d = y.length;
    double norm = 1 / Math.sqrt(Math.pow(2 * Math.PI, d) * det);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += w[i] * Math.exp(-0.5 * quad(x[i], y));
    }
    return s * norm;
  }

  double logpdf(double[] y) {
    int d = y.length;
    double[] e = new double[x.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      e[i] = Math.log(w[i]) - 0.5 * quad(x[i], y);
      max = Math.max(max, e[i]);
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.exp(e[i] - max);
    }
    return max + Math.log(s) - 0.5 * (d * Math.log(2 * Math.PI) + Math.log(det));
  }
}
