package org.nnstm.tensor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The argument checks of the {@link Backend} contract, written once: every backend extends this class. Each
 * public op is final; it checks the backend is open (else {@link IllegalStateException}), that every tensor is
 * non-null, of this backend ({@link Tensor#backend()} {@code == this}) and open, that every extent and stride is
 * in range and every region fits its tensor or array, and the aliasing rules of {@link Backend}; then it calls the
 * protected {@code doXxx} op of the implementation, which may assume all of that (and cast the tensors to its own
 * type). A region of 0 elements is checked and then skipped: the {@code doXxx} op is not called.
 *
 * <p>Every violation throws {@link IllegalArgumentException} with one line naming the op, the argument and the
 * offending values, e.g. {@code fill: t: offset 4 + count 2 does not fit a tensor of 5 elements}. The checks are
 * O(1) per op (no per-element work: label values of {@link #softmaxCrossEntropy} are data, checked by a backend
 * that reads them, not here). Limits of one implementation (CUDA's grid size, the CPU's classes per row) stay in
 * that implementation.
 *
 * <p>{@link #close()} is idempotent: the first call runs {@link #release()}, later calls do nothing.
 */
public abstract class CheckedBackend implements Backend {
  private final AtomicBoolean closed = new AtomicBoolean();

  protected CheckedBackend() {}

  // ---------------------------------------------------------------- the implementation's ops, arguments checked

  /** A zero-filled tensor of this backend; the shape is valid ({@link Tensor#checkedSize}). */
  protected abstract Tensor doZeros(int[] shape);

  /** {@link #upload(float[], int, Tensor, long, int)} with count >= 1 and both regions in range. */
  protected abstract void doUpload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count);

  /** {@link #download(Tensor, long, float[], int, int)} with count >= 1 and both regions in range. */
  protected abstract void doDownload(Tensor src, long srcOffset, float[] dst, int dstOffset, int count);

  /** {@link #copy} with count >= 1, both regions in range and not overlapping. */
  protected abstract void doCopy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count);

  /** {@link #fill} with count >= 1 and the region in range. */
  protected abstract void doFill(Tensor t, long offset, long count, float value);

  /** {@link #gemm} with extents >= 1, strides >= 0 (strideC > 0 when batch > 1) and every problem in range. */
  protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                                 int batch);

  /**
   * {@link #gemmThenAxpy} with the arguments of {@link #doGemm} checked, C dense, y in range and distinct from c.
   * This default runs {@link #doGemm} then {@link #doAxpy} over batch * m * n elements; a backend may fuse them.
   */
  protected void doGemmThenAxpy(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                                int batch, float alpha2, Tensor y) {
    doGemm(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch);
    doAxpy((long) m * n * batch, alpha2, c, y);
  }

  /**
   * {@link #linearBackward} with extents >= 1, every operand in range and dx, v, w distinct from each other and
   * from dz and x. This default runs {@link #doGemm} for dx, then {@link #doGemmThenAxpy}; a backend may fuse them.
   */
  protected void doLinearBackward(int batch, int rows, int in, int out, Tensor dz, Tensor x, long strideX, float mu,
                                  Tensor v, Tensor w, float alpha2, Tensor dx) {
    long weights = (long) out * in;
    doGemm(false, false, rows, in, out, 1f, dz, (long) rows * out, w, weights, 0f, dx, (long) rows * in, batch);
    doGemmThenAxpy(true, false, out, in, rows, 1f, dz, (long) rows * out, x, strideX, mu, v, weights, batch, alpha2,
        w);
  }

  /** {@link #axpy} with n >= 1 and both vectors in range. */
  protected abstract void doAxpy(long n, float alpha, Tensor x, Tensor y);

  /** {@link #biasActivationForward} with phi non-null, extents >= 1, tensors in range and y distinct from z. */
  protected abstract void doBiasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z,
                                                  Tensor bias, Tensor y);

  /** {@link #activationBackward} with phi non-null, n >= 1, tensors in range and dz distinct from z and y. */
  protected abstract void doActivationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz);

  /** {@link #columnSums} with extents >= 1 and tensors in range. */
  protected abstract void doColumnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db);

  /** {@link #softmaxCrossEntropy} with extents >= 1 and tensors in range (label values not read). */
  protected abstract void doSoftmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                                float gradScale, Tensor grad, Tensor stats);

  /** {@link #cubicReadoutSquaredError} with extents >= 1 and tensors in range. */
  protected abstract void doCubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                                     float gradScale, Tensor pred, Tensor gradU, Tensor stats);

  /** {@link #sgdMomentum} with n >= 1 and tensors in range. */
  protected abstract void doSgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v);

  /** {@link #gaussianKernelLogSums} with extents >= 1 and tensors in range. */
  protected abstract void doGaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights,
                                                  Tensor points, Tensor out);

  /** {@link #fillGaussian} with count >= 1 and the region in range. */
  protected abstract void doFillGaussian(Tensor t, long offset, long count, float std, long seed, long stream);

  /** {@link #synchronize} on an open backend. */
  protected abstract void doSynchronize();

  /** Releases the native resources; called once, by the first {@link #close()}. */
  protected abstract void release();

  // ---------------------------------------------------------------- lifecycle

  /** True once {@link #close()} has run. */
  public final boolean isClosed() {
    return closed.get();
  }

  /** Throws {@link IllegalStateException} if this backend is closed. */
  protected final void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("backend " + name() + " is closed");
    }
  }

  @Override
  public final void synchronize() {
    checkOpen();
    doSynchronize();
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }

  // ---------------------------------------------------------------- memory and transfers

  @Override
  public final Tensor zeros(int... shape) {
    checkOpen();
    if (shape == null) {
      throw new IllegalArgumentException("zeros: shape is null");
    }
    Tensor.checkedSize(shape);
    return doZeros(shape);
  }

  @Override
  public final void upload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
    checkOpen();
    array("upload", "src", src, srcOffset, count);
    operand("upload", "dst", dst, dstOffset, count);
    if (count > 0) {
      doUpload(src, srcOffset, dst, dstOffset, count);
    }
  }

  @Override
  public final void download(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
    checkOpen();
    operand("download", "src", src, srcOffset, count);
    array("download", "dst", dst, dstOffset, count);
    if (count > 0) {
      doDownload(src, srcOffset, dst, dstOffset, count);
    }
  }

  /** As {@link Backend#copy}; regions of one tensor that overlap at all, a copy onto itself included, are rejected. */
  @Override
  public final void copy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count) {
    checkOpen();
    operand("copy", "src", src, srcOffset, count);
    operand("copy", "dst", dst, dstOffset, count);
    if (src == dst && count > 0 && srcOffset < dstOffset + count && dstOffset < srcOffset + count) {
      throw new IllegalArgumentException("copy: regions [" + srcOffset + ", +" + count + ") and ["
          + dstOffset + ", +" + count + ") of one tensor overlap");
    }
    if (count > 0) {
      doCopy(src, srcOffset, dst, dstOffset, count);
    }
  }

  @Override
  public final void fill(Tensor t, long offset, long count, float value) {
    checkOpen();
    operand("fill", "t", t, offset, count);
    if (count > 0) {
      doFill(t, offset, count, value);
    }
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  public final void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                         int batch) {
    checkGemm("gemm", m, n, k, a, strideA, b, strideB, c, strideC, batch);
    doGemm(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch);
  }

  @Override
  public final void gemmThenAxpy(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c,
                                 long strideC, int batch, float alpha2, Tensor y) {
    checkGemm("gemmThenAxpy", m, n, k, a, strideA, b, strideB, c, strideC, batch);
    if (strideC != (long) m * n) {
      throw new IllegalArgumentException("gemmThenAxpy: C must be dense (strideC " + strideC + ", m * n "
          + (long) m * n + ")");
    }
    operand("gemmThenAxpy", "y", y, (long) m * n * batch);
    if (y == c) {
      throw new IllegalArgumentException("gemmThenAxpy: y may not alias c");
    }
    doGemmThenAxpy(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch, alpha2, y);
  }

  @Override
  public final void linearBackward(int batch, int rows, int in, int out, Tensor dz, Tensor x, long strideX,
                                   float mu, Tensor v, Tensor w, float alpha2, Tensor dx) {
    String op = "linearBackward";
    checkOpen();
    positive(op, "batch", batch);
    positive(op, "rows", rows);
    positive(op, "in", in);
    positive(op, "out", out);
    if (strideX < 0) {
      throw new IllegalArgumentException(op + ": strideX must be >= 0, got " + strideX);
    }
    long weights = (long) out * in;
    operand(op, "dz", dz, (long) rows * out * batch);
    operand(op, "x", x, strideX * (batch - 1) + (long) rows * in);
    operand(op, "v", v, weights * batch);
    operand(op, "w", w, weights * batch);
    operand(op, "dx", dx, (long) rows * in * batch);
    Tensor[] all = {dx, v, w, dz, x};
    String[] names = {"dx", "v", "w", "dz", "x"};
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < all.length; j++) {
        if (all[i] == all[j]) {
          throw new IllegalArgumentException(op + ": " + names[i] + " may not alias " + names[j]);
        }
      }
    }
    doLinearBackward(batch, rows, in, out, dz, x, strideX, mu, v, w, alpha2, dx);
  }

  private void checkGemm(String op, int m, int n, int k, Tensor a, long strideA, Tensor b, long strideB, Tensor c,
                         long strideC, int batch) {
    checkOpen();
    positive(op, "m", m);
    positive(op, "n", n);
    positive(op, "k", k);
    positive(op, "batch", batch);
    tensor(op, "a", a);
    tensor(op, "b", b);
    tensor(op, "c", c);
    if (strideA < 0 || strideB < 0 || strideC < 0) {
      throw new IllegalArgumentException(op + ": strides must be >= 0, got strideA " + strideA
          + ", strideB " + strideB + ", strideC " + strideC);
    }
    if (strideC == 0 && batch > 1) {
      throw new IllegalArgumentException(op + ": strideC is 0 with batch " + batch);
    }
    batched(op, "a", m, k, a, strideA, batch);
    batched(op, "b", k, n, b, strideB, batch);
    batched(op, "c", m, n, c, strideC, batch);
  }

  @Override
  public final void axpy(long n, float alpha, Tensor x, Tensor y) {
    checkOpen();
    operand("axpy", "x", x, n);
    operand("axpy", "y", y, n);
    if (n > 0) {
      doAxpy(n, alpha, x, y);
    }
  }

  // ---------------------------------------------------------------- network ops

  @Override
  public final void biasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias,
                                          Tensor y) {
    String op = "biasActivationForward";
    checkOpen();
    notNull(op, "phi", phi);
    positive(op, "batch", batch);
    positive(op, "rows", rows);
    positive(op, "cols", cols);
    long total = (long) batch * rows * cols;
    operand(op, "z", z, total);
    operand(op, "bias", bias, (long) batch * cols);
    operand(op, "y", y, total);
    if (y == z) {
      throw new IllegalArgumentException(op + ": y may not alias z");
    }
    doBiasActivationForward(phi, batch, rows, cols, z, bias, y);
  }

  @Override
  public final void activationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz) {
    String op = "activationBackward";
    checkOpen();
    notNull(op, "phi", phi);
    operand(op, "dy", dy, n);
    operand(op, "z", z, n);
    operand(op, "y", y, n);
    operand(op, "dz", dz, n);
    if (dz == z || dz == y) {
      throw new IllegalArgumentException(op + ": dz may not alias " + (dz == z ? "z" : "y"));
    }
    if (n > 0) {
      doActivationBackward(phi, n, dy, z, y, dz);
    }
  }

  @Override
  public final void columnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db) {
    String op = "columnSums";
    checkOpen();
    positive(op, "batch", batch);
    positive(op, "rows", rows);
    positive(op, "cols", cols);
    operand(op, "dz", dz, (long) batch * rows * cols);
    operand(op, "db", db, (long) batch * cols);
    doColumnSums(batch, rows, cols, dz, beta, db);
  }

  @Override
  public final void softmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                        float gradScale, Tensor grad, Tensor stats) {
    String op = "softmaxCrossEntropy";
    checkOpen();
    positive(op, "batch", batch);
    positive(op, "rows", rows);
    positive(op, "classes", classes);
    long total = (long) batch * rows * classes;
    operand(op, "logits", logits, total);
    operand(op, "labels", labels, rows);
    operand(op, "grad", grad, total);
    operand(op, "stats", stats, 2L * batch);
    doSoftmaxCrossEntropy(batch, rows, classes, logits, labels, gradScale, grad, stats);
  }

  @Override
  public final void cubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                             float gradScale, Tensor pred, Tensor gradU, Tensor stats) {
    String op = "cubicReadoutSquaredError";
    checkOpen();
    positive(op, "batch", batch);
    positive(op, "rows", rows);
    positive(op, "cols", cols);
    long per = (long) rows * cols;
    operand(op, "u", u, per * batch);
    operand(op, "g", g, batch);
    operand(op, "target", target, per);
    operand(op, "pred", pred, per * batch);
    operand(op, "gradU", gradU, per * batch);
    operand(op, "stats", stats, batch);
    doCubicReadoutSquaredError(batch, rows, cols, u, g, target, gradScale, pred, gradU, stats);
  }

  @Override
  public final void sgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v) {
    String op = "sgdMomentum";
    checkOpen();
    operand(op, "w", w, n);
    operand(op, "g", g, n);
    operand(op, "v", v, n);
    if (n > 0) {
      doSgdMomentum(n, lr, mu, w, g, v);
    }
  }

  // ---------------------------------------------------------------- density estimation

  @Override
  public final void gaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points,
                                          Tensor out) {
    String op = "gaussianKernelLogSums";
    checkOpen();
    positive(op, "n", n);
    positive(op, "m", m);
    positive(op, "d", d);
    operand(op, "samples", samples, (long) n * d);
    operand(op, "logWeights", logWeights, n);
    operand(op, "points", points, (long) m * d);
    operand(op, "out", out, m);
    doGaussianKernelLogSums(n, m, d, samples, logWeights, points, out);
  }

  // ---------------------------------------------------------------- random numbers

  @Override
  public final void fillGaussian(Tensor t, long offset, long count, float std, long seed, long stream) {
    checkOpen();
    operand("fillGaussian", "t", t, offset, count);
    if (count > 0) {
      doFillGaussian(t, offset, count, std, seed, stream);
    }
  }

  // ---------------------------------------------------------------- checks
  // Each takes the op's and the argument's names apart and joins them only to throw: no work beyond the
  // comparisons when the arguments are good.

  private static void notNull(String op, String arg, Object o) {
    if (o == null) {
      throw new IllegalArgumentException(op + ": " + arg + " is null");
    }
  }

  /** t is non-null, of this backend and open. */
  private void tensor(String op, String arg, Tensor t) {
    notNull(op, arg, t);
    if (t.backend() != this) {
      throw new IllegalArgumentException(op + ": " + arg + " belongs to " + t.backend().name() + ", not to "
          + name() + "; transfer it explicitly with download/upload");
    }
    if (t.isClosed()) {
      throw new IllegalArgumentException(op + ": " + arg + " is closed");
    }
  }

  /** t is non-null, of this backend and open, and its first count elements exist. */
  private void operand(String op, String arg, Tensor t, long count) {
    operand(op, arg, t, 0, count);
  }

  /** t is non-null, of this backend and open, and [offset, offset + count) lies in it. */
  private void operand(String op, String arg, Tensor t, long offset, long count) {
    tensor(op, arg, t);
    range(op, arg, t, offset, count);
  }

  /** [offset, offset + count) lies in t. */
  private static void range(String op, String arg, Tensor t, long offset, long count) {
    if (offset < 0 || count < 0 || offset > t.size() || count > t.size() - offset) {
      throw new IllegalArgumentException(op + ": " + arg + ": offset " + offset + " + count " + count
          + " does not fit a tensor of " + t.size() + " elements");
    }
  }

  /** a is non-null and [offset, offset + count) lies in it. */
  private static void array(String op, String arg, float[] a, int offset, int count) {
    notNull(op, arg, a);
    if (offset < 0 || count < 0 || offset > a.length - count) {
      throw new IllegalArgumentException(op + ": " + arg + ": offset " + offset + " + count " + count
          + " does not fit an array of " + a.length + " elements");
    }
  }

  private static void positive(String op, String arg, long v) {
    if (v < 1) {
      throw new IllegalArgumentException(op + ": " + arg + " must be >= 1, got " + v);
    }
  }

  /**
   * Problems p < batch of rows x cols elements at p * stride (stride >= 0, batch >= 1) lie in t, named
   * {@code op: arg (rows x cols)} in the message.
   */
  private static void batched(String op, String arg, int rows, int cols, Tensor t, long stride, int batch) {
    long span = (long) rows * cols;
    long last = batch - 1L;
    long need = stride == 0 || last <= (Long.MAX_VALUE - span) / stride ? last * stride + span : Long.MAX_VALUE;
    if (need > t.size()) {
      throw new IllegalArgumentException(op + ": " + arg + " (" + rows + "x" + cols + "): batch " + batch
          + " with stride " + stride + " needs "
          + (need == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(need))
          + " elements, the tensor has " + t.size());
    }
  }
}
