package org.nnstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/**
 * The trainer's gradients (one SGD step with momentum 0 leaves v = g) against a double-precision twin
 * network, whose own backprop is checked against central finite differences, for every hidden activation
 * (its double math: phi = value(z), phi' = first(z)) with itself or the identity at the output.
 */
class GradientCheckTest {
  private static final int[] WIDTHS = {5, 7, 3, 4};
  private static final int ROWS = 3;

  @Test
  void gradientsMatchDoubleTwinAndFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(7);
    float[] x = new float[ROWS * WIDTHS[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    int[] labels = {1, 3, 0};
    List<ModelInit> inits = List.of(new ModelInit(1.5, 0.05, 11), new ModelInit(2.5, 0.2, 12));
    for (Activation hidden : Activation.values()) {
      for (Activation out : new Activation[] {hidden, Activation.IDENTITY}) {
        checkGradients(new NetworkSpec(WIDTHS, hidden, out), x, labels, inits);
      }
    }
  }

  @Test
  void ofPutsTheActivationEverywhere() {
    assertEquals(NetworkSpec.tanh(WIDTHS), NetworkSpec.of(WIDTHS, Activation.TANH));
    NetworkSpec relu = NetworkSpec.of(WIDTHS, Activation.RELU);
    for (int l = 0; l < relu.depth(); l++) {
      assertEquals(Activation.RELU, relu.activation(l));
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.of(WIDTHS, null));
  }

  private static void checkGradients(NetworkSpec spec, float[] x, int[] labels, List<ModelInit> inits) {
    try (Backend backend = Backends.cpu(1);
         Ensemble net = new Ensemble(backend, spec, inits);
         EnsembleTrainer trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.01f, 0f, ROWS))) {
      double[][][] w = new double[inits.size()][][];
      double[][][] b = new double[inits.size()][][];
      for (int k = 0; k < inits.size(); k++) {
        w[k] = new double[spec.depth()][];
        b[k] = new double[spec.depth()][];
        for (int l = 0; l < spec.depth(); l++) {
          w[k][l] = toDouble(net.weights(k, l));
          b[k][l] = toDouble(net.biases(k, l));
        }
      }
      trainer.trainEpoch(x, labels, new int[] {0, 1, 2}, null);
      for (int k = 0; k < inits.size(); k++) {
        Twin twin = new Twin(spec, w[k], b[k]);
        double[][][] g = twin.gradients(x, labels);
        twin.checkFiniteDifferences(x, labels, g);
        for (int l = 0; l < spec.depth(); l++) {
          GaussianLinear layer = net.layer(l);
          int nw = layer.in() * layer.out();
          float[] vw = new float[nw];
          backend.download(layer.weightVelocity, (long) k * nw, vw, 0, nw);
          float[] vb = new float[layer.out()];
          backend.download(layer.biasVelocity, (long) k * layer.out(), vb, 0, layer.out());
          Tolerance.assertClose("dL/dW" + l + " model " + k + " " + spec, g[0][l], vw,
              Tolerance.FLOAT_ATOL, Tolerance.FLOAT_SUM_RTOL);
          Tolerance.assertClose("dL/db" + l + " model " + k + " " + spec, g[1][l], vb,
              Tolerance.FLOAT_ATOL, Tolerance.FLOAT_SUM_RTOL);
        }
      }
    }
  }

  @Test
  void oneModelTrainedAloneEqualsSameModelInEnsemble() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[8 * WIDTHS[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    int[] labels = {0, 1, 2, 3, 3, 2, 1, 0};
    int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
    NetworkSpec spec = NetworkSpec.tanh(WIDTHS);
    ModelInit m = new ModelInit(1.7, 0.05, 5);
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(0.05f, 0.8f, 3);
    try (Backend backend = Backends.cpu(1);
         Ensemble alone = new Ensemble(backend, spec, List.of(m));
         Ensemble many = new Ensemble(backend, spec, List.of(new ModelInit(1.0, 0.1, 9), m));
         EnsembleTrainer t1 = new EnsembleTrainer(alone, cfg);
         EnsembleTrainer t2 = new EnsembleTrainer(many, cfg)) {
      t1.trainEpoch(x, labels, order, null);
      t2.trainEpoch(x, labels, order, null);
      for (int l = 0; l < spec.depth(); l++) {
        float[] a = alone.weights(0, l);
        float[] e = many.weights(1, l);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], e[i], 1e-6f, "layer " + l + " weight " + i);
        }
      }
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** The same network in double precision, with plain backprop. */
  private static final class Twin {
    final NetworkSpec spec;
    final double[][] w;
    final double[][] b;

    Twin(NetworkSpec spec, double[][] w, double[][] b) {
      this.spec = spec;
      this.w = w;
      this.b = b;
    }

    double loss(float[] x, int[] labels) {
      double total = 0;
      for (int r = 0; r < labels.length; r++) {
        double[][] ys = forward(x, r);
        double[] o = ys[spec.depth()];
        total += -logSoftmax(o)[labels[r]];
      }
      return total / labels.length;
    }

    double[] logSoftmax(double[] o) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : o) {
        max = Math.max(max, v);
      }
      double s = 0;
      for (double v : o) {
        s += Math.exp(v - max);
      }
      double[] ls = new double[o.length];
      for (int i = 0; i < o.length; i++) {
        ls[i] = o[i] - max - Math.log(s);
      }
      return ls;
    }

    /** ys[0] = input, ys[l+1] = phi(W_l ys[l] + b_l). */
    double[][] forward(float[] x, int r) {
      return forward(x, r, new double[spec.depth() + 1][]);
    }

    /** As {@link #forward(float[], int)}, storing the pre-activations W_l ys[l] + b_l in zs[l+1]. */
    double[][] forward(float[] x, int r, double[][] zs) {
      int depth = spec.depth();
      double[][] ys = new double[depth + 1][];
      ys[0] = new double[spec.width(0)];
      for (int i = 0; i < ys[0].length; i++) {
        ys[0][i] = x[r * spec.width(0) + i];
      }
      for (int l = 0; l < depth; l++) {
        int in = spec.width(l);
        int out = spec.width(l + 1);
        ys[l + 1] = new double[out];
        zs[l + 1] = new double[out];
        for (int o = 0; o < out; o++) {
          double s = b[l][o];
          for (int i = 0; i < in; i++) {
            s += w[l][o * in + i] * ys[l][i];
          }
          zs[l + 1][o] = s;
          ys[l + 1][o] = spec.activation(l).value(s);
        }
      }
      return ys;
    }

    /** {dW_l}, {db_l} of the mean loss. */
    double[][][] gradients(float[] x, int[] labels) {
      int depth = spec.depth();
      double[][] gw = new double[depth][];
      double[][] gb = new double[depth][];
      for (int l = 0; l < depth; l++) {
        gw[l] = new double[w[l].length];
        gb[l] = new double[b[l].length];
      }
      for (int r = 0; r < labels.length; r++) {
        double[][] zs = new double[depth + 1][];
        double[][] ys = forward(x, r, zs);
        double[] ls = logSoftmax(ys[depth]);
        double[] dy = new double[ls.length];
        for (int c = 0; c < ls.length; c++) {
          dy[c] = (Math.exp(ls[c]) - (c == labels[r] ? 1 : 0)) / labels.length;
        }
        for (int l = depth - 1; l >= 0; l--) {
          int in = spec.width(l);
          int out = spec.width(l + 1);
          double[] dz = new double[out];
          for (int o = 0; o < out; o++) {
            dz[o] = dy[o] * spec.activation(l).first(zs[l + 1][o]);
          }
          double[] dprev = new double[in];
          for (int o = 0; o < out; o++) {
            gb[l][o] += dz[o];
            for (int i = 0; i < in; i++) {
              gw[l][o * in + i] += dz[o] * ys[l][i];
              dprev[i] += dz[o] * w[l][o * in + i];
            }
          }
          dy = dprev;
        }
      }
      return new double[][][] {gw, gb};
    }

    void checkFiniteDifferences(float[] x, int[] labels, double[][][] g) {
      double eps = 1e-6;
      for (int l = 0; l < spec.depth(); l++) {
        for (double[][] params : new double[][][] {w, b}) {
          int which = params == w ? 0 : 1;
          double[] p = params[l];
          for (int i = 0; i < p.length; i += 2) {
            double keep = p[i];
            p[i] = keep + eps;
            double up = loss(x, labels);
            p[i] = keep - eps;
            double down = loss(x, labels);
            p[i] = keep;
            double fd = (up - down) / (2 * eps);
            Tolerance.assertClose("finite difference " + (which == 0 ? "W" : "b") + l + "[" + i + "]",
                fd, g[which][l][i], 1e-8, 1e-6);
          }
        }
      }
    }
  }
}
