package org.nnstm.tensor;

import java.util.Locale;

/**
 * An elementwise activation phi, the one type every layer uses: the backends' fused kernels implement it
 * (by constant), the trainer differentiates it and the mean-field theory ({@code org.nnstm.meanfield})
 * takes its Gaussian expectations through {@link #value}, {@link #first} and {@link #second}.
 */
public enum Activation {
  /** phi(z) = tanh(z), phi'(z) = 1 - phi(z)^2, phi''(z) = -2 tanh(z) (1 - tanh(z)^2). */
  TANH {
    @Override
    public double value(double z) {
      return Math.tanh(z);
    }

    @Override
    public double first(double z) {
      double t = Math.tanh(z);
      return 1 - t * t;
    }

    @Override
    public double second(double z) {
      double t = Math.tanh(z);
      return -2 * t * (1 - t * t);
    }
  },
  /** phi(z) = z, phi'(z) = 1 (a linear network). */
  IDENTITY {
    @Override
    public double value(double z) {
      return z;
    }

    @Override
    public double first(double z) {
      return 1;
    }

    @Override
    public double second(double z) {
      return 0;
    }
  };

  /** phi(z) in double precision (the reference the kernels are tested against). */
  public abstract double value(double z);

  /** phi'(z). */
  public abstract double first(double z);

  /** phi''(z). */
  public abstract double second(double z);

  /** The lower-case name used on the command line and in output files, e.g. {@code tanh}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By name, case-insensitive: the {@link #label()} of a constant, or {@code linear} for {@link #IDENTITY}. */
  public static Activation named(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("linear")) {
      return IDENTITY;
    }
    for (Activation a : values()) {
      if (a.label().equals(n)) {
        return a;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Activation a : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(a.label());
    }
    throw new IllegalArgumentException("unknown activation '" + name + "': use one of " + known);
  }
}
