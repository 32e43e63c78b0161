package org.nnstm.tensor;

import java.util.Locale;

/**
 * An elementwise activation phi, the one type every layer uses: the backends' fused kernels implement it
 * by its {@link #kernelCode()}, the trainer differentiates it and the mean-field theory
 * ({@code org.nnstm.meanfield}) takes its Gaussian expectations by quadrature of {@link #value},
 * {@link #first} and {@link #second}, told only the shape facts of its {@link #shape()}.
 *
 * <p>Adding an activation touches four files: this one (the double-precision math, a new kernel code and the
 * four shape facts), {@code backend/cpu/CpuActivation.java} (the CPU float forward and backward loops),
 * {@code cuda/activation.cu} (one case in each device function; then rerun {@code tools/build-ptx}, which
 * regenerates {@code activation.ptx}) and a test holding its reference values (closed forms or mpmath). The
 * backend contract tests, the CUDA-vs-CPU tests, the trainer and {@code MeanField} loop over
 * {@link #values()} or take the constant, and need no change.
 */
public enum Activation {
  /** phi(z) = tanh(z), phi'(z) = 1 - phi(z)^2, phi''(z) = -2 tanh(z) (1 - tanh(z)^2). */
  TANH(0, 1, true, true, Double.NaN) {
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
  IDENTITY(1, Double.POSITIVE_INFINITY, true, true, 1) {
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
  },
  /**
   * phi(z) = max(0, z) (written z &lt; 0 ? 0 : z, so NaN propagates), phi'(z) = [z &gt; 0] (0 at the kink z = 0),
   * phi'' = 0. Positively homogeneous: E_z[relu(z)^2] = 1/2 for z ~ N(0, 1).
   */
  RELU(2, Double.POSITIVE_INFINITY, false, false, 0.5) {
    @Override
    public double value(double z) {
      return z < 0 ? 0 : z;
    }

    @Override
    public double first(double z) {
      return z > 0 ? 1 : 0;
    }

    @Override
    public double second(double z) {
      return 0;
    }
  },
  /**
   * phi(z) = erf(z) = (2 / sqrt(pi)) int_0^z exp(-t^2) dt (the standard error function, {@link #erf}),
   * phi'(z) = (2 / sqrt(pi)) exp(-z^2), phi''(z) = -2 z phi'(z).
   */
  ERF(3, 1, true, true, Double.NaN) {
    @Override
    public double value(double z) {
      return erf(z);
    }

    @Override
    public double first(double z) {
      return TWO_OVER_SQRT_PI * expMinusSquare(z);
    }

    @Override
    public double second(double z) {
      return -2 * z * first(z);
    }
  };

  /** 2 / sqrt(pi), rounded to double. */
  public static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

  private final int kernelCode;
  private final Shape shape;

  /** The kernel code and the shape facts of phi ({@link Shape}). */
  Activation(int kernelCode, double bound, boolean odd, boolean smooth, double homogeneousMeanSquare) {
    this.kernelCode = kernelCode;
    this.shape = new Shape(bound, odd, smooth, homogeneousMeanSquare);
  }

  /**
   * The integer the device kernels switch on ({@code cuda/activation.cu}): TANH 0, IDENTITY 1, RELU 2, ERF 3.
   * Fixed per constant (never the ordinal), so compiled PTX stays valid when constants are reordered.
   */
  public int kernelCode() {
    return kernelCode;
  }

  /** phi(z) in double precision (the reference the kernels are tested against). */
  public abstract double value(double z);

  /** phi'(z). */
  public abstract double first(double z);

  /** phi''(z). */
  public abstract double second(double z);

  /** The shape facts of phi that mean-field theory uses. */
  public Shape shape() {
    return shape;
  }

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

  /**
   * The error function erf(x) in double precision, to 6e-16 relative (at most 5 ulp: measured against
   * 30-digit mpmath values at 392 points in ActivationTest; 4 ulp below 1, 5 ulp in [1, 2), 1 ulp
   * beyond). Odd; for |x|:
   * <ul>
   *   <li>below 1: the Taylor series (2 / sqrt(pi)) sum_n (-1)^n x^(2n+1) / (n! (2n+1)) (the sum of the
   *       terms' magnitudes is at most 1.6 times the result, so little cancellation);</li>
   *   <li>from 1 to below 2: the series of positive terms erf(x) = (2 / sqrt(pi)) exp(-x^2)
   *       sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)) (no cancellation);</li>
   *   <li>from 2 to below 6: 1 - erfc(x), erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2)
   *       / (x + ...)))), the continued fraction evaluated backwards from a depth of 57 at x = 2 down to 5 near
   *       x = 6 (erfc changed by below 1e-18 absolute from deeper; erfc &lt;= 4.7e-3 here, so 1 - erfc loses
   *       nothing);</li>
   *   <li>6 and above: 1 (erfc(6) = 2.2e-17 is below half an ulp of 1).</li>
   * </ul>
   * exp(-x^2) is evaluated with x^2 split exactly into x*x + fma(x, x, -x*x). NaN gives NaN.
   */
  public static double erf(double x) {
    double a = Math.abs(x);
    double r;
    if (!(a < 6)) {
      r = Double.isNaN(a) ? a : 1;
    } else if (a < 1) {
      double x2 = a * a;
      double term = a;
      double sum = a;
      for (int n = 1; n < 40; n++) {
        term *= -x2 * RECIPROCAL[n];
        double t = term * RECIPROCAL[2 * n + 1];
        sum += t;
        if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = TWO_OVER_SQRT_PI * sum;
    } else if (a < 2) {
      double twoX2 = 2 * a * a;
      double term = a;
      double sum = a;
      for (int n = 1; n < 60; n++) {
        term *= twoX2 * RECIPROCAL[2 * n + 1];
        sum += term;
        if (term < 1e-17 * sum) {
          break;
        }
      }
      r = TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    } else {
      double f = a;
      for (int k = CF_DEPTH[(int) ((a - 2) * 4)]; k >= 1; k--) {
        f = a + 0.5 * k / f;
      }
      r = 1 - ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    }
    return x < 0 ? -r : r;
  }

  /** 1 / n rounded to double, n &lt; 128 (the series of {@link #erf} multiply instead of divide). */
  private static final double[] RECIPROCAL = new double[128];

  static {
    for (int n = 1; n < RECIPROCAL.length; n++) {
      RECIPROCAL[n] = 1.0 / n;
    }
  }

  /**
   * Depth of erfc's continued fraction on [2 + j/4, 2 + (j+1)/4): the depth at which it changes erfc by below
   * 1e-18 (absolute) on the interval, found by comparison with depth 400, plus 4.
   */
  private static final int[] CF_DEPTH = {57, 46, 38, 31, 26, 22, 19, 17, 14, 12, 11, 9, 8, 7, 6, 5};

  /** exp(-x^2) with x^2 = hi + lo split exactly (hi = x*x, lo = fma(x, x, -hi)): exp(-hi) (1 - lo). */
  static double expMinusSquare(double x) {
    double hi = x * x;
    double lo = Math.fma(x, x, -hi);
    return Math.exp(-hi) * (1 - lo);
  }

  /**
   * What mean field needs to know of phi's shape.
   *
   * @param bound sup_z |phi(z)|, or +Infinity when phi is unbounded. Mean field brackets the fixed point q* of the
   *     length map in [sigma_b^2, sigma_w^2 bound^2 + sigma_b^2] when it is finite.
   * @param odd Whether phi(-z) = -phi(z): then with sigma_b^2 = 0 the correlation map has C(0) = 0.
   * @param smooth Whether phi is smooth; false when phi or phi' has a kink or jump, at z = 0 (relu). Then mean
   *     field's quadrature places a panel edge at the kink whatever the scale, where for smooth phi it may use uniform
   *     panels.
   * @param homogeneousMeanSquare E_z[phi(z)^2] for z ~ N(0, 1) when phi is positively homogeneous of degree 1 (phi(a
   *     z) = a phi(z) for all a &gt; 0, i.e. phi(z) = alpha z for z &gt; 0 and beta z for z &lt; 0), else NaN. Then the
   *     length map is linear, F(q) = sigma_w^2 k q + sigma_b^2 with k this value, and chi_1 = sigma_w^2 E[phi'(z)^2] =
   *     sigma_w^2 (alpha^2 + beta^2) / 2 = sigma_w^2 k for every q: mean field uses k in closed form (q* = sigma_b^2 /
   *     (1 - sigma_w^2 k), critical sigma_w^2 = 1 / k).
   */
  public record Shape(double bound, boolean odd, boolean smooth, double homogeneousMeanSquare) {}
}
