package org.nnstm.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nnstm.meanfield.MeanField;
import org.nnstm.tensor.Activation;
import org.nnstm.meanfield.MeanFieldPoint;
import org.nnstm.meanfield.TwoInputMaps;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.GaussianLinear;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Measured signal propagation through random networks (tanh, or any {@link Activation}) against mean-field theory
 * (Poole et al. 2016; Schoenholz et al. 2017).
 *
 * <p>For each sigma_w^2 and width n: M networks n_0 = 784 -> n -> ... -> n (L layers, phi after each),
 * initialised as everywhere in nnstm ({@link ModelInit} with seeds seed, seed+1, ..., seed+M-1, through
 * {@link Ensemble}), and two inputs x_1, x_2. With z_{a}^l (length n) network k's pre-activations of input
 * a at layer l = 1..L:
 * <pre>
 *   q_k^l = (|z_1^l|^2 + |z_2^l|^2) / (2n)          (mean squared pre-activation over both inputs)
 *   c_k^l = z_1^l . z_2^l / (|z_1^l| |z_2^l|)       (correlation of the two inputs)
 *   q^l = mean_k q_k^l, q_se = sd_k(q_k^l) / sqrt(M), q_var = sd_k(q_k^l)^2 (across-network variance, ddof 1),
 *   c^l = mean_k c_k^l, c_se = sd_k(c_k^l) / sqrt(M);
 * </pre>
 * layer 0 is the input: q^0 = (|x_1|^2 + |x_2|^2) / (2 n_0), c^0 the inputs' cosine. The mean-field
 * values are {@link TwoInputMaps} iterated from the inputs' measured moments: q_meanfield^l =
 * (q_1^l + q_2^l) / 2, c_meanfield^l = q_12^l / sqrt(q_1^l q_2^l).
 *
 * <p>Correlation depth: xi_fit = -1 / slope of the unweighted least-squares line through
 * (l, ln |c^l - c*|) over the layers l = 1, 2, ... up to (not including) the first layer where
 * |c^l - c*| &lt;= max(3 c_se^l, 1e-6), with c* the mean-field fixed point ({@link MeanField}); NaN when fewer
 * than 3 layers qualify. It is compared with xi_c = -1 / ln chi_c: in the ordered phase the approach to
 * c* = 1 is exponential from the first layers; in the chaotic phase c^0 starts far from c* and the early,
 * nonlinear approach makes the fit over all qualifying layers overshoot xi_c. Where the length map has no fixed
 * point (identity or relu with sigma_w^2 k >= 1: phase "unbounded", q^l grows without bound) c*, xi_c and xi_fit
 * are NaN; the measured q^l, c^l and the iterated maps are still reported.
 */
public final class SignalPropagation {
  private SignalPropagation() {}

