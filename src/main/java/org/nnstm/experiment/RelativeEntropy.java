package org.nnstm.experiment;

import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Relative entropy across depth (Erdmenger, Grosvenor and Jefferson 2022, "Towards quantifying
 * information flows: relative entropy in deep neural networks and the renormalization group", and the
 * reference Relative_Entropy notebook): the KL divergence D(p^0 || q^m) between the Gaussian p^0 fitted
 * to the reference layer's pre-activations z^0 and the Gaussian q^m fitted to layer m's, with the
 * cross term evaluated by propagating Monte Carlo samples of z^0 through the stored weights.
 *
 * <p>With n_m the width of layer m, mu_m and sigma_m^2 the mean and variance of layer m's recorded
 * pre-activations (pooled over its neurons, for one input: the large-width, factorised Gaussian),
 * <pre>
 *   D_m = -(n_0/2) ln(2 pi e sigma_0^2) + (n_m/2) ln(2 pi sigma_m^2) + Q_m / (2 sigma_0^2),
 *   Q_m = E_s || W_m tanh(z^{m-1}_s) + b_m - mu_m ||^2,   D_0 = 0,
 * </pre>
 * where z^0_s ~ N(mu_0, sigma_0^2) independently per neuron (s = 1..M Monte Carlo samples) and
 * z^m_s = W_m tanh(z^{m-1}_s) + b_m. The prefactor 1/(2 sigma_0^2) of Q_m follows the reference notebook.
 * Layers are taken in their numeric order (in-0, in-1, ..., in-10), where the notebook's sort by width
 * keeps h5py's alphabetical key order (in-0, in-1, in-10, ...) for equal widths.
 */
public final class RelativeEntropy {
  private RelativeEntropy() {}

  /**
   * D_m for m = 0..L-1.
   *
   * @param preacts preacts[m] is one input's pre-activation vector at layer m (length n_m)
   * @param weights weights[m] is W_m, n_m x n_{m-1} row-major (weights[0] is not used)
   * @param biases biases[m] is b_m (length n_m)
   * @param samples Monte Carlo samples M
   */
  public static double[] klAcrossDepth(Backend backend, float[][] preacts, float[][] weights, float[][] biases,
                                       int samples, long seed) {
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
      if (!(var[m] > 0)) {
        throw new IllegalArgumentException("KL: layer " + m + " pre-activations have zero variance");
      }
      if (m > 0 && (weights[m].length != preacts[m].length * preacts[m - 1].length
          || biases[m].length != preacts[m].length)) {
        throw new IllegalArgumentException("KL: W" + m + " has " + weights[m].length + " entries, B" + m + " "
            + biases[m].length + ", for widths " + preacts[m - 1].length + " -> " + preacts[m].length);
      }
    }
    int n0 = preacts[0].length;
    double entropy0 = 0.5 * n0 * Math.log(2 * Math.PI * Math.E * var[0]);
    double[] kl = new double[depth];
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
        double q = 0;
        for (int i = 0; i < samples * out; i++) {
          double d = host[i] - mean[m];
          q += d * d;
        }
        q /= samples;
        kl[m] = -entropy0 + 0.5 * out * Math.log(2 * Math.PI * var[m]) + q / (2 * var[0]);
      }
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
