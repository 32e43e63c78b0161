package org.nnstm.nn;

/**
 * Initial-condition hyperparameters of one model: W_l entries N(0, varW / n_l) (n_l the fan-in), biases
 * N(0, varB), drawn from Philox with key {@code seed} (stream 2l for W_l, 2l+1 for b_l), so the same
 * seed gives the same weights on every backend and in every ensemble arrangement.
 */
public record ModelInit(double varW, double varB, long seed) {
  public ModelInit {
    if (!(varW > 0) || Double.isInfinite(varW)) {
      throw new IllegalArgumentException("weight variance sigma_w^2 must be finite and > 0, got " + varW);
    }
    if (!(varB >= 0) || Double.isInfinite(varB)) {
      throw new IllegalArgumentException("bias variance sigma_b^2 must be finite and >= 0, got " + varB);
    }
  }
}
