package org.nnstm.tensor;

/**
 * The op contract of nnstm: the few operations the physics needs, each on a stack of K independent
 * models at once. Every op exists on every backend; outputs are explicit arguments (BLAS style) and
 * the javadoc says which arguments are modified.
 *
 * <p>Conventions. All tensors are row-major float32. "Batched" ops run over {@code batch} independent
 * problems; problem {@code p} reads its operand at element offset {@code p * stride}; a stride of 0
 * broadcasts one operand to every problem (e.g. one input mini-batch fed to K models).
 *
 * <p>Arguments, the same on every backend (every backend extends {@link CheckedBackend}, where these rules are
 * written once). An op on a closed backend throws {@link IllegalStateException}. Each of the following throws
 * {@link IllegalArgumentException} with one line naming the op, the argument and the offending values: a null
 * tensor, array or activation; a tensor of another backend or a closed one; an extent ({@code batch}, {@code rows},
 * {@code m}, ...) below 1; a count, offset or stride below 0; a region or batched operand that does not fit its
 * tensor or array; and the aliasing that an op forbids: {@link #copy} between overlapping regions of one tensor
 * (a copy of a region onto itself included), y = z in {@link #biasActivationForward}, dz = z or dz = y in
 * {@link #activationBackward}, y = c in {@link #gemmThenAxpy}. A count of 0 (where counts may be 0) is a no-op
 * after these checks. Limits of one implementation stay its own and are stated there (CUDA: batch &lt;= 65535 in
 * gemm and columnSums; CPU: classes &lt;= 4096 in softmaxCrossEntropy). Data values are not checked here: the CPU
 * backend rejects a label that is not a class index in {@link #softmaxCrossEntropy}, the CUDA backend does not
 * read labels back (an out-of-range label gives undefined results there).
 *
 * <p>A backend is chosen once, at the edge (CLI or embedding caller; see {@link Backends}), and passed
 * down. Close it when done; closing twice is harmless.
 *
 * <p>Thread safety: a backend serves one calling thread at a time (its ops are not re-entrant; a backend may
 * use threads of its own inside an op, as the CPU backend does); tensors and the backend may be handed from
 * one thread to another between ops. Separate backends may be used from separate threads at once.
 */
public interface Backend extends AutoCloseable {

  /** Short human-readable name, e.g. {@code cpu (OpenBLAS, 1 thread)} or {@code cuda (NVIDIA H100)}. */
  String name();

  /** Kind of backend, {@code "cpu"} or {@code "cuda"}. */
  String kind();

  // ---------------------------------------------------------------- memory and transfers

  /** A new tensor of the given shape, filled with zeros. */
  Tensor zeros(int... shape);

  /** A new tensor holding a copy of {@code src} (length must equal the shape's size). */
  default Tensor upload(float[] src, int... shape) {
    if (src == null) {
      throw new IllegalArgumentException("upload: src is null");
    }
    Tensor t = zeros(shape);
    if (src.length != t.size()) {
      t.close();
      throw new IllegalArgumentException(
          "upload: array has " + src.length + " elements but shape needs " + t.size());
    }
    upload(src, 0, t, 0, src.length);
    return t;
  }

