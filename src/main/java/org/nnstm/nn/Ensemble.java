package org.nnstm.nn;

import java.util.ArrayList;
import java.util.List;
import org.nnstm.tensor.Backend;

/**
 * K independent networks of one architecture, trained together: layer l of every model lives in one
 * stacked {@link GaussianLinear}, so each op runs once for the whole ensemble (batched GEMM).
 * Training one model is K = 1.
 */
public final class Ensemble implements AutoCloseable {
  private final Backend backend;
  private final NetworkSpec spec;
  private final List<ModelInit> models;
  private final List<GaussianLinear> layers = new ArrayList<>();

  /** Allocates and initialises the K = models.size() networks on the backend. */
  public Ensemble(Backend backend, NetworkSpec spec, List<ModelInit> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one model");
    }
    this.backend = backend;
    this.spec = spec;
    this.models = List.copyOf(models);
    try {
      for (int l = 0; l < spec.depth(); l++) {
        layers.add(new GaussianLinear(backend, l, spec.width(l), spec.width(l + 1), models.size()));
      }
      reinitialize();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Draws every parameter afresh from the models' seeds and zeroes the momentum. */
  public void reinitialize() {
    for (GaussianLinear layer : layers) {
      layer.initialize(backend, models, spec.biases());
    }
  }

  public Backend backend() {
    return backend;
  }

  public NetworkSpec spec() {
    return spec;
  }

  /** Number of models K. */
  public int size() {
    return models.size();
  }

  public List<ModelInit> models() {
    return models;
  }

  /** Layer l (0-based). */
  public GaussianLinear layer(int l) {
    return layers.get(l);
  }

  /** Model k's weights of layer l, shape (out, in) row-major, copied to the host. */
  public float[] weights(int k, int l) {
    GaussianLinear layer = layers.get(l);
    int n = layer.out() * layer.in();
    float[] w = new float[n];
    backend.download(layer.weight, (long) k * n, w, 0, n);
    return w;
  }

  /** Model k's biases of layer l, length out, copied to the host. */
  public float[] biases(int k, int l) {
    GaussianLinear layer = layers.get(l);
    float[] b = new float[layer.out()];
    backend.download(layer.bias, (long) k * layer.out(), b, 0, layer.out());
    return b;
  }

  @Override
  public void close() {
    for (GaussianLinear layer : layers) {
      layer.close();
    }
    layers.clear();
  }
}
