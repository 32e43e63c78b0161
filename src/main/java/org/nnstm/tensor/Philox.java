package org.nnstm.tensor;

/**
 * Counter-based Gaussian random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as
 * easy as 1, 2, 3", SC 2011) followed by the Box-Muller transform evaluated with portable double
 * arithmetic, so that CPU and GPU produce bit-identical floats for the same (seed, stream, index).
 *
 * <p>Standard normal number {@code i} of stream {@code s} under key {@code seed}: the block
 * {@code b = i >>> 2} is encrypted with counter (lo(b), hi(b), lo(s), hi(s)) and key (lo(seed),
 * hi(seed)), giving words x0..x3; pair (x0, x1) yields normals 0 and 1 of the block, (x2, x3) yields 2
 * and 3: u1 = (x_even + 0.5) 2^-32 in (0, 1), u2 = x_odd 2^-32 in [0, 1),
 * N = sqrt(-2 ln u1) * (cos 2 pi u2 for even lanes, sin 2 pi u2 for odd lanes).
 *
 * <p>Portability: ln, cos and sin are evaluated by {@link #log}, {@link #cosTwoPi} and {@link #sinTwoPi}
 * using only IEEE-754 double +, -, *, / and sqrt in a fixed order (no fused multiply-add), which are
 * correctly rounded on the JVM and in CUDA compiled with {@code -fmad=false}; cuda/rng.cu mirrors this
 * code operation by operation. Their accuracy (about 1e-16 relative) exceeds what the float result needs.
 */
public final class Philox {
  private static final int M0 = 0xD2511F53;
  private static final int M1 = 0xCD9E8D57;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;
  private static final double TWO_POW_M32 = 1.0 / 4294967296.0;
  private static final double LN2 = 0.6931471805599453;
  private static final double HALF_PI = 1.5707963267948966;

  private Philox() {}

  /**
   * Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1); writes the 4 output words to out.
   * Modifies out.
   */
  public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
    for (int round = 0; round < 10; round++) {
      long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
      long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
      int hi0 = (int) (p0 >>> 32);
      int lo0 = (int) p0;
      int hi1 = (int) (p1 >>> 32);
      int lo1 = (int) p1;
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 += W0;
      k1 += W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
  }

  /** The i-th standard normal (as a double before rounding to float) of stream {@code stream} under {@code seed}. */
  public static double gaussian(long seed, long stream, long i) {
    int[] x = new int[4];
    long b = i >>> 2;
    block((int) b, (int) (b >>> 32), (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), x);
    int lane = (int) (i & 3);
    int pair = lane & ~1;
    return boxMuller(x[pair], x[pair + 1], (lane & 1) != 0);
  }

  /**
   * Fills {@code out[outOffset + j] = (float) (std * N_{first + j})} for j &lt; count: the bulk form of
   * {@link #gaussian} that the CPU backend uses. Modifies out.
   */
  public static void fillGaussian(float[] out, int outOffset, int count, double std, long seed, long stream, long first) {
    int[] x = new int[4];
    int k0 = (int) seed;
    int k1 = (int) (seed >>> 32);
    int c2 = (int) stream;
    int c3 = (int) (stream >>> 32);
    long end = first + count;
    long i = first;
    int o = outOffset;
    while (i < end) {
      long b = i >>> 2;
      block((int) b, (int) (b >>> 32), c2, c3, k0, k1, x);
      if ((i & 3) == 0 && end - i >= 4) {
        // a whole block: each pair's radius sqrt(-2 ln u1) serves its cosine and sine lanes
        double r0 = radius(x[0]);
        double v0 = angle(x[1]);
        double r1 = radius(x[2]);
        double v1 = angle(x[3]);
        out[o] = (float) (std * (r0 * cosTwoPi(v0)));
        out[o + 1] = (float) (std * (r0 * sinTwoPi(v0)));
        out[o + 2] = (float) (std * (r1 * cosTwoPi(v1)));
        out[o + 3] = (float) (std * (r1 * sinTwoPi(v1)));
        o += 4;
        i += 4;
      } else {
        // the ragged ends of the range, lane by lane
        int lane = (int) (i & 3);
        int pair = lane & ~1;
        out[o++] = (float) (std * boxMuller(x[pair], x[pair + 1], (lane & 1) != 0));
        i++;
      }
    }
  }

  /**
   * Uniform numbers from the same counters: {@code out[outOffset + j] = (float) (lo + (hi - lo) u_{first + j})}
   * with u_i = (x_i + 0.5) 2^-32 in (0, 1), x_i the word {@code i & 3} of the block {@code i >>> 2} of stream
   * {@code stream} under key {@code seed}. Host-side (initialisers upload the result), deterministic. Modifies
   * out.
   */
  public static void fillUniform(float[] out, int outOffset, int count, double lo, double hi, long seed,
                                 long stream, long first) {
    int[] x = new int[4];
    for (int j = 0; j < count; j++) {
      long i = first + j;
      if (j == 0 || (i & 3) == 0) {
        long b = i >>> 2;
        block((int) b, (int) (b >>> 32), (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), x);
      }
      double u = ((x[(int) (i & 3)] & 0xFFFFFFFFL) + 0.5) * TWO_POW_M32;
      out[outOffset + j] = (float) (lo + (hi - lo) * u);
    }
  }

