package org.nnstm.nn;

import org.nnstm.tensor.Philox;

/**
 * Initialisations other than the Gaussian one every {@link Ensemble} starts with, applied to an existing
 * ensemble (host-generated from {@link Philox}, then uploaded, so every backend gets the same weights).
 */
public final class Initializers {
  private Initializers() {}

  /**
   * Keras' {@code glorot_uniform}: W_l entries uniform in [-a, a], a = sqrt(6 / (fan_in + fan_out)), from
   * Philox stream 2l under each model's seed (uniform words, see {@link Philox#fillUniform}). Modifies the
   * weights of every layer and model; biases are left alone.
   */
  public static void glorotUniform(Ensemble net) {
    for (int l = 0; l < net.spec().depth(); l++) {
      GaussianLinear layer = net.layer(l);
      int n = layer.in() * layer.out();
      double a = Math.sqrt(6.0 / (layer.in() + layer.out()));
      float[] w = new float[n];
      for (int k = 0; k < net.size(); k++) {
        Philox.fillUniform(w, 0, n, -a, a, net.models().get(k).seed(), 2L * l, 0);
        net.backend().upload(w, 0, layer.weight, (long) k * n, n);
      }
    }
  }

  /** Sets the weights of layer l of every model to zero (e.g. a readout that starts silent). */
  public static void zeroLayer(Ensemble net, int l) {
    GaussianLinear layer = net.layer(l);
    net.backend().fill(layer.weight, 0, layer.weight.size(), 0f);
  }
}