  /**
   * Settings; {@code x1}, {@code x2} are the two inputs (length n_0); {@code activation} follows every layer (the
   * networks' and the mean-field maps').
   */
  public record Settings(double[] varW, double varB, int depth, int[] widths, int networks, float[] x1, float[] x2,
                         long seed, double memoryGiB, Method method, Activation activation) {
    public Settings {
      if (method == null) {
        throw new IllegalArgumentException("method must be networks or projection");
      }
      if (activation == null) {
        throw new IllegalArgumentException("activation must be given");
      }
      if (varW.length == 0 || widths.length == 0) {
        throw new IllegalArgumentException("need at least one sigma_w^2 and one width");
      }
      for (double w : varW) {
        if (!(w > 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("sigma_w^2 must be finite and > 0, got " + w);
        }
      }
      if (!(varB >= 0) || Double.isInfinite(varB)) {
        throw new IllegalArgumentException("sigma_b^2 must be finite and >= 0, got " + varB);
      }
      if (depth < 1) {
        throw new IllegalArgumentException("depth must be >= 1, got " + depth);
      }
      for (int n : widths) {
        if (n < 1) {
          throw new IllegalArgumentException("widths must be >= 1, got " + n);
        }
      }
      if (networks < 2) {
        throw new IllegalArgumentException("need at least 2 networks for standard errors, got " + networks);
      }
      if (x1.length != x2.length || x1.length == 0) {
        throw new IllegalArgumentException("the two inputs have lengths " + x1.length + " and " + x2.length);
      }
      if (!(memoryGiB > 0) || Double.isInfinite(memoryGiB)) {
        throw new IllegalArgumentException("memory budget must be finite and > 0 GiB, got " + memoryGiB);
      }
    }

    /** Tanh networks. */
    public Settings(double[] varW, double varB, int depth, int[] widths, int networks, float[] x1, float[] x2,
                    long seed, double memoryGiB, Method method) {
      this(varW, varB, depth, widths, networks, x1, x2, seed, memoryGiB, method, Activation.TANH);
    }
  }

  /**
   * How the M networks are sampled. {@code NETWORKS}: every weight of every network drawn ({@link Ensemble},
   * n^2 Gaussians per layer) and the two inputs pushed through with the backend's batched GEMM and fused
   * bias + activation. {@code PROJECTION}: only what the two inputs see of each fresh layer, exactly: with y_a the
   * previous layer's activations (the inputs x_a at layer 1) and the rows w_i of W^l independent
   * N(0, sigma_w^2 / n_{l-1} I), the pairs (w_i . y_1, w_i . y_2) are independent across i and bivariate
   * normal with covariance (sigma_w^2 / n_{l-1}) [y_1.y_1, y_1.y_2; y_1.y_2, y_2.y_2]; adding the shared
   * bias b_i gives z^l with exactly the networks' joint law of (z^1, ..., z^L) for the two inputs, at
   * 3n Gaussians per layer instead of n^2 (on the host, Philox key seed_k, streams 2l and 2l+1). The
   * networks are then different draws from the same distribution; a test checks the two agree.
   */
  public enum Method {
    NETWORKS, PROJECTION;

    /** "networks" or "projection". */
    public static Method parse(String s) {
      return switch (s) {
        case "networks" -> NETWORKS;
        case "projection" -> PROJECTION;
        default -> throw new IllegalArgumentException("method must be networks or projection, got '" + s + "'");
      };
    }
  }

  /** One (sigma_w^2, width, layer) row; layer 0 is the input. */
  public record LayerRow(double varW, int width, int layer, double q, double qSe, double qMeanField, double c,
                         double cSe, double cMeanField, double qVar) {}

  /** One (sigma_w^2, width) correlation-depth fit over layers [firstLayer, lastLayer]. */
  public record DepthFit(double varW, int width, double xiFit, double xiC, double cStar, int firstLayer,
                         int lastLayer) {}

  /** Everything measured. */
  public record Result(List<LayerRow> rows, List<DepthFit> fits) {}

  /** Runs every (sigma_w^2, width) cell; {@code progress} receives one line per cell. */
  public static Result run(Backend backend, Settings s, Consumer<String> progress) {
    List<LayerRow> rows = new ArrayList<>();
    List<DepthFit> fits = new ArrayList<>();
    int n0 = s.x1().length;
    double q10 = dot(s.x1(), s.x1()) / n0;
    double q20 = dot(s.x2(), s.x2()) / n0;
    double q120 = dot(s.x1(), s.x2()) / n0;
    if (!(q10 > 0) || !(q20 > 0)) {
      throw new IllegalArgumentException("an input is all zeros (its correlation is undefined)");
    }
    TwoInputMaps.Moments input = new TwoInputMaps.Moments(q10, q20, q120);
    for (double varW : s.varW()) {
      TwoInputMaps.Moments[] mf = TwoInputMaps.iterate(s.activation(), varW, s.varB(), input, s.depth());
      // no fixed point (the length map grows without bound): c* and xi_c NaN, so no fit; the rest as ever
      MeanFieldPoint point = MeanField.unbounded(s.activation(), varW, s.varB())
          ? MeanFieldPoint.unbounded(varW, s.varB()) : MeanField.of(s.activation(), varW, s.varB());
      for (int n : s.widths()) {
        long t0 = System.nanoTime();
        double[][][] qc = s.method() == Method.NETWORKS ? measure(backend, s, varW, n) : project(s, varW, n);
        int depth = s.depth();
        double[] c = new double[depth + 1];
        double[] cSe = new double[depth + 1];
        rows.add(new LayerRow(varW, n, 0, input.meanQ(), 0, input.meanQ(), input.c(), 0, input.c(), 0));
        c[0] = input.c();
        for (int l = 1; l <= depth; l++) {
          double[] q = stats(qc[0][l - 1]);
          double[] cc = stats(qc[1][l - 1]);
          c[l] = cc[0];
          cSe[l] = cc[1];
          rows.add(new LayerRow(varW, n, l, q[0], q[1], mf[l].meanQ(), cc[0], cc[1], mf[l].c(), q[2]));
        }
        int[] range = new int[2];
        double xi = fitDepth(c, cSe, point.cStar(), range);
        fits.add(new DepthFit(varW, n, xi, point.xiC(), point.cStar(), range[0], range[1]));
        progress.accept(String.format(java.util.Locale.ROOT,
            "sigma_w^2 = %s, width %d: %d networks, %.1f s", varW, n, s.networks(), (System.nanoTime() - t0) / 1e9));
      }
    }
    return new Result(rows, fits);
  }

  /**
   * [0][l-1][k] = q_k^l, [1][l-1][k] = c_k^l for layers l = 1..L and networks k, on the backend: the
   * models in chunks that fit the memory budget, each chunk's forward pass one batched GEMM and one fused
   * bias + activation per layer, with the two inputs as the rows.
   */
  static double[][][] measure(Backend backend, Settings s, double varW, int n) {
    int depth = s.depth();
    int n0 = s.x1().length;
    int[] widths = new int[depth + 1];
    java.util.Arrays.fill(widths, n);
    widths[0] = n0;
    NetworkSpec spec = NetworkSpec.of(widths, s.activation());
    int chunk = org.nnstm.run.RunMemory.modelsPerPass(spec, 2, s.memoryGiB(), s.networks());
    double[][][] out = new double[2][depth][s.networks()];
    float[] xs = new float[2 * n0];
    System.arraycopy(s.x1(), 0, xs, 0, n0);
    System.arraycopy(s.x2(), 0, xs, n0, n0);
    float[] host = new float[chunk * 2 * n];
    try (Tensor x = backend.upload(xs, 2, n0);
         Tensor z = backend.zeros(chunk, 2, n);
         Tensor y = backend.zeros(chunk, 2, n);
         Tensor yPrev = backend.zeros(chunk, 2, n)) {
      for (int from = 0; from < s.networks(); from += chunk) {
        int k = Math.min(chunk, s.networks() - from);
        List<ModelInit> inits = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          inits.add(new ModelInit(varW, s.varB(), s.seed() + from + i));
        }
        try (Ensemble net = new Ensemble(backend, spec, inits)) {
          Tensor prev = x;
          long prevStride = 0;
          for (int l = 0; l < depth; l++) {
            GaussianLinear layer = net.layer(l);
            int in = layer.in();
            backend.gemm(false, true, 2, n, in, 1f, prev, prevStride, layer.weight(), (long) n * in, 0f, z,
                2L * n, k);
            Tensor target = l % 2 == 0 ? y : yPrev;
            backend.biasActivationForward(spec.activation(l), k, 2, n, z, layer.bias(), target);
            backend.download(z, 0, host, 0, k * 2 * n);
            for (int i = 0; i < k; i++) {
              int o = i * 2 * n;
              double s11 = 0;
              double s22 = 0;
              double s12 = 0;
              for (int j = 0; j < n; j++) {
                double a = host[o + j];
                double b = host[o + n + j];
                s11 += a * a;
                s22 += b * b;
                s12 += a * b;
              }
              out[0][l][from + i] = (s11 + s22) / (2.0 * n);
              out[1][l][from + i] = s12 / Math.sqrt(s11 * s22);
            }
            prev = target;
            prevStride = 2L * n;
          }
        }
      }
    }
    return out;
  }

