package org.nnstm.experiment;

import java.util.Locale;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Relative entropy across depth (Erdmenger, Grosvenor and Jefferson 2022, "Towards quantifying
 * information flows: relative entropy in deep neural networks and the renormalization group", and the
 * reference Relative_Entropy notebook of ro-jefferson/entropy_dnn), in three forms.
 *
 * <p>Inputs: for each layer m = 0..L-1 one input's recorded pre-activation vector z^m (length n_m; the
 * callers use the LAST row of each {@code in-m} hooks dataset, as the notebook's {@code extract_preacts}
 * does), and the stored weights W_m (n_m x n_{m-1}) and biases b_m. mu_m, sigma_m^2 are the mean and
 * population variance of z^m pooled over its neurons (numpy's {@code mean}, {@code std**2}).
 *
 * <p>Monte Carlo: z^0_s ~ N(mu_0, sigma_0^2) independently per neuron, s = 1..M, and
 * z^m_s = W_m tanh(z^{m-1}_s) + b_m (the reference layer pushed through the stored network). With
 * X^m_s = ||z^m_s - mu_m||^2 and Q_m = (1/M) sum_s X^m_s (nats throughout; D_0 = 0 in every form):
 * <pre>
 *   current: D_m = -(n_0/2) ln(2 pi e sigma_0^2) + (n_m/2) ln(2 pi sigma_m^2) + Q_m / (2 sigma_m^2)
 *   2021:    D_m = -(n_0/2) ln(2 pi e sigma_0^2) + (n_m/2) ln(2 pi sigma_m^2) + Q_m / (2 sigma_0^2)
 *   kl:      D_m = KL( N(a^m, diag s^m^2) || N(mu_m 1, sigma_m^2 I) )
 *              = sum_i (1/2) [ (s_i^2 + (a_i - mu_m)^2) / sigma_m^2 - 1 - ln(s_i^2 / sigma_m^2) ]
 * </pre>
 * {@code current} is the notebook's formula since its commit of 2021-12-03 ("Fixed accidental use of
 * reference rather than target layer variance"); {@code 2021} is the formula before that commit. Neither
 * is a divergence: both can be negative. {@code kl} is the closed-form KL divergence (>= 0, 0 only when
 * the two Gaussians coincide) from the diagonal Gaussian fitted by moments to the propagated samples
 * (a_i, s_i^2: mean and population variance over s of z^m_{s,i}) to the isotropic Gaussian fitted to the
 * recorded layer. Since sum_i (s_i^2 + (a_i - mu_m)^2) = Q_m, it equals the {@code current} form with the
 * reference entropy (n_0/2) ln(2 pi e sigma_0^2) replaced by the entropy of the propagated layer's fitted
 * Gaussian, sum_i (1/2) ln(2 pi e s_i^2).
 *
 * <p>Standard error (over the M independent Monte Carlo samples, by the delta method): with a per-sample
 * influence psi_s of the estimate, SE = std_s(psi_s) / sqrt(M). For {@code current} and {@code 2021},
 * psi_s = X^m_s / (2 sigma^2) (sigma^2 the divisor of the form); for {@code kl},
 * psi_s = sum_i [ (a_i / s_i^2 - mu_m / sigma_m^2) z^m_{s,i} + (1/sigma_m^2 - 1/s_i^2) (z^m_{s,i})^2 / 2 ].
 * The SE does not include the bias of the kl form's ln s_i^2 at finite M (about n_m / (2M)).
 */
public final class RelativeEntropy {
  private RelativeEntropy() {}

  /** The three formulas (see the class comment). */
  public enum Form {
    CURRENT("current"), Y2021("2021"), KL("kl");

    private final String label;

    Form(String label) {
      this.label = label;
    }

    /** "current", "2021" or "kl": the name on the command line and in file names. */
    public String label() {
      return label;
    }

    /** The form named {@code label}. */
    public static Form parse(String label) {
      for (Form f : values()) {
        if (f.label.equals(label.toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new IllegalArgumentException("relative entropy form must be current, 2021 or kl, got '" + label + "'");
    }
  }

  /** D_m and its Monte Carlo standard error, m = 0..L-1 (index 0: 0 and 0). */
  public record Result(Form form, double[] value, double[] standardError) {}

  /**
   * D_m for m = 0..L-1 in the given form.
   *
   * @param preacts preacts[m] is one input's pre-activation vector at layer m (length n_m)
   * @param weights weights[m] is W_m, n_m x n_{m-1} row-major (weights[0] is not used)
   * @param biases biases[m] is b_m (length n_m)
   * @param samples Monte Carlo samples M >= 2
   * @param seed Philox key of the z^0 samples (stream 0)
   */
  public static Result acrossDepth(Backend backend, Form form, float[][] preacts, float[][] weights,
                                   float[][] biases, int samples, long seed) {
    int depth = preacts.length;
    if (weights.length != depth || biases.length != depth) {
      throw new IllegalArgumentException("KL: " + depth + " pre-activation layers but " + weights.length
          + " weight matrices and " + biases.length + " bias vectors");
    }
    if (samples < 2) {
      throw new IllegalArgumentException("KL: need at least 2 Monte Carlo samples, got " + samples);
    }
    double[] mean = new double[depth];
    double[] var = new double[depth];
    for (int m = 0; m < depth; m++) {
      double[] mv = meanVariance(preacts[m]);
      mean[m] = mv[0];
      var[m] = mv[1];
      if (!(var[m] > 0) || !Double.isFinite(var[m]) || !Double.isFinite(mean[m])) {
        throw new IllegalArgumentException("KL: layer " + m + " pre-activations have variance " + var[m]
            + " (need finite and > 0)");
      }
      if (m > 0 && (weights[m].length != preacts[m].length * preacts[m - 1].length
          || biases[m].length != preacts[m].length)) {
        throw new IllegalArgumentException("KL: W" + m + " has " + weights[m].length + " entries, B" + m + " "
            + biases[m].length + ", for widths " + preacts[m - 1].length + " -> " + preacts[m].length);
      }
    }
    int n0 = preacts[0].length;
    double entropy0 = 0.5 * n0 * Math.log(2 * Math.PI * Math.E * var[0]);
    double[] value = new double[depth];
    double[] se = new double[depth];
    int maxWidth = 0;
    for (float[] p : preacts) {
      maxWidth = Math.max(maxWidth, p.length);
    }
    try (Tensor z = backend.zeros(samples, maxWidth);
         Tensor y = backend.zeros(samples, maxWidth);
         Tensor shift = backend.zeros(maxWidth)) {
      // z^0 ~ N(mu_0, sigma_0^2): y = tanh(sigma_0 N + mu_0)
      backend.fillGaussian(z, 0, (long) samples * n0, (float) Math.sqrt(var[0]), seed, 0);
      backend.fill(shift, 0, n0, (float) mean[0]);
      backend.biasActivationForward(Activation.TANH, 1, samples, n0, z, shift, y);
      float[] host = new float[samples * maxWidth];
      for (int m = 1; m < depth; m++) {
        int in = preacts[m - 1].length;
        int out = preacts[m].length;
        try (Tensor w = backend.upload(weights[m], out, in); Tensor b = backend.upload(biases[m], out)) {
          backend.gemm(false, true, samples, out, in, 1f, y, 0, w, 0, 0f, z, 0, 1);
          backend.biasActivationForward(Activation.TANH, 1, samples, out, z, b, y);
        }
        backend.download(z, 0, host, 0, samples * out);
        double[] r = layerTerm(form, host, samples, out, mean[m], var[m], var[0]);
        value[m] = form == Form.KL ? r[0] : -entropy0 + 0.5 * out * Math.log(2 * Math.PI * var[m]) + r[0];
        se[m] = r[1];
        if (!Double.isFinite(value[m])) {
          throw new IllegalArgumentException("KL: layer " + m + " gives " + value[m]
              + " (propagated samples overflow or collapse to a point)");
        }
      }
    }
    return new Result(form, value, se);
  }

  /**
   * The sample-dependent part of D_m and its standard error from the propagated samples z (M x n,
   * row-major): Q / (2 sigma^2) for current/2021 (sigma^2 = varM resp. var0), the whole KL for kl.
   */
  static double[] layerTerm(Form form, float[] z, int samples, int n, double mu, double varM, double var0) {
    if (form != Form.KL) {
      double div = 2 * (form == Form.CURRENT ? varM : var0);
      double sum = 0;
      double sum2 = 0;
      for (int s = 0; s < samples; s++) {
        double x = 0;
        for (int i = 0; i < n; i++) {
          double d = z[s * n + i] - mu;
          x += d * d;
        }
        x /= div;
        sum += x;
        sum2 += x * x;
      }
      double avg = sum / samples;
      double v = Math.max(0, sum2 / samples - avg * avg) * samples / (samples - 1);
      return new double[] {avg, Math.sqrt(v / samples)};
    }
    double[] a = new double[n];
    double[] s2 = new double[n];
    for (int s = 0; s < samples; s++) {
      for (int i = 0; i < n; i++) {
        a[i] += z[s * n + i];
      }
    }
    for (int i = 0; i < n; i++) {
      a[i] /= samples;
    }
    for (int s = 0; s < samples; s++) {
      for (int i = 0; i < n; i++) {
        double d = z[s * n + i] - a[i];
        s2[i] += d * d;
      }
    }
    for (int i = 0; i < n; i++) {
      s2[i] /= samples;
    }
    double kl = diagonalGaussianKl(a, s2, mu, varM);
    double[] ga = new double[n];
    double[] gb = new double[n];
    for (int i = 0; i < n; i++) {
      ga[i] = a[i] / s2[i] - mu / varM;
      gb[i] = 0.5 * (1 / varM - 1 / s2[i]);
    }
    double sum = 0;
    double sum2 = 0;
    for (int s = 0; s < samples; s++) {
      double psi = 0;
      for (int i = 0; i < n; i++) {
        double x = z[s * n + i];
        psi += ga[i] * x + gb[i] * x * x;
      }
      sum += psi;
      sum2 += psi * psi;
    }
    double avg = sum / samples;
    double v = Math.max(0, sum2 / samples - avg * avg) * samples / (samples - 1);
    return new double[] {kl, Math.sqrt(v / samples)};
  }

  /**
   * KL( N(a, diag(s2)) || N(mu 1, sigma2 I) ) = sum_i (1/2) [ (s2_i + (a_i - mu)^2) / sigma2 - 1
   * - ln(s2_i / sigma2) ] in nats; >= 0. Infinite when some s2_i is 0.
   */
  public static double diagonalGaussianKl(double[] a, double[] s2, double mu, double sigma2) {
    if (a.length != s2.length || !(sigma2 > 0)) {
      throw new IllegalArgumentException("diagonalGaussianKl: " + a.length + " means, " + s2.length
          + " variances, sigma^2 = " + sigma2);
    }
    double kl = 0;
    for (int i = 0; i < a.length; i++) {
      double r = s2[i] / sigma2;
      double d = a[i] - mu;
      // r - 1 - ln r >= 0 and the mean term >= 0, each summed separately (no cancellation between them)
      kl += 0.5 * ((r - 1 - Math.log(r)) + d * d / sigma2);
    }
    return kl;
  }

  /** Mean and (population) variance of the values, as numpy's mean and std^2. */
  static double[] meanVariance(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    double mu = s / v.length;
    double ss = 0;
    for (float x : v) {
      ss += (x - mu) * (x - mu);
    }
    return new double[] {mu, ss / v.length};
  }
}
