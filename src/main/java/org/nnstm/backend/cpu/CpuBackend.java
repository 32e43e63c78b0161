package org.nnstm.backend.cpu;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Philox;
import org.nnstm.tensor.Tensor;

/**
 * The CPU backend: GEMM, axpy and the SGD update through OpenBLAS ({@link OpenBlas}), every other op as a
 * plain Java loop over contiguous off-heap memory, worked in chunks of {@value #CHUNK} floats copied into on-heap
 * scratch arrays (bulk copies of a direct buffer are memcpy) so that the JIT vectorizes the arithmetic.
 * tanh is {@link FastTanh}, not {@link Math#tanh} (about 90x slower here; benchmarks/RESULTS.md).
 *
 * <p>Not thread-safe: one backend serves one thread (the scratch arrays are shared by its ops). The
 * OpenBLAS thread count is process-global; the constructor sets it. Long Gaussian fills (the Philox
 * generator is compute-bound, ~55 M/s per core) run on the common fork-join pool; their results do not
 * depend on the split.
 */
public final class CpuBackend implements Backend {
  static final int CHUNK = 4096;
  /** Gaussian fills at least this long are split over the common fork-join pool (both cores). */
  static final long PARALLEL_FILL = 1L << 18;
  private static final long FILL_TASK = 1L << 16;

  private final int blasThreads;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final float[] s0 = new float[CHUNK];
  private final float[] s1 = new float[CHUNK];
  private final float[] s2 = new float[CHUNK];

  /**
   * A CPU backend whose GEMMs use {@code blasThreads} OpenBLAS threads (1 is fastest on a 2-core
   * machine shared with other work; measure before raising it).
   */
  public CpuBackend(int blasThreads) {
    if (blasThreads < 1) {
      throw new IllegalArgumentException("blasThreads must be >= 1, got " + blasThreads);
    }
    this.blasThreads = blasThreads;
    OpenBlas.setThreads(blasThreads);
    this.name = "cpu (OpenBLAS " + OpenBlas.version() + ", " + blasThreads
        + (blasThreads == 1 ? " thread)" : " threads)");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "cpu";
  }

  /** The OpenBLAS thread count this backend was opened with. */
  public int blasThreads() {
    return blasThreads;
  }