  /** As {@link #measure} by the exact projection sampler ({@link Method#PROJECTION}), in double precision. */
  static double[][][] project(Settings s, double varW, int n) {
    int depth = s.depth();
    double[][][] out = new double[2][depth][s.networks()];
    double[] g1 = new double[n];
    double[] g2 = new double[n];
    double sb = Math.sqrt(s.varB());
    Activation phi = s.activation();
    for (int k = 0; k < s.networks(); k++) {
      long key = s.seed() + k;
      double[] y1 = new double[s.x1().length];
      double[] y2 = new double[s.x2().length];
      for (int i = 0; i < y1.length; i++) {
        y1[i] = s.x1()[i];
        y2[i] = s.x2()[i];
      }
      for (int l = 0; l < depth; l++) {
        int in = y1.length;
        double a11 = 0;
        double a22 = 0;
        double a12 = 0;
        for (int i = 0; i < in; i++) {
          a11 += y1[i] * y1[i];
          a22 += y2[i] * y2[i];
          a12 += y1[i] * y2[i];
        }
        double scale = varW / in;
        // Cholesky of scale * [a11 a12; a12 a22]: g1 = l11 u, g2 = l21 u + l22 v
        double l11 = Math.sqrt(scale * a11);
        double l21 = l11 > 0 ? scale * a12 / l11 : 0;
        double l22 = Math.sqrt(Math.max(0, scale * a22 - l21 * l21));
        double s11 = 0;
        double s22 = 0;
        double s12 = 0;
        for (int i = 0; i < n; i++) {
          double u = org.nnstm.tensor.Philox.gaussian(key, 2L * l, 2L * i);
          double v = org.nnstm.tensor.Philox.gaussian(key, 2L * l, 2L * i + 1);
          double b = sb * org.nnstm.tensor.Philox.gaussian(key, 2L * l + 1, i);
          double z1 = l11 * u + b;
          double z2 = l21 * u + l22 * v + b;
          s11 += z1 * z1;
          s22 += z2 * z2;
          s12 += z1 * z2;
          g1[i] = phi.value(z1);
          g2[i] = phi.value(z2);
        }
        out[0][l][k] = (s11 + s22) / (2.0 * n);
        out[1][l][k] = s12 / Math.sqrt(s11 * s22);
        y1 = g1.clone();
        y2 = g2.clone();
      }
    }
    return out;
  }

