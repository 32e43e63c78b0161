package org.nnstm.nn;

import java.util.List;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * One linear layer h -> W h + b of K stacked independent models, with Gaussian initialisation
 * W ~ N(0, sigma_w^2 / fan_in), b ~ N(0, sigma_b^2) (Poole et al. 2016; Schoenholz et al. 2017).
 * Holds the parameters and their SGD-momentum velocities on the backend:
 * weight (K, out, in), bias (K, out), and velocities of the same shapes.
 */
public final class GaussianLinear implements AutoCloseable {
  private final int index;
  private final int in;
  private final int out;
  private final int models;
  final Tensor weight;
  final Tensor bias;
  final Tensor weightVelocity;
  final Tensor biasVelocity;

  GaussianLinear(Backend backend, int index, int in, int out, int models) {
    this.index = index;
    this.in = in;
    this.out = out;
    this.models = models;
    Tensor w = null;
    Tensor b = null;
    Tensor vw = null;
    try {
      w = backend.zeros(models, out, in);
      b = backend.zeros(models, out);
      vw = backend.zeros(models, out, in);
      this.biasVelocity = backend.zeros(models, out);
    } catch (RuntimeException e) {
      closeAll(w, b, vw);
      throw e;
    }
    this.weight = w;
    this.bias = b;
    this.weightVelocity = vw;
  }

  /**
   * Draws model k's parameters: W_k[i, j] = sqrt(sigma_l^2 / in) * N_{i*in + j} of Philox stream 2*index,
   * b_k[i] = sqrt(varB) * N_i of stream 2*index + 1 (or 0 without biases), both under key seed_k;
   * zeroes the velocities.
   * Modifies weight, bias and both velocities.
   */
  void initialize(Backend backend, List<ModelInit> inits, boolean withBiases) {
    long wSize = (long) out * in;
    for (int k = 0; k < models; k++) {
      ModelInit m = inits.get(k);
      backend.fillGaussian(weight, k * wSize, wSize, (float) Math.sqrt(m.varW(index) / in), m.seed(), 2L * index);
      if (withBiases) {
        backend.fillGaussian(bias, (long) k * out, out, (float) Math.sqrt(m.varB()), m.seed(), 2L * index + 1);
      }
    }
    if (!withBiases) {
      backend.fill(bias, 0, bias.size(), 0f);
    }
    backend.fill(weightVelocity, 0, weightVelocity.size(), 0f);
    backend.fill(biasVelocity, 0, biasVelocity.size(), 0f);
  }

  /** Layer index l (0-based). */
  public int index() {
    return index;
  }

  /** Fan-in n_l. */
  public int in() {
    return in;
  }

  /** Fan-out n_{l+1}. */
  public int out() {
    return out;
  }

  /** Weights of all models, shape (K, out, in); owned by this layer. */
  public Tensor weight() {
    return weight;
  }

  /** Biases of all models, shape (K, out); owned by this layer. */
  public Tensor bias() {
    return bias;
  }

  @Override
  public void close() {
    closeAll(weight, bias, weightVelocity, biasVelocity);
  }

  static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + r + " failed", e);
        }
      }
    }
  }
}