  private static double radius(int xu1) {
    double u1 = ((xu1 & 0xFFFFFFFFL) + 0.5) * TWO_POW_M32;
    return Math.sqrt(-2.0 * log(u1));
  }

  private static double angle(int xu2) {
    return (xu2 & 0xFFFFFFFFL) * TWO_POW_M32;
  }

  /** Box-Muller on two raw words; odd lanes take the sine branch. */
  static double boxMuller(int xu1, int xu2, boolean sine) {
    double r = radius(xu1);
    double u2 = angle(xu2);
    return r * (sine ? sinTwoPi(u2) : cosTwoPi(u2));
  }

  /**
   * Natural log of a positive normal double, portable: x = m 2^e with m in [sqrt(2)/2, sqrt(2)),
   * ln m = 2 atanh(s), s = (m - 1)/(m + 1), |s| &lt;= 0.1716, series to s^23 (error below 1e-17).
   */
  public static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int e = (int) ((bits >>> 52) & 0x7FF) - 1023;
    double m = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
    if (m > 1.4142135623730951) {
      m = m * 0.5;
      e = e + 1;
    }
    double s = (m - 1.0) / (m + 1.0);
    double s2 = s * s;
    double p = 1.0 / 23.0;
    p = p * s2 + 1.0 / 21.0;
    p = p * s2 + 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    p = p * s2 + 1.0;
    return e * LN2 + 2.0 * s * p;
  }

  /** cos(2 pi u) for u in [0, 1), portable (quadrant reduction, then Taylor series on [-pi/4, pi/4]). */
  public static double cosTwoPi(double u) {
    return cosQuarterTurns(u * 4.0, 0);
  }

  /** sin(2 pi u) for u in [0, 1), portable; see {@link #cosTwoPi}. sin x = cos(x - pi/2): one quadrant back. */
  public static double sinTwoPi(double u) {
    return cosQuarterTurns(u * 4.0, 3);
  }

  /**
   * cos((pi/2) t) for shift 0, sin((pi/2) t) for shift 3 (t >= 0). With q = round(t) and a = (t - q) pi/2 in
   * [-pi/4, pi/4], cos((pi/2) t) = cos(a + q pi/2) is cos a, -sin a, -cos a, sin a for q mod 4 = 0, 1, 2, 3; and
   * sin((pi/2) t) = cos((pi/2) t - pi/2) is the entry of quadrant q - 1, i.e. (q + 3) mod 4.
   */
  private static double cosQuarterTurns(double t, int shift) {
    int q = (int) (t + 0.5);
    double a = (t - q) * HALF_PI;
    switch ((q + shift) & 3) {
      case 0: return cosSmall(a);
      case 1: return -sinSmall(a);
      case 2: return -cosSmall(a);
      default: return sinSmall(a);
    }
  }

  /** Taylor coefficients of sin(a) / (-a) in powers of a^2, highest first: -1/17!, 1/15!, ..., 1/3!, -1. */
  private static final double[] SIN_SERIES = {
      -1.0 / 355687428096000.0, 1.0 / 1307674368000.0, -1.0 / 6227020800.0, 1.0 / 39916800.0,
      -1.0 / 362880.0, 1.0 / 5040.0, -1.0 / 120.0, 1.0 / 6.0, -1.0};

  /** Taylor coefficients of cos(a) in powers of a^2, highest first: -1/18!, 1/16!, ..., -1/2!, 1. */
  private static final double[] COS_SERIES = {
      -1.0 / 6402373705728000.0, 1.0 / 20922789888000.0, -1.0 / 87178291200.0, 1.0 / 479001600.0,
      -1.0 / 3628800.0, 1.0 / 40320.0, -1.0 / 720.0, 1.0 / 24.0, -1.0 / 2.0, 1.0};

  /** sin a for |a| <= pi/4: Taylor series to a^17, -(a * SIN_SERIES(a^2)). */
  static double sinSmall(double a) {
    return -(a * horner(a * a, SIN_SERIES));
  }

  /** cos a for |a| <= pi/4: Taylor series to a^18, COS_SERIES(a^2). */
  static double cosSmall(double a) {
    return horner(a * a, COS_SERIES);
  }

  /**
   * c[0] x^(n-1) + ... + c[n-1] by Horner's rule in a fixed order: p = c[0]; p = p * x + c[i] for i = 1..n-1
   * (each product and sum rounded separately, as cuda/rng.cu does).
   */
  private static double horner(double x, double[] c) {
    double p = c[0];
    for (int i = 1; i < c.length; i++) {
      p = p * x + c[i];
    }
    return p;
  }
}
