package org.nnstm.backend.cpu;

import java.nio.FloatBuffer;
import org.nnstm.tensor.Activation;

/**
 * The CPU float kernels of every {@link Activation}, on chunks of on-heap arrays ({@link CpuBackend} copies
 * the off-heap tensors in and out): y = phi(z) forward, g = g phi'(.) backward. One case per constant; adding
 * an activation adds one case to each switch here (and to {@code cuda/activation.cu}).
 * <ul>
 *   <li>TANH: {@link FastTanh} forward (max error 4.0e-7); backward from the output, g (1 - y^2).</li>
 *   <li>IDENTITY: y = z; g unchanged.</li>
 *   <li>RELU: y = z &lt; 0 ? 0 : z (NaN propagates); g [z &gt; 0].</li>
 *   <li>ERF: forward {@link #erf(float)}, a float rational approximation (max absolute error 4.5e-7);
 *       backward g (2 / sqrt(pi)) exp(-z^2) evaluated in double from z and rounded once to float
 *       (the GPU: erff, and expf of the exactly split -z^2).</li>
 * </ul>
 */
final class CpuActivation {
  private CpuActivation() {}

  /** y[i] = phi(z[i]) for i &lt; n (z and y may be the same array). Modifies y. */
  static void forward(Activation phi, float[] z, float[] y, int n) {
    switch (phi) {
      case TANH -> FastTanh.tanh(z, y, n);
      case IDENTITY -> System.arraycopy(z, 0, y, 0, n);
      case RELU -> {
        for (int i = 0; i < n; i++) {
          float v = z[i];
          y[i] = v < 0f ? 0f : v;
        }
      }
      case ERF -> {
        for (int i = 0; i < n; i++) {
          y[i] = erf(z[i]);
        }
      }
    }
  }

  /**
   * g[i] = g[i] phi'(z_i) for i &lt; n, where z_i and y_i = phi(z_i) are elements {@code at + i} of {@code z} and
   * {@code y}; each activation reads only the one of the two it needs into {@code buf} (length &gt;= n).
   * Modifies g and buf.
   */
  static void backward(Activation phi, float[] g, FloatBuffer z, FloatBuffer y, int at, float[] buf, int n) {
    switch (phi) {
      case TANH -> {
        y.get(at, buf, 0, n);
        for (int i = 0; i < n; i++) {
          g[i] = g[i] * (1f - buf[i] * buf[i]);
        }
      }
      case IDENTITY -> { }
      case RELU -> {
        z.get(at, buf, 0, n);
        for (int i = 0; i < n; i++) {
          g[i] = g[i] * (buf[i] > 0f ? 1f : 0f);
        }
      }
      case ERF -> {
        z.get(at, buf, 0, n);
        for (int i = 0; i < n; i++) {
          double v = buf[i];
          g[i] = (float) (g[i] * (Activation.TWO_OVER_SQRT_PI * Math.exp(-v * v)));
        }
      }
    }
  }

  /** Arguments beyond +-ERF_CLAMP give erf = +-1 in float (erf(3.925) = 1 - 2.8e-8, below half an ulp of 1). */
  static final float ERF_CLAMP = 3.925f;
  private static final float P0 = 1.128378987e+00f;
  private static final float P1 = 1.929701716e-01f;
  private static final float P2 = 5.308407173e-02f;
  private static final float P3 = 3.876235569e-03f;
  private static final float P4 = 2.874918864e-04f;
  private static final float P5 = 2.030909627e-06f;
  private static final float Q1 = 5.043470263e-01f;
  private static final float Q2 = 1.151665077e-01f;
  private static final float Q3 = 1.518816967e-02f;
  private static final float Q4 = 1.189731294e-03f;
  private static final float Q5 = 3.803185609e-05f;

  /**
   * erf(x) in float, branch-free: c = clamp(x, -3.925, 3.925), t = c^2, erf x ~ c P(t) / Q(t) with P of
   * degree 5 and Q of degree 5 (Q(0) = 1), clamped to [-1, 1]. The coefficients are a weighted least-squares
   * (Lawson) fit of erf(x)/x on [0, 3.925] made for this class (exact-arithmetic max error 1.7e-8);
   * evaluated in float the max absolute error against the double {@link Activation#erf} is 4.5e-7 and the
   * relative error below |x| = 1 is 3.7e-7 (tiny x included, down to float's subnormal results: c is
   * multiplied last). CpuActivationTest checks
   * both bounds on a dense grid. NaN gives NaN.
   */
  static float erf(float x) {
    float c = Math.max(-ERF_CLAMP, Math.min(ERF_CLAMP, x));
    float t = c * c;
    float p = P5;
    p = p * t + P4;
    p = p * t + P3;
    p = p * t + P2;
    p = p * t + P1;
    p = p * t + P0;
    float q = Q5;
    q = q * t + Q4;
    q = q * t + Q3;
    q = q * t + Q2;
    q = q * t + Q1;
    q = q * t + 1f;
    return Math.max(-1f, Math.min(1f, c * (p / q)));
  }
}
