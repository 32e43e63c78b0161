package org.nnstm.backend.cpu;

import java.nio.FloatBuffer;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.CheckedBackend;
import org.nnstm.tensor.Philox;
import org.nnstm.tensor.Tensor;

/**
 * The CPU backend: GEMM and axpy through OpenBLAS ({@link OpenBlas}, axpy by way of {@link NativeAxpy}), every
 * other op as a plain Java loop over contiguous off-heap memory, worked in chunks of {@value #CHUNK} floats copied
 * into on-heap scratch arrays (bulk copies of a direct buffer are memcpy) so that the JIT vectorizes the arithmetic.
 * tanh is {@link FastTanh}, not {@link Math#tanh} (about 90x slower here; benchmarks/RESULTS.md).
 *
 * <p>Threads. Every op splits its work into tasks that depend only on the op's shape, never on the thread count,
 * and runs them on the backend's own {@code threads} threads ({@link CpuPool}); OpenBLAS itself always runs
 * single-threaded, one call per task. A batched GEMM is split per problem and, along C's longer side (rows
 * when m >= n, else columns), into {@link #gemmPanels} panels; elementwise ops into blocks; a sum (column sums, a
 * loss) is never split (linearBackward's data gradient is summed in parts whose number the shape fixes). So every
 * result is bit-identical for every thread count and for every ensemble size K (a model's GEMMs are the same
 * OpenBLAS calls whichever K it is trained in). Different OpenBLAS kernels (CPU types, see {@link #name()}) round
 * differently.
 *
 * <p>Thread safety: one backend serves one calling thread at a time (its ops are not re-entrant); tensors and
 * the backend may be handed between threads. Separate backends may be used concurrently.
 *
 * <p>Arguments are checked by {@link CheckedBackend} before an op reaches this class; what stays here is this
 * backend's own limit (at most {@value #CHUNK} classes in softmaxCrossEntropy) and the label values, which it
 * reads anyway.
 */
public final class CpuBackend extends CheckedBackend {
  static final int CHUNK = 4096;
  /** Gaussian fills at least this long are split over the backend's threads. */
  static final long PARALLEL_FILL = 1L << 18;
  private static final long FILL_TASK = 1L << 16;
  /** Elementwise ops work in blocks of this many floats (one task each). */
  private static final int BLOCK = 1 << 15;
  /** Rows of one bias+activation task. */
  private static final int ROW_BLOCK = 16;
  /** Columns of one column-sum task. */
  private static final int COL_BLOCK = 256;