  /** Copies {@code count} floats from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. Modifies dst. */
  void upload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count);

  /** Copies {@code count} floats from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. Modifies dst. */
  void download(Tensor src, long srcOffset, float[] dst, int dstOffset, int count);

  /** The whole tensor as a new array (a device-to-host copy on GPU backends). */
  default float[] download(Tensor src) {
    if (src == null) {
      throw new IllegalArgumentException("download: src is null");
    }
    if (src.size() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of " + src.size() + " elements is too large for one array");
    }
    float[] out = new float[(int) src.size()];
    download(src, 0, out, 0, out.length);
    return out;
  }

  /** dst[dstOffset + i] = src[srcOffset + i] for i in [0, count). Modifies dst. Regions may not overlap. */
  void copy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count);

  /** t[offset + i] = value for i in [0, count). Modifies t. */
  void fill(Tensor t, long offset, long count, float value);

  // ---------------------------------------------------------------- linear algebra

  /**
   * Batched SGEMM: for p in [0, batch), C_p = alpha * op(A_p) * op(B_p) + beta * C_p, where op(X) is X or
   * X^T, op(A_p) is m x k, op(B_p) is k x n, C_p is m x n, all row-major and dense (leading dimension =
   * number of columns as stored: k or m for A, n or k for B, n for C). A_p starts at element
   * {@code p * strideA} of {@code a}, likewise B_p and C_p; strides of 0 broadcast A or B (C's stride
   * must not be 0 when batch > 1). When beta == 0, C is not read (NaNs in it do not propagate).
   * Modifies c.
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC, int batch);

  /** y[i] += alpha * x[i] for i in [0, n). Modifies y. */
  void axpy(long n, float alpha, Tensor x, Tensor y);

  /**
   * A batched GEMM into C followed by y += alpha2 * C over every C_p: exactly {@link #gemm} with the same
   * arguments, then {@link #axpy}(m * n, alpha2, C_p, Y_p) for each p, where Y_p starts at element
   * {@code p * strideC} of {@code y} (y has C's layout). The trainer's weight step: C = the momentum buffer
   * (beta = momentum), y = the weights, alpha2 = -lr. Results equal the two ops'; a backend may fuse them
   * (the CPU backend updates each panel of C while it is in cache). C must be dense (strideC = m * n).
   * Modifies c and y; y may not alias c.
   */
  void gemmThenAxpy(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC,
                    int batch, float alpha2, Tensor y);

  /**
   * The backward pass and weight step of a batch of linear layers x -> x W^T (the trainer's step of every layer
   * but the first), for p in [0, batch), with dz_p (rows x out, dense), x_p (rows x in, starting at element
   * {@code p * strideX} of {@code x}; 0 broadcasts), W_p and v_p (out x in, dense) and dx_p (rows x in, dense):
   * <pre>
   *   dx_p = dz_p W_p              (W before this call's update)
   *   v_p  = dz_p^T x_p + mu v_p   (exactly gemm(true, false, out, in, rows, 1, dz, rows*out, x, strideX,
   *                                         mu, v, out*in, batch))
   *   W_p += alpha2 v_p            (exactly axpy(batch*out*in, alpha2, v, w))
   * </pre>
   * v and W equal those of {@link #gemmThenAxpy} with these arguments. dx equals
   * gemm(false, false, rows, in, out, 1, dz, rows*out, w, out*in, 0, dx, rows*in, batch) up to the rounding of its
   * sums over {@code out} (a backend may sum them in parts, in an order fixed by the shape). A backend may fuse
   * the three (the CPU backend updates each part of W while the GEMM that read it left it in cache). Modifies
   * dx, v and w; none of them may alias each other, dz or x.
   */
  void linearBackward(int batch, int rows, int in, int out, Tensor dz, Tensor x, long strideX, float mu, Tensor v,
                      Tensor w, float alpha2, Tensor dx);

  // ---------------------------------------------------------------- network ops

  /**
   * Fused bias and activation, forward: for p &lt; batch, r &lt; rows, c &lt; cols:
   * z[p,r,c] += bias[p,c]; y[p,r,c] = phi(z[p,r,c]). z and y have shape (batch, rows, cols) (any shape of
   * that size), bias (batch, cols). After the call z holds the pre-activations. Modifies z and y; y may
   * not alias z.
   */
  void biasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias, Tensor y);

  /**
   * Activation backward: dz[i] = dy[i] * phi'(z[i]) for i &lt; n, with z the pre-activations and y = phi(z)
   * the outputs as {@link #biasActivationForward} left them. A backend computes phi' from whichever of the
   * two it needs (tanh: 1 - y^2 from the output; an activation such as erf only from z); both must be
   * given and cover n elements. Modifies dz, which may alias dy (not z or y).
   */
  void activationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz);

  /**
   * Batched column sums (the bias gradient): db[p,c] = beta * db[p,c] + sum_r dz[p,r,c], dz of shape
   * (batch, rows, cols), db (batch, cols). When beta == 0 db is not read. Modifies db.
   */
  void columnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db);

  /**
   * Softmax cross-entropy, loss and gradient, for a batch of models sharing one label vector. logits
   * (batch, rows, classes); labels (rows) holds class indices as exact floats in [0, classes). With
   * p = softmax(logits[p,r,:]): grad[p,r,c] = gradScale * (p_c - [c == label_r]) and
   * stats[p,0] = sum_r -ln p_label(r) (nats), stats[p,1] = number of rows whose argmax (first maximum)
   * equals the label. Computed stably (max subtracted). Modifies grad and stats (shape (batch, 2)).
   */
  void softmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                           float gradScale, Tensor grad, Tensor stats);

  /**
   * Cubic readout and squared error, forward and backward in one pass, for a batch of models sharing one
   * target matrix (the regression view of MNIST). With u (batch, rows, cols) the last layer's outputs, g
   * (batch) one readout coefficient per model and target (rows, cols):
   * pred[p,r,c] = u + g[p] u^3; d = pred[p,r,c] - target[r,c];
   * gradU[p,r,c] = gradScale * d * (1 + 3 g[p] u^2) (the chain rule through the readout);
   * stats[p] = sum_{r,c} d^2 (summed in a fixed order, so deterministic). Modifies pred, gradU and stats
   * (shape (batch)); gradU may alias u.
   */
  void cubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                float gradScale, Tensor pred, Tensor gradU, Tensor stats);

  /**
   * SGD with momentum in PyTorch's semantics (dampening 0, no Nesterov): v[i] = mu * v[i] + g[i];
   * w[i] = w[i] - lr * v[i], for i &lt; n. Modifies w and v.
   */
  void sgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v);

  // ---------------------------------------------------------------- density estimation

  /**
   * Gaussian kernel sums in log space, the inner loop of a KDE on whitened data: for j &lt; m,
   * out[j] = ln sum_{i&lt;n} exp(logWeights[i] - |samples_i - points_j|^2 / 2), with samples (n, d), points
   * (m, d) row-major and logWeights (n) (ln w_i; -ln n for a uniform KDE). Evaluated in double with the
   * largest exponent factored out (log-sum-exp), so a point far from every sample gives a finite, very
   * negative value instead of -infinity (as long as |z - y|^2 / 2 fits a double). Modifies out.
   */
  void gaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points, Tensor out);

  // ---------------------------------------------------------------- random numbers

  /**
   * Gaussian fill from the counter-based generator {@link Philox}: t[offset + i] = std * N_i for
   * i &lt; count, where N_i = {@link Philox#gaussian(long, long, long)}(seed, stream, i) is the i-th
   * standard normal of stream {@code stream} under key {@code seed}. Bit-identical on every backend and
   * thread count. Modifies t.
   */
  void fillGaussian(Tensor t, long offset, long count, float std, long seed, long stream);

  /** Waits until every queued op has finished (no-op on the CPU). */
  void synchronize();

  /** Releases native resources; a second call does nothing. */
  @Override
  void close();
}