  /** {mean, standard error of the mean, sample variance (ddof 1)}. */
  static double[] stats(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x;
    }
    m /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    double var = ss / (v.length - 1);
    return new double[] {m, Math.sqrt(var / v.length), var};
  }

  /**
   * The fitted correlation depth (see the class comment): c[l], cSe[l] for l = 0..L, layers 1.. used;
   * range receives the first and last layer used.
   */
  static double fitDepth(double[] c, double[] cSe, double cStar, int[] range) {
    int last = 0;
    for (int l = 1; l < c.length; l++) {
      double d = Math.abs(c[l] - cStar);
      if (!(d > Math.max(3 * cSe[l], 1e-6))) {
        break;
      }
      last = l;
    }
    range[0] = 1;
    range[1] = last;
    if (last < 3) {
      return Double.NaN;
    }
    int m = last;
    double sx = 0;
    double sy = 0;
    for (int l = 1; l <= last; l++) {
      sx += l;
      sy += Math.log(Math.abs(c[l] - cStar));
    }
    double mx = sx / m;
    double my = sy / m;
    double sxy = 0;
    double sxx = 0;
    for (int l = 1; l <= last; l++) {
      sxy += (l - mx) * (Math.log(Math.abs(c[l] - cStar)) - my);
      sxx += (l - mx) * (l - mx);
    }
    double slope = sxy / sxx;
    return -1 / slope;
  }

  /** Least-squares slope of ln y against ln x (the log-log slope). */
  public static double logLogSlope(double[] x, double[] y) {
    int m = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < m; i++) {
      mx += Math.log(x[i]) / m;
      my += Math.log(y[i]) / m;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < m; i++) {
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxy / sxx;
  }

  /** Across-network variance of the last layer's q and its mean-field deviation, per (sigma_w^2, width). */
  public record WidthRow(double varW, int width, double qVarLast, double qDevLast, double qDevSe) {}

  /** One WidthRow per (sigma_w^2, width), from the last layer's rows. */
  public static List<WidthRow> widthRows(Result r, int depth) {
    List<WidthRow> out = new ArrayList<>();
    for (LayerRow row : r.rows()) {
      if (row.layer() == depth) {
        out.add(new WidthRow(row.varW(), row.width(), row.qVar(), row.q() - row.qMeanField(), row.qSe()));
      }
    }
    return out;
  }

  /** Log-log slope of the last layer's q_var against width, per sigma_w^2 (NaN with fewer than 2 widths). */
  public static double[] varianceSlopes(Settings s, Result r) {
    List<WidthRow> w = widthRows(r, s.depth());
    double[] slopes = new double[s.varW().length];
    for (int i = 0; i < slopes.length; i++) {
      int nw = s.widths().length;
      double[] x = new double[nw];
      double[] y = new double[nw];
      for (int j = 0; j < nw; j++) {
        WidthRow row = w.get(i * nw + j);
        x[j] = row.width();
        y[j] = row.qVarLast();
      }
      slopes[i] = nw < 2 ? Double.NaN : logLogSlope(x, y);
    }
    return slopes;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