  // ---------------------------------------------------------------- checks

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("backend " + name + " is closed");
    }
  }

  private CpuTensor own(String what, Tensor t) {
    if (t == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (!(t instanceof CpuTensor) || ((CpuTensor) t).owner() != this) {
      throw new IllegalArgumentException(what + " belongs to another backend (" + t.backend().name() + ")");
    }
    if (t.isClosed()) {
      throw new IllegalArgumentException(what + " is closed");
    }
    return (CpuTensor) t;
  }

  private static void range(String what, Tensor t, long offset, long count) {
    if (offset < 0 || count < 0 || offset > t.size() || count > t.size() - offset) {
      throw new IllegalArgumentException(what + ": offset " + offset + " + count " + count
          + " does not fit a tensor of " + t.size() + " elements");
    }
  }

  private static void positive(String what, long v) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + v);
    }
  }

  private static void notNull(Object o, String what) {
    if (o == null) {
      throw new IllegalArgumentException(what + " is null");
    }
  }

  // ---------------------------------------------------------------- memory and transfers

  @Override
  public Tensor zeros(int... shape) {
    checkOpen();
    return new CpuTensor(this, shape);
  }

  @Override
  public void upload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
    checkOpen();
    notNull(src, "upload: src");
    CpuTensor d = own("upload: dst", dst);
    if (srcOffset < 0 || count < 0 || srcOffset > src.length - count) {
      throw new IllegalArgumentException("upload: srcOffset " + srcOffset + " + count " + count
          + " does not fit an array of " + src.length);
    }
    range("upload: dst", d, dstOffset, count);
    d.data().put((int) dstOffset, src, srcOffset, count);
  }

  @Override
  public void download(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
    checkOpen();
    notNull(dst, "download: dst");
    CpuTensor s = own("download: src", src);
    if (dstOffset < 0 || count < 0 || dstOffset > dst.length - count) {
      throw new IllegalArgumentException("download: dstOffset " + dstOffset + " + count " + count
          + " does not fit an array of " + dst.length);
    }
    range("download: src", s, srcOffset, count);
    s.data().get((int) srcOffset, dst, dstOffset, count);
  }

  @Override
  public void copy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count) {
    checkOpen();
    CpuTensor s = own("copy: src", src);
    CpuTensor d = own("copy: dst", dst);
    range("copy: src", s, srcOffset, count);
    range("copy: dst", d, dstOffset, count);
    if (s == d && srcOffset < dstOffset + count && dstOffset < srcOffset + count && count > 0
        && srcOffset != dstOffset) {
      throw new IllegalArgumentException("copy: regions [" + srcOffset + ", +" + count + ") and ["
          + dstOffset + ", +" + count + ") of one tensor overlap");
    }
    d.data().put((int) dstOffset, s.data(), (int) srcOffset, (int) count);
  }

  @Override
  public void fill(Tensor t, long offset, long count, float value) {
    checkOpen();
    CpuTensor d = own("fill: t", t);
    range("fill: t", d, offset, count);
    FloatBuffer b = d.data();
    int end = (int) (offset + count);
    for (int i = (int) offset; i < end; i++) {
      b.put(i, value);
    }
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC, int batch) {
    checkOpen();
    positive("gemm: m", m);
    positive("gemm: n", n);
    positive("gemm: k", k);
    positive("gemm: batch", batch);
    CpuTensor ta = own("gemm: a", a);
    CpuTensor tb = own("gemm: b", b);
    CpuTensor tc = own("gemm: c", c);
    if (strideA < 0 || strideB < 0 || strideC < 0) {
      throw new IllegalArgumentException("gemm: strides must be >= 0, got strideA " + strideA
          + ", strideB " + strideB + ", strideC " + strideC);
    }
    if (strideC == 0 && batch > 1) {
      throw new IllegalArgumentException("gemm: strideC is 0 with batch " + batch);
    }
    long last = batch - 1L;
    range("gemm: a (" + m + "x" + k + ", strideA " + strideA + ", batch " + batch + ")",
        ta, last * strideA, (long) m * k);
    range("gemm: b (" + k + "x" + n + ", strideB " + strideB + ", batch " + batch + ")",
        tb, last * strideB, (long) k * n);
    range("gemm: c (" + m + "x" + n + ", strideC " + strideC + ", batch " + batch + ")",
        tc, last * strideC, (long) m * n);
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    for (long p = 0; p < batch; p++) {
      OpenBlas.sgemm(transA, transB, m, n, k, alpha,
          ta.address() + 4 * p * strideA, lda, tb.address() + 4 * p * strideB, ldb,
          beta, tc.address() + 4 * p * strideC, n);
    }
  }

  @Override
  public void axpy(long n, float alpha, Tensor x, Tensor y) {
    checkOpen();
    CpuTensor tx = own("axpy: x", x);
    CpuTensor ty = own("axpy: y", y);
    range("axpy: x", tx, 0, n);
    range("axpy: y", ty, 0, n);
    if (n > 0) {
      OpenBlas.saxpy((int) n, alpha, tx.address(), ty.address());
    }
  }

  // ---------------------------------------------------------------- network ops

  @Override
  public void biasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias, Tensor y) {
    checkOpen();
    notNull(phi, "biasActivationForward: phi");
    positive("biasActivationForward: batch", batch);
    positive("biasActivationForward: rows", rows);
    positive("biasActivationForward: cols", cols);
    CpuTensor tz = own("biasActivationForward: z", z);
    CpuTensor tbias = own("biasActivationForward: bias", bias);
    CpuTensor ty = own("biasActivationForward: y", y);
    if (tz == ty) {
      throw new IllegalArgumentException("biasActivationForward: y may not alias z");
    }
    long total = (long) batch * rows * cols;
    range("biasActivationForward: z", tz, 0, total);
    range("biasActivationForward: y", ty, 0, total);
    range("biasActivationForward: bias", tbias, 0, (long) batch * cols);
    FloatBuffer zb = tz.data();
    FloatBuffer yb = ty.data();
    FloatBuffer bb = tbias.data();
    boolean tanh = phi == Activation.TANH;
    float[] zs = s0;
    float[] bs = s1;
    float[] ys = s2;
    for (int p = 0; p < batch; p++) {
      for (int c0 = 0; c0 < cols; c0 += CHUNK) {
        int len = Math.min(CHUNK, cols - c0);
        bb.get(p * cols + c0, bs, 0, len);
        for (int r = 0; r < rows; r++) {
          int at = (p * rows + r) * cols + c0;
          zb.get(at, zs, 0, len);
          for (int i = 0; i < len; i++) {
            zs[i] += bs[i];
          }
          zb.put(at, zs, 0, len);
          if (tanh) {
            FastTanh.tanh(zs, ys, len);
            yb.put(at, ys, 0, len);
          } else {
            yb.put(at, zs, 0, len);
          }
        }
      }
    }
  }

  @Override
  public void activationBackward(Activation phi, long n, Tensor dy, Tensor y, Tensor dz) {
    checkOpen();
    notNull(phi, "activationBackward: phi");
    CpuTensor tdy = own("activationBackward: dy", dy);
    CpuTensor ty = own("activationBackward: y", y);
    CpuTensor tdz = own("activationBackward: dz", dz);
    range("activationBackward: dy", tdy, 0, n);
    range("activationBackward: y", ty, 0, n);
    range("activationBackward: dz", tdz, 0, n);
    FloatBuffer dyb = tdy.data();
    FloatBuffer yb = ty.data();
    FloatBuffer dzb = tdz.data();
    float[] g = s0;
    float[] ys = s1;
    for (int at = 0; at < n; at += CHUNK) {
      int len = (int) Math.min(CHUNK, n - at);
      dyb.get(at, g, 0, len);
      if (phi == Activation.TANH) {
        yb.get(at, ys, 0, len);
        for (int i = 0; i < len; i++) {
          g[i] = g[i] * (1f - ys[i] * ys[i]);
        }
      }
      dzb.put(at, g, 0, len);
    }
  }

  @Override
  public void columnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db) {
    checkOpen();
    positive("columnSums: batch", batch);
    positive("columnSums: rows", rows);
    positive("columnSums: cols", cols);
    CpuTensor tdz = own("columnSums: dz", dz);
    CpuTensor tdb = own("columnSums: db", db);
    range("columnSums: dz", tdz, 0, (long) batch * rows * cols);
    range("columnSums: db", tdb, 0, (long) batch * cols);
    FloatBuffer zb = tdz.data();
    FloatBuffer bb = tdb.data();
    float[] acc = s0;
    float[] row = s1;
    for (int p = 0; p < batch; p++) {
      for (int c0 = 0; c0 < cols; c0 += CHUNK) {
        int len = Math.min(CHUNK, cols - c0);
        zb.get(p * rows * cols + c0, acc, 0, len);
        for (int r = 1; r < rows; r++) {
          zb.get((p * rows + r) * cols + c0, row, 0, len);
          for (int i = 0; i < len; i++) {
            acc[i] += row[i];
          }
        }
        int at = p * cols + c0;
        if (beta != 0f) {
          bb.get(at, row, 0, len);
          for (int i = 0; i < len; i++) {
            acc[i] += beta * row[i];
          }
        }
        bb.put(at, acc, 0, len);
      }
    }
  }

  @Override
  public void softmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                  float gradScale, Tensor grad, Tensor stats) {
    checkOpen();
    positive("softmaxCrossEntropy: batch", batch);
    positive("softmaxCrossEntropy: rows", rows);
    positive("softmaxCrossEntropy: classes", classes);
    CpuTensor tl = own("softmaxCrossEntropy: logits", logits);
    CpuTensor tlab = own("softmaxCrossEntropy: labels", labels);
    CpuTensor tg = own("softmaxCrossEntropy: grad", grad);
    CpuTensor ts = own("softmaxCrossEntropy: stats", stats);
    long total = (long) batch * rows * classes;
    range("softmaxCrossEntropy: logits", tl, 0, total);
    range("softmaxCrossEntropy: labels", tlab, 0, rows);
    range("softmaxCrossEntropy: grad", tg, 0, total);
    range("softmaxCrossEntropy: stats", ts, 0, 2L * batch);
    if (classes > CHUNK) {
      throw new IllegalArgumentException("softmaxCrossEntropy: classes " + classes + " > " + CHUNK);
    }
    FloatBuffer lb = tl.data();
    FloatBuffer labb = tlab.data();
    FloatBuffer gb = tg.data();
    int[] label = new int[rows];
    for (int r = 0; r < rows; r++) {
      float v = labb.get(r);
      if (!(v >= 0 && v < classes && v == (int) v)) {
        throw new IllegalArgumentException("softmaxCrossEntropy: label " + v + " of row " + r
            + " is not a class index in [0, " + classes + ")");
      }
      label[r] = (int) v;
    }
    float[] z = s0;
    float[] g = s1;
    for (int p = 0; p < batch; p++) {
      double loss = 0;
      int correct = 0;
      for (int r = 0; r < rows; r++) {
        int at = (p * rows + r) * classes;
        lb.get(at, z, 0, classes);
        int argmax = 0;
        float max = z[0];
        for (int c = 1; c < classes; c++) {
          if (z[c] > max) {
            max = z[c];
            argmax = c;
          }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          sum += Math.exp((double) z[c] - max);
        }
        int y = label[r];
        loss += Math.log(sum) - ((double) z[y] - max);
        if (argmax == y) {
          correct++;
        }
        double inv = 1.0 / sum;
        for (int c = 0; c < classes; c++) {
          double prob = Math.exp((double) z[c] - max) * inv;
          g[c] = (float) (gradScale * (prob - (c == y ? 1.0 : 0.0)));
        }
        gb.put(at, g, 0, classes);
      }
      ts.data().put(2 * p, (float) loss);
      ts.data().put(2 * p + 1, (float) correct);
    }
  }

  @Override
  public void cubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                       float gradScale, Tensor pred, Tensor gradU, Tensor stats) {
    checkOpen();
    positive("cubicReadoutSquaredError: batch", batch);
    positive("cubicReadoutSquaredError: rows", rows);
    positive("cubicReadoutSquaredError: cols", cols);
    CpuTensor tu = own("cubicReadoutSquaredError: u", u);
    CpuTensor tg = own("cubicReadoutSquaredError: g", g);
    CpuTensor tt = own("cubicReadoutSquaredError: target", target);
    CpuTensor tp = own("cubicReadoutSquaredError: pred", pred);
    CpuTensor td = own("cubicReadoutSquaredError: gradU", gradU);
    CpuTensor ts = own("cubicReadoutSquaredError: stats", stats);
    long per = (long) rows * cols;
    range("cubicReadoutSquaredError: u", tu, 0, per * batch);
    range("cubicReadoutSquaredError: g", tg, 0, batch);
    range("cubicReadoutSquaredError: target", tt, 0, per);
    range("cubicReadoutSquaredError: pred", tp, 0, per * batch);
    range("cubicReadoutSquaredError: gradU", td, 0, per * batch);
    range("cubicReadoutSquaredError: stats", ts, 0, batch);
    FloatBuffer ub = tu.data();
    FloatBuffer tb = tt.data();
    FloatBuffer pb = tp.data();
    FloatBuffer db = td.data();
    float[] uu = s0;
    float[] tgt = s1;
    float[] out = s2;
    for (int p = 0; p < batch; p++) {
      float gp = tg.data().get(p);
      double sse = 0;
      for (long at = 0; at < per; at += CHUNK) {
        int len = (int) Math.min(CHUNK, per - at);
        ub.get((int) (p * per + at), uu, 0, len);
        tb.get((int) at, tgt, 0, len);
        for (int i = 0; i < len; i++) {
          float x = uu[i];
          float y = x + gp * x * x * x;
          float d = y - tgt[i];
          sse += (double) d * d;
          out[i] = y;
          uu[i] = gradScale * d * (1f + 3f * gp * x * x);
        }
        pb.put((int) (p * per + at), out, 0, len);
        db.put((int) (p * per + at), uu, 0, len);
      }
      ts.data().put(p, (float) sse);
    }
  }

  @Override
  public void gaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points,
                                    Tensor out) {
    checkOpen();
    String op = "gaussianKernelLogSums";
    positive(op + ": n", n);
    positive(op + ": m", m);
    positive(op + ": d", d);
    CpuTensor ts = own(op + ": samples", samples);
    CpuTensor tw = own(op + ": logWeights", logWeights);
    CpuTensor tp = own(op + ": points", points);
    CpuTensor to = own(op + ": out", out);
    range(op + ": samples", ts, 0, (long) n * d);
    range(op + ": logWeights", tw, 0, n);
    range(op + ": points", tp, 0, (long) m * d);
    range(op + ": out", to, 0, m);
    float[] z = new float[n * d];
    float[] lw = new float[n];
    float[] y = new float[m * d];
    ts.data().get(0, z, 0, z.length);
    tw.data().get(0, lw, 0, n);
    tp.data().get(0, y, 0, y.length);
    double[] e = new double[n];
    for (int j = 0; j < m; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double r2 = 0;
        for (int k = 0; k < d; k++) {
          double diff = (double) z[i * d + k] - y[j * d + k];
          r2 += diff * diff;
        }
        e[i] = lw[i] - 0.5 * r2;
        max = Math.max(max, e[i]);
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += Math.exp(e[i] - max);
      }
      to.data().put(j, (float) (max + Math.log(sum)));
    }
  }

  @Override
  public void sgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v) {
    checkOpen();
    CpuTensor tw = own("sgdMomentum: w", w);
    CpuTensor tg = own("sgdMomentum: g", g);
    CpuTensor tv = own("sgdMomentum: v", v);
    range("sgdMomentum: w", tw, 0, n);
    range("sgdMomentum: g", tg, 0, n);
    range("sgdMomentum: v", tv, 0, n);
    if (n > 0) {
      // Three OpenBLAS passes, v *= mu; v += g; w -= lr v (PyTorch's rounding order), measured 2-3x faster
      // than one fused Java loop over the buffers (benchmarks/RESULTS.md).
      OpenBlas.sscal((int) n, mu, tv.address());
      OpenBlas.saxpy((int) n, 1f, tg.address(), tv.address());
      OpenBlas.saxpy((int) n, -lr, tv.address(), tw.address());
    }
  }

  // ---------------------------------------------------------------- random numbers

  @Override
  public void fillGaussian(Tensor t, long offset, long count, float std, long seed, long stream) {
    checkOpen();
    CpuTensor d = own("fillGaussian: t", t);
    range("fillGaussian: t", d, offset, count);
    FloatBuffer b = d.data();
    if (count >= PARALLEL_FILL) {
      // counter-based: every element depends only on its index, so splitting the range changes nothing
      long tasks = (count + FILL_TASK - 1) / FILL_TASK;
      LongStream.range(0, tasks).parallel().forEach(task -> {
        long from = task * FILL_TASK;
        fillRange(b, offset, from, Math.min(count, from + FILL_TASK), std, seed, stream, new float[CHUNK]);
      });
      return;
    }
    fillRange(b, offset, 0, count, std, seed, stream, s0);
  }

  /** Gaussians [from, to) of the stream into b[offset + from ..], through the scratch array s. */
  private static void fillRange(FloatBuffer b, long offset, long from, long to, float std, long seed, long stream,
                                float[] s) {
    for (long done = from; done < to; done += CHUNK) {
      int len = (int) Math.min(CHUNK, to - done);
      Philox.fillGaussian(s, 0, len, std, seed, stream, done);
      b.put((int) (offset + done), s, 0, len);
    }
  }

  @Override
  public void synchronize() {
    checkOpen();
  }

  /** Marks the backend closed; tensors it made stay valid until closed by their owners. */
  @Override
  public void close() {
    closed.set(true);
  }
}