  private final int threads;
  private final String name;
  private final CpuPool pool;
  private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][CHUNK]);
  /** Scratch memory of ops that need it (see {@link #scratchTensor}); null until first needed. */
  private CpuTensor scratchTensor;

  /**
   * A CPU backend that runs its ops on {@code threads} threads (the caller's and threads - 1 of its own); see
   * the class comment for how work is split. {@link Runtime#availableProcessors()} uses the whole machine.
   */
  public CpuBackend(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    OpenBlas.setThreads(1);
    this.pool = new CpuPool(threads);
    this.name = "cpu (OpenBLAS " + OpenBlas.version() + " " + OpenBlas.coreName() + " kernels, " + threads
        + (threads == 1 ? " thread)" : " threads)");
  }

  /** The CPU backend on every available processor. */
  public CpuBackend() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Panels of one GEMM whose C has n rows or columns along the split side: the largest power of two up to 8
   * that leaves panels of at least 256 (784 -> 2, 1600 -> 4, 400 -> 1). A function of the shape only, so results
   * do not depend on threads. Measured single-threaded (Haswell kernels, min of 40 rounds): panels of 400 cost
   * 1% at 64x784x784 and 2% at 784x784x64 against one call, panels of 208 cost 1.5% and 6%.
   */
  static int gemmPanels(int n) {
    int p = 1;
    while (p < 8 && n / (2 * p) >= 256) {
      p *= 2;
    }
    return p;
  }

  /** Width of each of the {@link #gemmPanels} panels (the last may be narrower): ceil(n / p) rounded up to 16. */
  static int gemmPanelWidth(int n) {
    int p = gemmPanels(n);
    int w = (n + p - 1) / p;
    return Math.min(n, (w + 15) / 16 * 16);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "cpu";
  }

  /**
   * A one-line note when the environment forces OpenBLAS onto slower kernels than this CPU supports (see
   * OPENBLAS_CORETYPE), else null.
   */
  public static String kernelNotice() {
    return OpenBlas.forcedCoreNotice();
  }

  /** The number of threads this backend's ops run on. */
  public int threads() {
    return threads;
  }

  /** A tensor of this backend ({@link CheckedBackend} has checked that it is). */
  private static CpuTensor cpu(Tensor t) {
    return (CpuTensor) t;
  }

  // ---------------------------------------------------------------- memory and transfers

  @Override
  protected Tensor doZeros(int[] shape) {
    return new CpuTensor(this, shape);
  }

  @Override
  protected void doUpload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
    CpuTensor d = cpu(dst);
    d.data().put((int) dstOffset, src, srcOffset, count);
  }

  @Override
  protected void doDownload(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
    CpuTensor s = cpu(src);
    s.data().get((int) srcOffset, dst, dstOffset, count);
  }

  @Override
  protected void doCopy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count) {
    CpuTensor s = cpu(src);
    CpuTensor d = cpu(dst);
    d.data().put((int) dstOffset, s.data(), (int) srcOffset, (int) count);
  }

  @Override
  protected void doFill(Tensor t, long offset, long count, float value) {
    CpuTensor d = cpu(t);
    FloatBuffer b = d.data();
    int end = (int) (offset + count);
    for (int i = (int) offset; i < end; i++) {
      b.put(i, value);
    }
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC, int batch) {
    gemmImpl(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch, 0f, null);
  }

  /** Each panel of C is followed at once by y += alpha2 C on the same panel (in cache), in the same task. */
  @Override
  protected void doGemmThenAxpy(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                                int batch, float alpha2, Tensor y) {
    gemmImpl(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch, alpha2, cpu(y));
  }

  private void gemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                        int batch, float alpha2, CpuTensor y) {
    CpuTensor ta = cpu(a);
    CpuTensor tb = cpu(b);
    CpuTensor tc = cpu(c);
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    // Panels of C along its longer side (rows when m >= n): each task packs a slice of one operand and all of
    // the other, so the split costs little when the other operand is the small one (the weight matrix is
    // never re-packed for the forward shapes, nor the gradient's C strided for the weight-gradient shape).
    boolean byRows = m >= n;
    int panels = gemmPanels(byRows ? m : n);
    int width = gemmPanelWidth(byRows ? m : n);
    long aAt = ta.address();
    long bAt = tb.address();
    long cAt = tc.address();
    pool.forEach(batch * panels, task -> {
      long p = task / panels;
      int j0 = (task % panels) * width;
      if (byRows) {
        int mw = Math.min(width, m - j0);
        if (mw <= 0) {
          return;
        }
        long aPanel = transA ? j0 : (long) j0 * lda;
        OpenBlas.sgemm(transA, transB, mw, n, k, alpha,
            aAt + 4 * (p * strideA + aPanel), lda, bAt + 4 * p * strideB, ldb,
            beta, cAt + 4 * (p * strideC + (long) j0 * n), n);
        if (y != null) {
          axpyRange(tc, y, alpha2, (int) (p * strideC + (long) j0 * n), mw * n);
        }
      } else {
        int nw = Math.min(width, n - j0);
        if (nw <= 0) {
          return;
        }
        long bPanel = transB ? (long) j0 * ldb : j0;
        OpenBlas.sgemm(transA, transB, m, nw, k, alpha,
            aAt + 4 * p * strideA, lda, bAt + 4 * (p * strideB + bPanel), ldb,
            beta, cAt + 4 * (p * strideC + j0), n);
        if (y != null) {
          for (int r = 0; r < m; r++) {
            axpyRange(tc, y, alpha2, (int) (p * strideC + (long) r * n + j0), nw);
          }
        }
      }
    });
  }

  /**
   * Fused per part of W where out >= in and out splits ({@link #gemmPanels}(out) > 1; otherwise the two ops as they
   * are): W_p is cut into the row panels that gemmThenAxpy gives v_p, and one
   * task per (p, panel) computes the panel of v (the same OpenBLAS call as gemmThenAxpy's), this panel's share of
   * dx_p = dz_p W_p (the GEMM over the panel's columns of dz and rows of W: reads the panel of W from memory), then
   * W's panel += alpha2 v's panel while both are in cache; so W streams from memory once for the data gradient and
   * the step together instead of twice. The shares are then added in panel order (dx = share 0 + share 1 + ...),
   * an order fixed by the shape: results do not depend on the thread count or the batch.
   */
  @Override
  protected void doLinearBackward(int batch, int rows, int in, int out, Tensor dz, Tensor x, long strideX, float mu,
                                  Tensor v, Tensor w, float alpha2, Tensor dx) {
    int panels = gemmPanels(out);
    if (panels == 1 || out < in) {
      // nothing to split W by, or gemmThenAxpy splits v by columns: the two ops as they are
      super.doLinearBackward(batch, rows, in, out, dz, x, strideX, mu, v, w, alpha2, dx);
      return;
    }
    CpuTensor tv = cpu(v);
    CpuTensor tw = cpu(w);
    CpuTensor tdx = cpu(dx);
    int width = gemmPanelWidth(out);
    long share = (long) rows * in;
    // share 0 goes straight into dx, the others into scratch (batch x (panels - 1) x rows x in); every panel holds
    // rows of W (gemmPanelWidth), so every share is written
    CpuTensor rest = scratchTensor(share * batch * (panels - 1));
    long dzAt = cpu(dz).address();
    long xAt = cpu(x).address();
    long vAt = tv.address();
    long wAt = tw.address();
    long weights = (long) out * in;
    pool.forEach(batch * panels, task -> {
      int p = task / panels;
      int panel = task % panels;
      int j0 = panel * width;
      int mw = Math.min(width, out - j0);
      long dzPanel = dzAt + 4 * ((long) p * rows * out + j0);
      long wPanel = 4 * (p * weights + (long) j0 * in);
      OpenBlas.sgemm(true, false, mw, in, rows, 1f, dzPanel, out, xAt + 4 * p * strideX, in, mu, vAt + wPanel, in);
      long shareAt = panel == 0 ? tdx.address() + 4 * p * share
          : rest.address() + 4 * share * ((long) p * (panels - 1) + panel - 1);
      OpenBlas.sgemm(false, false, rows, in, mw, 1f, dzPanel, out, wAt + wPanel, in, 0f, shareAt, in);
      axpyRange(tv, tw, alpha2, (int) (p * weights + (long) j0 * in), mw * in);
    });
    FloatBuffer dxb = tdx.data();
    FloatBuffer rb = rest.data();
    int blocksPer = (int) ((share + CHUNK - 1) / CHUNK);
    pool.forEach(batch * blocksPer, task -> {
      int p = task / blocksPer;
      int at = (task % blocksPer) * CHUNK;
      int len = (int) Math.min(CHUNK, share - at);
      float[][] s = scratch.get();
      float[] acc = s[0];
      float[] part = s[1];
      dxb.get((int) (p * share + at), acc, 0, len);
      for (int q = 1; q < panels; q++) {
        rb.get((int) (share * ((long) p * (panels - 1) + q - 1) + at), part, 0, len);
        for (int i = 0; i < len; i++) {
          acc[i] += part[i];
        }
      }
      dxb.put((int) (p * share + at), acc, 0, len);
    });
  }

  /** The backend's scratch tensor of at least n floats (grown as needed, contents undefined, closed with it). */
  private CpuTensor scratchTensor(long n) {
    if (scratchTensor == null || scratchTensor.size() < n) {
      if (scratchTensor != null) {
        scratchTensor.close();
      }
      scratchTensor = new CpuTensor(this, new int[] {Math.toIntExact(n)});
    }
    return scratchTensor;
  }

  @Override
  protected void doAxpy(long n, float alpha, Tensor x, Tensor y) {
    CpuTensor tx = cpu(x);
    CpuTensor ty = cpu(y);
    // OpenBLAS's saxpy on whole multiples of 64 elements, the rest by the same rounding rule (NativeAxpy): every
    // element rounds the same way wherever it sits in the vector, so a model's update does not depend on the
    // ensemble size K or on how the vector is split into tasks.
    blocks(n, (from, count) -> axpyRange(tx, ty, alpha, (int) from, count));
  }

  /** y[at + i] += alpha * x[at + i] for i &lt; count ({@link NativeAxpy}), with this thread's scratch arrays. */
  private void axpyRange(CpuTensor x, CpuTensor y, float alpha, int from, int count) {
    float[][] s = scratch.get();
    NativeAxpy.range(x, y, alpha, from, count, s[0], s[1]);
  }

  /** Runs {@code body(from, len)} over [0, n) in blocks of {@value #BLOCK} elements, one task each. */
  private void blocks(long n, BlockBody body) {
    if (n <= 0) {
      return;
    }
    long tasks = (n + BLOCK - 1) / BLOCK;
    if (tasks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(n + " elements is too many for one op");
    }
    pool.forEach((int) tasks, t -> {
      long from = (long) t * BLOCK;
      body.run(from, (int) Math.min(BLOCK, n - from));
    });
  }

  @FunctionalInterface
  private interface BlockBody {
    void run(long from, int len);
  }

  // ---------------------------------------------------------------- network ops

  @Override
  protected void doBiasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias,
                                         Tensor y) {
    CpuTensor tz = cpu(z);
    CpuTensor tbias = cpu(bias);
    CpuTensor ty = cpu(y);
    FloatBuffer zb = tz.data();
    FloatBuffer yb = ty.data();
    FloatBuffer bb = tbias.data();
    int rowBlocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
    pool.forEach(batch * rowBlocks, task -> {
      int p = task / rowBlocks;
      int r0 = (task % rowBlocks) * ROW_BLOCK;
      int r1 = Math.min(rows, r0 + ROW_BLOCK);
      float[][] s = scratch.get();
      float[] zs = s[0];
      float[] bs = s[1];
      float[] ys = s[2];
      for (int c0 = 0; c0 < cols; c0 += CHUNK) {
        int len = Math.min(CHUNK, cols - c0);
        bb.get(p * cols + c0, bs, 0, len);
        for (int r = r0; r < r1; r++) {
          int at = (p * rows + r) * cols + c0;
          zb.get(at, zs, 0, len);
          for (int i = 0; i < len; i++) {
            zs[i] += bs[i];
          }
          zb.put(at, zs, 0, len);
          CpuActivation.forward(phi, zs, ys, len);
          yb.put(at, ys, 0, len);
        }
      }
    });
  }

  @Override
  protected void doActivationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz) {
    CpuTensor tdy = cpu(dy);
    CpuTensor tz = cpu(z);
    CpuTensor ty = cpu(y);
    CpuTensor tdz = cpu(dz);
    FloatBuffer dyb = tdy.data();
    FloatBuffer zb = tz.data();
    FloatBuffer yb = ty.data();
    FloatBuffer dzb = tdz.data();
    blocks(n, (from, count) -> {
      float[][] s = scratch.get();
      float[] g = s[0];
      float[] buf = s[1];
      for (int at = (int) from, end = (int) from + count; at < end; at += CHUNK) {
        int len = Math.min(CHUNK, end - at);
        dyb.get(at, g, 0, len);
        CpuActivation.backward(phi, g, zb, yb, at, buf, len);
        dzb.put(at, g, 0, len);
      }
    });
  }

  @Override
  protected void doColumnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db) {
    CpuTensor tdz = cpu(dz);
    CpuTensor tdb = cpu(db);
    FloatBuffer zb = tdz.data();
    FloatBuffer bb = tdb.data();
    int colBlocks = (cols + COL_BLOCK - 1) / COL_BLOCK;
    pool.forEach(batch * colBlocks, task -> {
      int p = task / colBlocks;
      int c0 = (task % colBlocks) * COL_BLOCK;
      int len = Math.min(COL_BLOCK, cols - c0);
      float[][] s = scratch.get();
      float[] acc = s[0];
      float[] row = s[1];
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
    });
  }

  @Override
  protected void doSoftmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                       float gradScale, Tensor grad, Tensor stats) {
    CpuTensor tl = cpu(logits);
    CpuTensor tlab = cpu(labels);
    CpuTensor tg = cpu(grad);
    CpuTensor ts = cpu(stats);
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
    FloatBuffer sb = ts.data();
    pool.forEach(batch, p -> {
      float[][] s = scratch.get();
      float[] z = s[0];
      float[] g = s[1];
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
      sb.put(2 * p, (float) loss);
      sb.put(2 * p + 1, (float) correct);
    });
  }

  @Override
  protected void doCubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                            float gradScale, Tensor pred, Tensor gradU, Tensor stats) {
    CpuTensor tu = cpu(u);
    CpuTensor tg = cpu(g);
    CpuTensor tt = cpu(target);
    CpuTensor tp = cpu(pred);
    CpuTensor td = cpu(gradU);
    CpuTensor ts = cpu(stats);
    long per = (long) rows * cols;
    FloatBuffer ub = tu.data();
    FloatBuffer tb = tt.data();
    FloatBuffer pb = tp.data();
    FloatBuffer db = td.data();
    FloatBuffer gb = tg.data();
    FloatBuffer sb = ts.data();
    pool.forEach(batch, p -> {
      float[][] s = scratch.get();
      float[] uu = s[0];
      float[] tgt = s[1];
      float[] out = s[2];
      float gp = gb.get(p);
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
      sb.put(p, (float) sse);
    });
  }

  @Override
  protected void doGaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points,
                                         Tensor out) {
    CpuTensor ts = cpu(samples);
    CpuTensor tw = cpu(logWeights);
    CpuTensor tp = cpu(points);
    CpuTensor to = cpu(out);
    float[] z = new float[n * d];
    float[] lw = new float[n];
    float[] y = new float[m * d];
    ts.data().get(0, z, 0, z.length);
    tw.data().get(0, lw, 0, n);
    tp.data().get(0, y, 0, y.length);
    FloatBuffer ob = to.data();
    int pointBlock = 64;
    pool.forEach((m + pointBlock - 1) / pointBlock, task -> {
      double[] e = new double[n];
      for (int j = task * pointBlock, jEnd = Math.min(m, j + pointBlock); j < jEnd; j++) {
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
        ob.put(j, (float) (max + Math.log(sum)));
      }
    });
  }

  @Override
  protected void doSgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v) {
    CpuTensor tw = cpu(w);
    CpuTensor tg = cpu(g);
    CpuTensor tv = cpu(v);
    // One Java pass per block, v = mu v + g; w = w - lr v, each product and sum rounded separately (PyTorch's
    // order; position-independent rounding, see axpy).
    FloatBuffer wb = tw.data();
    FloatBuffer gb = tg.data();
    FloatBuffer vb = tv.data();
    blocks(n, (from, count) -> {
      float[][] s = scratch.get();
      float[] ws = s[0];
      float[] gs = s[1];
      float[] vs = s[2];
      for (int at = (int) from, end = (int) from + count; at < end; at += CHUNK) {
        int len = Math.min(CHUNK, end - at);
        wb.get(at, ws, 0, len);
        gb.get(at, gs, 0, len);
        vb.get(at, vs, 0, len);
        for (int i = 0; i < len; i++) {
          float vel = mu * vs[i] + gs[i];
          vs[i] = vel;
          ws[i] -= lr * vel;
        }
        vb.put(at, vs, 0, len);
        wb.put(at, ws, 0, len);
      }
    });
  }


  // ---------------------------------------------------------------- random numbers

  @Override
  protected void doFillGaussian(Tensor t, long offset, long count, float std, long seed, long stream) {
    CpuTensor d = cpu(t);
    FloatBuffer b = d.data();
    if (count >= PARALLEL_FILL) {
      // counter-based: every element depends only on its index, so splitting the range changes nothing
      long tasks = (count + FILL_TASK - 1) / FILL_TASK;
      pool.forEach((int) tasks, task -> {
        long from = task * FILL_TASK;
        fillRange(b, offset, from, Math.min(count, from + FILL_TASK), std, seed, stream, scratch.get()[0]);
      });
      return;
    }
    fillRange(b, offset, 0, count, std, seed, stream, scratch.get()[0]);
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
  protected void doSynchronize() {
    // every op has finished when it returns
  }

  /** Stops the worker threads; tensors this backend made stay valid until closed by their owners. */
  @Override
  protected void release() {
    pool.close();
    if (scratchTensor != null) {
      scratchTensor.close();
    }
  }
}
