package org.nnstm.tensor;

/** Elementwise activations phi that the backends implement in their fused ops. */
public enum Activation {
  /** phi(z) = tanh(z), phi'(z) = 1 - phi(z)^2. */
  TANH,
  /** phi(z) = z, phi'(z) = 1. */
  IDENTITY
}
