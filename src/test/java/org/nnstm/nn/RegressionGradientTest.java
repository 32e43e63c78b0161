package org.nnstm.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.data.BumpTargets;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/**
 * The bump-regression objective's gradients (cubic readout, MSE mean over outputs and rows, L2 on the weights)
 * left in the velocities by one SGD step with momentum 0, against a double-precision twin whose own gradient
 * is checked by central finite differences.
 */
class RegressionGradientTest {
  private static final int[] WIDTHS = {6, 5, 12};
  private static final int ROWS = 3;
  private static final double L2 = 0.01;

  @Test
  void gradientsMatchTwinAndFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[ROWS * WIDTHS[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * rng.nextDouble());
    }
    int[] labels = {2, 9, 0};
    double[] g = {0.0, 0.7};
    BumpTargets targets = new BumpTargets(WIDTHS[2], 0.6);
    List<ModelInit> inits = List.of(ModelInit.perLayer(new double[] {2.0, 3.0}, 1),
        ModelInit.perLayer(new double[] {2.0, 3.0}, 1));
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, NetworkSpec.linear(WIDTHS), inits);
         EnsembleTrainer t = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.01f, 0f, ROWS, (float) L2),
             new BumpRegression(backend, targets, g, ROWS))) {
      double[][][] w = new double[2][2][];
      for (int k = 0; k < 2; k++) {
        for (int l = 0; l < 2; l++) {
          w[k][l] = toDouble(net.weights(k, l));
        }
      }
      t.trainEpoch(x, labels, new int[] {0, 1, 2}, null);
      for (int k = 0; k < 2; k++) {
        double[][] grad = twinGradient(w[k], g[k], x, labels, targets);
        checkFiniteDifferences(w[k], g[k], x, labels, targets, grad);
        for (int l = 0; l < 2; l++) {
          GaussianLinear layer = net.layer(l);
          int n = layer.in() * layer.out();
          float[] v = new float[n];
          backend.download(layer.weightVelocity, (long) k * n, v, 0, n);
          Tolerance.assertClose("dL/dW" + l + " g = " + g[k], grad[l], v, 1e-7, Tolerance.FLOAT_SUM_RTOL);
        }
      }
    }
  }

  /** L = (1/(R B)) sum_{r,j} (u + g u^3 - t)^2 + l2 sum W^2 with u = W2 W1 x. */
  private static double loss(double[][] w, double g, float[] x, int[] labels, BumpTargets targets) {
    int n0 = WIDTHS[0];
    int n1 = WIDTHS[1];
    int b = WIDTHS[2];
    double sum = 0;
    for (int r = 0; r < ROWS; r++) {
      double[] h = new double[n1];
      for (int i = 0; i < n1; i++) {
        for (int j = 0; j < n0; j++) {
          h[i] += w[0][i * n0 + j] * x[r * n0 + j];
        }
      }
      float[] t = targets.target(labels[r]);
      for (int o = 0; o < b; o++) {
        double u = 0;
        for (int i = 0; i < n1; i++) {
          u += w[1][o * n1 + i] * h[i];
        }
        double d = u + g * u * u * u - t[o];
        sum += d * d;
      }
    }
    double reg = 0;
    for (double[] layer : w) {
      for (double v : layer) {
        reg += v * v;
      }
    }
    return sum / (ROWS * b) + L2 * reg;
  }

  /** Backprop of {@link #loss} in double. */
  private static double[][] twinGradient(double[][] w, double g, float[] x, int[] labels, BumpTargets targets) {
    int n0 = WIDTHS[0];
    int n1 = WIDTHS[1];
    int b = WIDTHS[2];
    double[][] grad = {new double[w[0].length], new double[w[1].length]};
    for (int r = 0; r < ROWS; r++) {
      double[] h = new double[n1];
      for (int i = 0; i < n1; i++) {
        for (int j = 0; j < n0; j++) {
          h[i] += w[0][i * n0 + j] * x[r * n0 + j];
        }
      }
      float[] t = targets.target(labels[r]);
      double[] dh = new double[n1];
      for (int o = 0; o < b; o++) {
        double u = 0;
        for (int i = 0; i < n1; i++) {
          u += w[1][o * n1 + i] * h[i];
        }
        double d = u + g * u * u * u - t[o];
        double du = 2 * d * (1 + 3 * g * u * u) / (ROWS * b);
        for (int i = 0; i < n1; i++) {
          grad[1][o * n1 + i] += du * h[i];
          dh[i] += du * w[1][o * n1 + i];
        }
      }
      for (int i = 0; i < n1; i++) {
        for (int j = 0; j < n0; j++) {
          grad[0][i * n0 + j] += dh[i] * x[r * n0 + j];
        }
      }
    }
    for (int l = 0; l < 2; l++) {
      for (int i = 0; i < w[l].length; i++) {
        grad[l][i] += 2 * L2 * w[l][i];
      }
    }
    return grad;
  }

  private static void checkFiniteDifferences(double[][] w, double g, float[] x, int[] labels, BumpTargets targets,
                                             double[][] grad) {
    double eps = 1e-6;
    for (int l = 0; l < 2; l++) {
      double[] fd = new double[w[l].length];
      for (int i = 0; i < w[l].length; i++) {
        double keep = w[l][i];
        w[l][i] = keep + eps;
        double up = loss(w, g, x, labels, targets);
        w[l][i] = keep - eps;
        double down = loss(w, g, x, labels, targets);
        w[l][i] = keep;
        fd[i] = (up - down) / (2 * eps);
      }
      Tolerance.assertClose("finite differences, layer " + l + ", g = " + g, fd, toFloat(grad[l]), 1e-8, 1e-5);
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
