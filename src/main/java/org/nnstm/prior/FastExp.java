package org.nnstm.prior;

/**
 * Table-driven exp(x) for {@code x <= 0}, used by the KDE kernel sums.
 *
 * <p>Method: x = (k / N) ln 2 + r with N = 1024, k = round(x N / ln 2) and {@code |r| <= ln 2 / (2N)} ~ 3.4e-4
 * (Cody-Waite two-part ln 2 / N, so r is exact to ~1e-20 absolute); then exp(x) = {@code 2^(k >> 10) *
 * T[k & 1023] * P(r)} where T[j] = 2^(j/N) (from {@link StrictMath#pow}, within 1 ulp) and P is the degree-5
 * Taylor polynomial of e^r (truncation {@code r^6/720 < 2.2e-24}). Relative error is a few ulp (tested against
 * {@link StrictMath#exp} at 3e-16 relative over [-708, 0]).
 *
 * <p>Domain: x in [-708, 0] (the result is a normal double). Below -708 it returns 0 (the KDE sums shift
 * every exponent so the largest term is 1, so such terms are below 1e-307 of the sum); NaN maps to NaN.
 * Positive x are not supported by the table path and are sent to {@link Math#exp}.
 */
final class FastExp {
  private FastExp() {}

  private static final int BITS = 10;
  private static final int N = 1 << BITS;
  private static final double[] TABLE = new double[N];
  private static final double N_OVER_LN2 = N / Math.log(2.0);
  // ln2/N split: high part (fdlibm ln2_hi) has 32 significant bits, so k * LN2_HI is exact for |k| < 2^21.
  private static final double LN2_HI = 6.93147180369123816490e-01 / N;
  private static final double LN2_LO = 1.90821492927058770002e-10 / N;
  private static final double SHIFT = 0x1.8p52;
  /** Lowest argument with a normal result; below it {@link #exp} returns 0. */
  public static final double MIN_ARG = -708.0;

  static {
    for (int j = 0; j < N; j++) {
      TABLE[j] = StrictMath.pow(2.0, (double) j / N);
    }
  }

  /** e^x for {@code x <= 0} (see class javadoc for domain and accuracy). */
  public static double exp(double x) {
    if (!(x >= MIN_ARG)) {
      return Double.isNaN(x) ? x : 0.0;
    }
    if (x > 0) {
      return Math.exp(x);
    }
    double t = x * N_OVER_LN2 + SHIFT;
    long k = Double.doubleToRawLongBits(t) - Double.doubleToRawLongBits(SHIFT);
    double kd = t - SHIFT;
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
    double base = TABLE[(int) (k & (N - 1))];
    long scaled = Double.doubleToRawLongBits(base) + ((k >> BITS) << 52);
    return Double.longBitsToDouble(scaled) * p;
  }
}
