package org.nnstm.meanfield;

/** An activation phi with its first two derivatives, as the mean-field maps need them. */
public interface MeanFieldActivation {
  String name();

  double value(double z);

  double first(double z);

  double second(double z);

  /** phi = tanh: phi' = 1 - tanh^2, phi'' = -2 tanh (1 - tanh^2). */
  MeanFieldActivation TANH = new MeanFieldActivation() {
    @Override
    public String name() {
      return "tanh";
    }

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
  };

  /** phi(z) = z. */
  MeanFieldActivation LINEAR = new MeanFieldActivation() {
    @Override
    public String name() {
      return "linear";
    }

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

  /** By name: tanh or linear. */
  static MeanFieldActivation named(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "tanh": return TANH;
      case "linear": return LINEAR;
      default: throw new IllegalArgumentException("unknown activation '" + name + "': use tanh or linear");
    }
  }
}
