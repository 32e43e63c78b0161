package org.nnstm.nn;

import java.util.Arrays;

/**
 * Initial-condition hyperparameters of one model: W_l entries N(0, sigma_l^2 / n_l) (n_l the fan-in),
 * biases N(0, varB), drawn from Philox with key {@code seed} (stream 2l for W_l, 2l+1 for b_l), so the
 * same seed gives the same weights on every backend and in every ensemble arrangement.
 *
 * <p>sigma_l^2 is {@code varW} for every layer unless {@code layerVarW} is given (one value per layer,
 * as the prior module's per-layer variances); then {@code varW} is its first entry.
 */
public record ModelInit(double varW, double varB, long seed, double[] layerVarW) {
  public ModelInit {
    if (layerVarW != null) {
      layerVarW = layerVarW.clone();
      if (layerVarW.length == 0) {
        throw new IllegalArgumentException("per-layer weight variances: need at least one value");
      }
      for (double v : layerVarW) {
        checkVarW(v);
      }
      varW = layerVarW[0];
    }
    checkVarW(varW);
    if (!(varB >= 0) || Double.isInfinite(varB)) {
      throw new IllegalArgumentException("bias variance sigma_b^2 must be finite and >= 0, got " + varB);
    }
  }

  /** The same sigma_w^2 for every layer. */
  public ModelInit(double varW, double varB, long seed) {
    this(varW, varB, seed, null);
  }

  /** Per-layer sigma_l^2 (layer 0 first), no biases' variance, for deep linear networks. */
  public static ModelInit perLayer(double[] layerVarW, long seed) {
    return new ModelInit(Double.NaN, 0.0, seed, layerVarW);
  }

  /** One model per (sigma_w^2, seed) pair, sigma_w^2 varying slowest: seeds firstSeed, firstSeed + 1, ... */
  public static java.util.List<ModelInit> grid(double[] varW, double varB, long firstSeed, int seeds) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
    }
    ModelInit[] m = new ModelInit[varW.length * seeds];
    for (int i = 0; i < varW.length; i++) {
      for (int s = 0; s < seeds; s++) {
        m[i * seeds + s] = new ModelInit(varW[i], varB, firstSeed + s);
      }
    }
    return java.util.List.of(m);
  }

  private static void checkVarW(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("weight variance sigma_w^2 must be finite and > 0, got " + v);
    }
  }

  /** sigma_l^2 of layer l (0-based); with per-layer values, l must be below their count. */
  public double varW(int layer) {
    if (layerVarW == null) {
      return varW;
    }
    if (layer < 0 || layer >= layerVarW.length) {
      throw new IllegalArgumentException("layer " + layer + " has no weight variance: "
          + layerVarW.length + " given " + Arrays.toString(layerVarW));
    }
    return layerVarW[layer];
  }

  @Override
  public double[] layerVarW() {
    return layerVarW == null ? null : layerVarW.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelInit m && Double.compare(varW, m.varW) == 0 && Double.compare(varB, m.varB) == 0
        && seed == m.seed && Arrays.equals(layerVarW, m.layerVarW);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(varW) * 31 + Double.hashCode(varB) * 17 + Long.hashCode(seed) * 7
        + Arrays.hashCode(layerVarW);
  }

  @Override
  public String toString() {
    return "ModelInit[varW=" + (layerVarW == null ? varW : Arrays.toString(layerVarW)) + ", varB=" + varB
        + ", seed=" + seed + "]";
  }
}
