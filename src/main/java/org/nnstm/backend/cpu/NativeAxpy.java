package org.nnstm.backend.cpu;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * y += alpha x on native memory at OpenBLAS's speed, rounded the same way for every element wherever it sits.
 *
 * <p>Why: the Java loop through on-heap scratch arrays runs at about 24 GB/s per core on large vectors here, OpenBLAS's
 * {@code saxpy} at about 59 (benchmarks/RESULTS.md); the weight step of a training step streams every weight once.
 * But {@code saxpy}'s vector body and its scalar tail may round differently (Haswell kernels: fused multiply-add in
 * the body, two roundings in the last n mod 16 elements), which would make an element's result depend on its
 * position in the call, and so a model's weights on the ensemble it is trained in. So OpenBLAS gets only whole
 * multiples of {@value #BODY} elements and the rest is computed here by the body's own rule, which a probe at class
 * load determines: {@link Rule#FMA} (one rounding, {@link Math#fma}) or {@link Rule#SEPARATE} (alpha * x rounded,
 * then the sum). Where the probe finds neither rule throughout (at every alignment it tries), every element is
 * computed here with {@link Rule#SEPARATE} and OpenBLAS is not used ({@link Rule#JAVA}).
 */
final class NativeAxpy {
  /** How y + alpha x is rounded. */
  enum Rule {
    /** OpenBLAS for the body; the rest as one fused multiply-add. */
    FMA,
    /** OpenBLAS for the body; the rest as alpha * x rounded, then added. */
    SEPARATE,
    /** Every element in Java, alpha * x rounded, then added (OpenBLAS's body follows no single rule). */
    JAVA
  }

  /** OpenBLAS is called on multiples of this many elements (its kernels' widest unrolled loop is 64 floats). */
  static final int BODY = 64;

  /** The rule of this process's OpenBLAS kernels. */
  static final Rule RULE = probe();

  private NativeAxpy() {}

  /**
   * y[i] += alpha * x[i] for i in [from, from + count) of x's and y's elements (the same indices in both), by
   * {@link #RULE}; xs and ys are scratch arrays of at least {@link CpuBackend#CHUNK} floats.
   */
  static void range(CpuTensor x, CpuTensor y, float alpha, int from, int count, float[] xs, float[] ys) {
    int body = RULE == Rule.JAVA ? 0 : count & -BODY;
    if (body > 0) {
      OpenBlas.saxpy(body, alpha, x.address() + 4L * from, y.address() + 4L * from);
    }
    FloatBuffer xb = x.data();
    FloatBuffer yb = y.data();
    boolean fma = RULE == Rule.FMA;
    for (int at = from + body, end = from + count; at < end; at += CpuBackend.CHUNK) {
      int len = Math.min(CpuBackend.CHUNK, end - at);
      xb.get(at, xs, 0, len);
      yb.get(at, ys, 0, len);
      if (fma) {
        for (int i = 0; i < len; i++) {
          ys[i] = Math.fma(alpha, xs[i], ys[i]);
        }
      } else {
        for (int i = 0; i < len; i++) {
          ys[i] += alpha * xs[i];
        }
      }
      yb.put(at, ys, 0, len);
    }
  }

  /**
   * Runs saxpy on {@value #BODY}-multiples at every float alignment within a cache line and reports the single
   * rule all results follow, or {@link Rule#JAVA}.
   */
  static Rule probe() {
    int n = 4 * BODY;
    int pad = 16;
    float alpha = -0.012345679f;
    SplittableRandom rng = new SplittableRandom(20261205);
    float[] x = new float[n + pad];
    float[] y = new float[n + pad];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 3 - 1.5);
      y[i] = (float) (rng.nextDouble() - 0.5);
    }
    boolean fmaAll = true;
    boolean separateAll = true;
    boolean distinguished = false;
    OpenBlas.NativeBlock bx = OpenBlas.allocate(4L * (n + pad));
    OpenBlas.NativeBlock by = OpenBlas.allocate(4L * (n + pad));
    try {
      FloatBuffer fx = bx.buffer.asFloatBuffer();
      FloatBuffer fy = by.buffer.asFloatBuffer();
      float[] out = new float[n];
      for (int shift = 0; shift < pad; shift++) {
        fx.put(0, x);
        fy.put(0, y);
        OpenBlas.saxpy(n, alpha, bx.address + 4L * shift, by.address + 4L * shift);
        fy.get(shift, out, 0, n);
        for (int i = 0; i < n; i++) {
          float xi = x[shift + i];
          float yi = y[shift + i];
          float fused = Math.fma(alpha, xi, yi);
          float separate = yi + alpha * xi;
          fmaAll &= out[i] == fused;
          separateAll &= out[i] == separate;
          distinguished |= fused != separate;
        }
      }
    } finally {
      bx.free();
      by.free();
    }
    if (!distinguished) {
      return Rule.JAVA;
    }
    return fmaAll ? Rule.FMA : separateAll ? Rule.SEPARATE : Rule.JAVA;
  }
}
