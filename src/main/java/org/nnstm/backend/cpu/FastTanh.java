package org.nnstm.backend.cpu;

/**
 * Fast float tanh: a [13/6] odd rational minimax approximation on a clamped argument (the form and
 * coefficients of Eigen's {@code ptanh_float}), branch-free so that loops over arrays vectorize:
 * x' = clamp(x, -7.9053111, 7.9053111), tanh x ~ x' (P(x'^2) / Q(x'^2)) with P of degree 6 and Q of
 * degree 3 in x'^2; x' is multiplied last, so tiny and subnormal x keep full relative accuracy. Beyond
 * the clamp, tanh x rounds to +-1 in float and so does the formula.
 *
 * <p>Measured error against Math.tanh(x) (double) over every float x in [-20, 20] (all 2,202,009,602 of
 * them; test class FastTanhErrorScan): max absolute error 3.969e-7 and max relative error 3.969e-7,
 * both at x = 5.8565717, i.e. 6.7 ulp of the float result near 1. FastTanhTest checks the bound 4.0e-7
 * on a dense grid. Speed against Math.tanh: benchmarks/RESULTS.md.
 */
final class FastTanh {
  private FastTanh() {}

  static final float CLAMP = 7.90531110763549805f;
  private static final float A1 = 4.89352455891786e-03f;
  private static final float A3 = 6.37261928875436e-04f;
  private static final float A5 = 1.48572235717979e-05f;
  private static final float A7 = 5.12229709037114e-08f;
  private static final float A9 = -8.60467152213735e-11f;
  private static final float A11 = 2.00018790482477e-13f;
  private static final float A13 = -2.76076847742355e-16f;
  private static final float B0 = 4.89352518554385e-03f;
  private static final float B2 = 2.26843463243900e-03f;
  private static final float B4 = 1.18534705686654e-04f;
  private static final float B6 = 1.19825839466702e-06f;

  /** tanh(x) to within the stated error; NaN gives NaN. */
  static float tanh(float x) {
    float c = Math.max(-CLAMP, Math.min(CLAMP, x));
    float x2 = c * c;
    float p = A13;
    p = p * x2 + A11;
    p = p * x2 + A9;
    p = p * x2 + A7;
    p = p * x2 + A5;
    p = p * x2 + A3;
    p = p * x2 + A1;
    float q = B6;
    q = q * x2 + B4;
    q = q * x2 + B2;
    q = q * x2 + B0;
    return c * (p / q);
  }

  /**
   * y[i] = tanh(x[i]) for i < n (arrays may be the same), by {@link #tanh(float)}: small and branch-free, it is
   * inlined and the loop vectorizes. Modifies y.
   */
  static void tanh(float[] x, float[] y, int n) {
    for (int i = 0; i < n; i++) {
      y[i] = tanh(x[i]);
    }
  }
}
