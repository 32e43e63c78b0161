package org.nnstm.nn;

import java.util.Arrays;
import org.nnstm.tensor.Activation;

/**
 * The architecture shared by every model of an ensemble: widths n_0 (input) .. n_L (output), so L
 * linear layers, with phi = {@code hidden} after layers 1..L-1 and {@code output} after layer L, each any
 * {@link Activation}. The reference "Gaussian feedforward" networks use tanh everywhere, the last layer
 * included ({@link #tanh}); {@link #of} does the same with another activation. With
 * {@code biases == false} every layer is h -&gt; W h (the deep linear Bayesian networks of the prior
 * module): the biases stay exactly zero, whatever sigma_b^2 says, and are never trained.
 */
public record NetworkSpec(int[] widths, Activation hidden, Activation output, boolean biases) {

  /** A network with biases. */
  public NetworkSpec(int[] widths, Activation hidden, Activation output) {
    this(widths, hidden, output, true);
  }

  public NetworkSpec {
    if (widths == null || hidden == null || output == null) {
      throw new IllegalArgumentException("a network needs widths and a hidden and an output activation, got widths "
          + Arrays.toString(widths) + ", hidden " + hidden + ", output " + output);
    }
    widths = widths.clone();
    if (widths.length < 2) {
      throw new IllegalArgumentException("a network needs at least 2 widths (input and output), got "
          + Arrays.toString(widths));
    }
    for (int w : widths) {
      if (w < 1) {
        throw new IllegalArgumentException("widths must be >= 1, got " + Arrays.toString(widths));
      }
    }
  }

  /** Tanh after every layer, as the reference. */
  public static NetworkSpec tanh(int... widths) {
    return new NetworkSpec(widths, Activation.TANH, Activation.TANH);
  }

  /**
   * phi after every layer, the last included, with biases: the reference architecture with another
   * activation ({@code of(widths, Activation.TANH)} equals {@link #tanh}).
   */
  public static NetworkSpec of(int[] widths, Activation phi) {
    return new NetworkSpec(widths, phi, phi);
  }

  /** Deep linear network without biases: h_l = W_l h_{l-1}, identity everywhere. */
  public static NetworkSpec linear(int... widths) {
    return new NetworkSpec(widths, Activation.IDENTITY, Activation.IDENTITY, false);
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  /** Number of linear layers L. */
  public int depth() {
    return widths.length - 1;
  }

  /** n_l, for l in [0, L]. */
  public int width(int l) {
    return widths[l];
  }

  /** Activation after layer l (0-based, l in [0, L)). */
  public Activation activation(int layer) {
    return layer == depth() - 1 ? output : hidden;
  }

  /** Largest width. */
  public int maxWidth() {
    return Arrays.stream(widths).max().orElseThrow();
  }

  /** Parameters of one model: sum_l n_l n_{l+1} (+ n_{l+1} with biases). */
  public long parameterCount() {
    long p = 0;
    for (int l = 0; l < depth(); l++) {
      p += (long) widths[l] * widths[l + 1] + (biases ? widths[l + 1] : 0);
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec s && Arrays.equals(widths, s.widths) && hidden == s.hidden && output == s.output
        && biases == s.biases;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(widths) * 31 + hidden.hashCode() * 7 + output.hashCode() * 3
        + (biases ? 1 : 0);
  }

  @Override
  public String toString() {
    return "NetworkSpec" + Arrays.toString(widths) + " " + hidden + "/" + output + (biases ? "" : " no biases");
  }
}
