package org.nnstm.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendUnavailableException;
import org.nnstm.tensor.Tensor;

/**
 * The CUDA backend: custom kernels (cuda/*.cu, compiled to PTX by tools/build-ptx) launched through the
 * CUDA driver API (JCuda's JCudaDriver; no cuBLAS). One context on one device; every op is queued on the
 * default stream, transfers (cuMemcpyHtoD/DtoH) are synchronous. Driver errors surface as JCuda's
 * CudaException (exceptions are enabled), allocation failures as {@link DeviceOutOfMemoryException}.
 *
 * <p>Numerics against the CPU backend: GEMM sums in a different order (FLOAT_SUM tolerances);
 * tanh uses tanhf (at most 2 ulp); softmax uses expf/logf; SGD, axpy and fill are bit-identical to
 * plain float arithmetic; {@link #fillGaussian} is bit-identical to {@link org.nnstm.tensor.Philox}.
 */
public final class CudaBackend implements Backend {
  private static final int THREADS = 256;
  private static final int MAX_BLOCKS = 65535 * 8;

  private final CUcontext context;
  private final String deviceName;
  private final int multiprocessors;
  private final int ccMajor;
  private final int ccMinor;
  private final int clockKHz;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<PtxModule> modules = new ArrayList<>();
  private final CUfunction sgemmLarge;
  private final CUfunction sgemmSmall;
  private final CUfunction biasActivationForward;
  private final CUfunction activationBackward;
  private final CUfunction columnSums;
  private final CUfunction softmaxCrossEntropy;
  private final CUfunction cubicReadoutSquaredError;
  private final CUfunction kdePartial;
  private final CUfunction kdeCombine;
  private final CUfunction sgdMomentum;
  private final CUfunction axpy;
  private final CUfunction fill;
  private final CUfunction fillGaussian;

  private CudaBackend(CUcontext context, String deviceName, int multiprocessors, int ccMajor, int ccMinor,
                      int clockKHz) {
    this.context = context;
    this.ccMajor = ccMajor;
    this.ccMinor = ccMinor;
    this.clockKHz = clockKHz;
    this.deviceName = deviceName;
    this.multiprocessors = multiprocessors;
    PtxModule gemm = load("gemm");
    PtxModule activation = load("activation");
    PtxModule reduce = load("reduce");
    PtxModule loss = load("loss");
    PtxModule optim = load("optim");
    PtxModule rng = load("rng");
    PtxModule kde = load("kde");
    sgemmLarge = gemm.function("sgemm_128x128");
    sgemmSmall = gemm.function("sgemm_64x64");
    biasActivationForward = activation.function("bias_activation_forward");
    activationBackward = activation.function("activation_backward");
    columnSums = reduce.function("column_sums");
    softmaxCrossEntropy = loss.function("softmax_cross_entropy_forward");
    cubicReadoutSquaredError = loss.function("cubic_readout_squared_error");
    sgdMomentum = optim.function("sgd_momentum");
    axpy = optim.function("axpy");
    fill = optim.function("fill");
    fillGaussian = rng.function("fill_gaussian");
    kdePartial = kde.function("kde_partial");
    kdeCombine = kde.function("kde_combine");
  }

  private PtxModule load(String name) {
    PtxModule m = new PtxModule(name);
    modules.add(m);
    return m;
  }

  /**
   * Opens device {@code device}: initialises the driver, creates a context and loads the PTX modules.
   *
   * @throws BackendUnavailableException with the reason when the JCuda natives, the driver or the
   *     device are missing or fail to initialise
   */
  /** Why JCuda's natives first failed to load in this process (a second try only sees NoClassDefFoundError). */
  private static volatile String firstFailure;

  public static CudaBackend open(int device) {
    if (device < 0) {
      throw new IllegalArgumentException("CUDA device index must be >= 0, got " + device);
    }
    CUcontext ctx = null;
    try {
      JCudaDriver.setExceptionsEnabled(true);
      JCudaDriver.cuInit(0);
      int[] count = new int[1];
      JCudaDriver.cuDeviceGetCount(count);
      if (device >= count[0]) {
        throw new BackendUnavailableException(
            "no CUDA device " + device + ": the driver reports " + count[0] + " device(s)", null);
      }
      CUdevice dev = new CUdevice();
      JCudaDriver.cuDeviceGet(dev, device);
      byte[] nameBytes = new byte[256];
      JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev);
      String name = new String(nameBytes, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
      int[] sms = new int[1];
      JCudaDriver.cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
      int[] major = new int[1];
      int[] minor = new int[1];
      int[] clock = new int[1];
      JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
      JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
      JCudaDriver.cuDeviceGetAttribute(clock, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, dev);
      ctx = new CUcontext();
      JCudaDriver.cuCtxCreate(ctx, 0, dev);
      return new CudaBackend(ctx, name, sms[0], major[0], minor[0], clock[0]);
    } catch (LinkageError | CudaException e) {
      if (ctx != null) {
        try {
          JCudaDriver.cuCtxDestroy(ctx);
        } catch (RuntimeException | LinkageError ignored) {
          // the context is unusable anyway; the cause below says why
        }
      }
      String reason = shortReason(e);
      if (e instanceof NoClassDefFoundError && firstFailure != null) {
        reason = firstFailure; // JCuda's classes failed to initialise earlier in this process: that cause
      } else if (e instanceof LinkageError) {
        firstFailure = reason;
      }
      throw new BackendUnavailableException(reason, e);
    }
  }

  /**
   * One short line out of JCuda's multi-line loader messages: "no NVIDIA driver (libcuda.so.1 not found)"
   * when the driver library is missing, "CUDA library X not found" for another missing library, else
   * "no CUDA device: " and the first line of the cause.
   */
  static String shortReason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    String marker = ": cannot open shared object file";
    for (String line : message.split("\n")) {
      int at = line.indexOf(marker);
      if (at >= 0) {
        String before = line.substring(0, at);
        String lib = before.substring(Math.max(before.lastIndexOf(": ") + 2, before.lastIndexOf('/') + 1)).trim();
        return lib.startsWith("libcuda.so") ? "no NVIDIA driver (" + lib + " not found)"
            : "CUDA library " + lib + " not found";
      }
    }
    return "no CUDA device: " + e.getClass().getSimpleName() + ": " + message.split("\n", 2)[0];
  }

  @Override
  public String name() {
    return "cuda (" + deviceName + ")";
  }

  @Override
  public String kind() {
    return "cuda";
  }

  /** Number of streaming multiprocessors of the device. */
  public int multiprocessors() {
    return multiprocessors;
  }

  /** Compute capability as "major.minor", e.g. "9.0". */
  public String computeCapability() {
    return ccMajor + "." + ccMinor;
  }

  /**
   * Nominal FP32 peak in FLOP/s: multiprocessors x FP32 lanes per multiprocessor (64 on compute
   * capability 8.0, 128 on 8.6, 8.9 and 9.x) x 2 (one FMA) x the maximum clock the driver reports; NaN
   * for other architectures. An estimate for benchmark tables, not a measurement.
   */
  public double peakFp32Flops() {
    int lanes = (ccMajor == 8 && ccMinor == 0) ? 64 : (ccMajor == 8 || ccMajor == 9) ? 128 : 0;
    return lanes == 0 ? Double.NaN : (double) multiprocessors * lanes * 2 * clockKHz * 1e3;
  }

  boolean isClosed() {
    return closed.get();
  }

  void makeCurrent() {
    JCudaDriver.cuCtxSetCurrent(context);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("CUDA backend " + deviceName + " is closed");
    }
  }

  // ---------------------------------------------------------------- memory and transfers

  @Override
  public Tensor zeros(int... shape) {
    checkOpen();
    long bytes = Tensor.checkedSize(shape) * Float.BYTES;
    makeCurrent();
    CUdeviceptr p = new CUdeviceptr();
    try {
      JCudaDriver.cuMemAlloc(p, bytes);
    } catch (CudaException e) {
      if (String.valueOf(e.getMessage()).contains("OUT_OF_MEMORY")) {
        throw new DeviceOutOfMemoryException(bytes, deviceName, e);
      }
      throw e;
    }
    JCudaDriver.cuMemsetD32(p, 0, bytes / Float.BYTES);
    return new CudaTensor(this, shape, new DeviceBuffer(this, p, bytes));
  }

  @Override
  public void upload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
    DeviceBuffer d = own(dst, "upload dst");
    checkArray("upload src", src.length, srcOffset, count);
    checkRange("upload dst", dst, dstOffset, count);
    if (count == 0) {
      return;
    }
    makeCurrent();
    JCudaDriver.cuMemcpyHtoD(d.at(dstOffset), Pointer.to(src).withByteOffset((long) srcOffset * Float.BYTES),
        (long) count * Float.BYTES);
  }

  @Override
  public void download(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
    DeviceBuffer s = own(src, "download src");
    checkRange("download src", src, srcOffset, count);
    checkArray("download dst", dst.length, dstOffset, count);
    if (count == 0) {
      return;
    }
    makeCurrent();
    JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES), s.at(srcOffset),
        (long) count * Float.BYTES);
  }

  @Override
  public void copy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count) {
    DeviceBuffer s = own(src, "copy src");
    DeviceBuffer d = own(dst, "copy dst");
    checkRange("copy src", src, srcOffset, count);
    checkRange("copy dst", dst, dstOffset, count);
    if (src == dst && srcOffset < dstOffset + count && dstOffset < srcOffset + count && count > 0) {
      throw new IllegalArgumentException("copy: regions overlap (src offset " + srcOffset + ", dst offset "
          + dstOffset + ", count " + count + ")");
    }
    if (count == 0) {
      return;
    }
    makeCurrent();
    JCudaDriver.cuMemcpyDtoD(d.at(dstOffset), s.at(srcOffset), count * Float.BYTES);
  }

  @Override
  public void fill(Tensor t, long offset, long count, float value) {
    DeviceBuffer b = own(t, "fill");
    checkRange("fill", t, offset, count);
    if (count == 0) {
      return;
    }
    launch1d(fill, count, Pointer.to(new long[] {count}), Pointer.to(new float[] {value}), Pointer.to(b.at(offset)));
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC, int batch) {
    DeviceBuffer ba = own(a, "gemm A");
    DeviceBuffer bb = own(b, "gemm B");
    DeviceBuffer bc = own(c, "gemm C");
    if (m < 1 || n < 1 || k < 1 || batch < 1) {
      throw new IllegalArgumentException(
          "gemm: m, n, k, batch must be >= 1, got m=" + m + " n=" + n + " k=" + k + " batch=" + batch);
    }
    if (strideA < 0 || strideB < 0 || strideC < 0) {
      throw new IllegalArgumentException(
          "gemm: strides must be >= 0, got " + strideA + ", " + strideB + ", " + strideC);
    }
    if (strideC == 0 && batch > 1) {
      throw new IllegalArgumentException("gemm: C's stride must not be 0 when batch = " + batch);
    }
    checkBatched("gemm A", a, strideA, (long) m * k, batch);
    checkBatched("gemm B", b, strideB, (long) k * n, batch);
    checkBatched("gemm C", c, strideC, (long) m * n, batch);
    if (batch > 65535) {
      throw new IllegalArgumentException("gemm: batch " + batch + " exceeds the CUDA grid limit 65535");
    }
    long largeBlocks = (long) ceilDiv(m, 128) * ceilDiv(n, 128) * batch;
    boolean large = largeBlocks >= 2L * multiprocessors;
    int tile = large ? 128 : 64;
    Pointer params = Pointer.to(
        Pointer.to(new int[] {transA ? 1 : 0}), Pointer.to(new int[] {transB ? 1 : 0}),
        Pointer.to(new int[] {m}), Pointer.to(new int[] {n}), Pointer.to(new int[] {k}),
        Pointer.to(new float[] {alpha}),
        Pointer.to(ba.at(0)), Pointer.to(new long[] {strideA}),
        Pointer.to(bb.at(0)), Pointer.to(new long[] {strideB}),
        Pointer.to(new float[] {beta}),
        Pointer.to(bc.at(0)), Pointer.to(new long[] {strideC}));
    makeCurrent();
    JCudaDriver.cuLaunchKernel(large ? sgemmLarge : sgemmSmall, ceilDiv(n, tile), ceilDiv(m, tile), batch,
        THREADS, 1, 1, 0, null, params, null);
  }

  @Override
  public void axpy(long n, float alpha, Tensor x, Tensor y) {
    DeviceBuffer bx = own(x, "axpy x");
    DeviceBuffer by = own(y, "axpy y");
    checkRange("axpy x", x, 0, n);
    checkRange("axpy y", y, 0, n);
    if (n == 0) {
      return;
    }
    launch1d(axpy, n, Pointer.to(new long[] {n}), Pointer.to(new float[] {alpha}), Pointer.to(bx.at(0)),
        Pointer.to(by.at(0)));
  }

  // ---------------------------------------------------------------- network ops

  @Override
  public void biasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias, Tensor y) {
    DeviceBuffer bz = own(z, "biasActivationForward z");
    DeviceBuffer bb = own(bias, "biasActivationForward bias");
    DeviceBuffer by = own(y, "biasActivationForward y");
    checkExtents("biasActivationForward", batch, rows, cols);
    long n = (long) batch * rows * cols;
    checkRange("biasActivationForward z", z, 0, n);
    checkRange("biasActivationForward y", y, 0, n);
    checkRange("biasActivationForward bias", bias, 0, (long) batch * cols);
    if (y == z) {
      throw new IllegalArgumentException("biasActivationForward: y may not alias z");
    }
    launch1d(biasActivationForward, n, Pointer.to(new int[] {phi.kernelCode()}), Pointer.to(new int[] {batch}),
        Pointer.to(new int[] {rows}), Pointer.to(new int[] {cols}), Pointer.to(bz.at(0)), Pointer.to(bb.at(0)),
        Pointer.to(by.at(0)));
  }

  @Override
  public void activationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz) {
    DeviceBuffer bdy = own(dy, "activationBackward dy");
    DeviceBuffer bz = own(z, "activationBackward z");
    DeviceBuffer by = own(y, "activationBackward y");
    DeviceBuffer bdz = own(dz, "activationBackward dz");
    checkRange("activationBackward dy", dy, 0, n);
    checkRange("activationBackward z", z, 0, n);
    checkRange("activationBackward y", y, 0, n);
    checkRange("activationBackward dz", dz, 0, n);
    if (n == 0) {
      return;
    }
    launch1d(activationBackward, n, Pointer.to(new int[] {phi.kernelCode()}), Pointer.to(new long[] {n}),
        Pointer.to(bdy.at(0)), Pointer.to(bz.at(0)), Pointer.to(by.at(0)), Pointer.to(bdz.at(0)));
  }

  @Override
  public void columnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db) {
    DeviceBuffer bdz = own(dz, "columnSums dz");
    DeviceBuffer bdb = own(db, "columnSums db");
    checkExtents("columnSums", batch, rows, cols);
    checkRange("columnSums dz", dz, 0, (long) batch * rows * cols);
    checkRange("columnSums db", db, 0, (long) batch * cols);
    if (batch > 65535) {
      throw new IllegalArgumentException("columnSums: batch " + batch + " exceeds the CUDA grid limit 65535");
    }
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {cols}), Pointer.to(bdz.at(0)), Pointer.to(new float[] {beta}), Pointer.to(bdb.at(0)));
    makeCurrent();
    JCudaDriver.cuLaunchKernel(columnSums, ceilDiv(cols, THREADS), batch, 1, THREADS, 1, 1, 0, null, params, null);
  }

  @Override
  public void softmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                  float gradScale, Tensor grad, Tensor stats) {
    DeviceBuffer bl = own(logits, "softmaxCrossEntropy logits");
    DeviceBuffer blab = own(labels, "softmaxCrossEntropy labels");
    DeviceBuffer bg = own(grad, "softmaxCrossEntropy grad");
    DeviceBuffer bs = own(stats, "softmaxCrossEntropy stats");
    checkExtents("softmaxCrossEntropy", batch, rows, classes);
    long n = (long) batch * rows * classes;
    checkRange("softmaxCrossEntropy logits", logits, 0, n);
    checkRange("softmaxCrossEntropy grad", grad, 0, n);
    checkRange("softmaxCrossEntropy labels", labels, 0, rows);
    checkRange("softmaxCrossEntropy stats", stats, 0, 2L * batch);
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {classes}), Pointer.to(bl.at(0)), Pointer.to(blab.at(0)),
        Pointer.to(new float[] {gradScale}), Pointer.to(bg.at(0)), Pointer.to(bs.at(0)));
    makeCurrent();
    JCudaDriver.cuLaunchKernel(softmaxCrossEntropy, batch, 1, 1, THREADS, 1, 1, 0, null, params, null);
  }

  @Override
  public void cubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                       float gradScale, Tensor pred, Tensor gradU, Tensor stats) {
    String op = "cubicReadoutSquaredError";
    DeviceBuffer bu = own(u, op + " u");
    DeviceBuffer bg = own(g, op + " g");
    DeviceBuffer bt = own(target, op + " target");
    DeviceBuffer bp = own(pred, op + " pred");
    DeviceBuffer bd = own(gradU, op + " gradU");
    DeviceBuffer bs = own(stats, op + " stats");
    checkExtents(op, batch, rows, cols);
    long n = (long) batch * rows * cols;
    checkRange(op + " u", u, 0, n);
    checkRange(op + " g", g, 0, batch);
    checkRange(op + " target", target, 0, (long) rows * cols);
    checkRange(op + " pred", pred, 0, n);
    checkRange(op + " gradU", gradU, 0, n);
    checkRange(op + " stats", stats, 0, batch);
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {cols}), Pointer.to(bu.at(0)), Pointer.to(bg.at(0)), Pointer.to(bt.at(0)),
        Pointer.to(new float[] {gradScale}), Pointer.to(bp.at(0)), Pointer.to(bd.at(0)), Pointer.to(bs.at(0)));
    makeCurrent();
    JCudaDriver.cuLaunchKernel(cubicReadoutSquaredError, batch, 1, 1, THREADS, 1, 1, 0, null, params, null);
  }

  /** Threads (points) per block of the KDE kernels; shared memory per block for the sample tiles. */
  private static final int KDE_THREADS = 128;
  private static final int KDE_SHARED_BYTES = 32 * 1024;

  @Override
  public void gaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points,
                                    Tensor out) {
    String op = "gaussianKernelLogSums";
    DeviceBuffer bz = own(samples, op + " samples");
    DeviceBuffer bw = own(logWeights, op + " logWeights");
    DeviceBuffer by = own(points, op + " points");
    DeviceBuffer bo = own(out, op + " out");
    checkExtents(op, n, m, d);
    checkRange(op + " samples", samples, 0, (long) n * d);
    checkRange(op + " logWeights", logWeights, 0, n);
    checkRange(op + " points", points, 0, (long) m * d);
    checkRange(op + " out", out, 0, m);
    int tile = Math.max(1, Math.min(256, KDE_SHARED_BYTES / (4 * (d + 1))));
    int pointBlocks = ceilDiv(m, KDE_THREADS);
    // enough blocks to fill the GPU (8 per multiprocessor), but at least a tile of samples per chunk
    int chunks = Math.max(1, Math.min(Math.min(ceilDiv(n, tile), 65535),
        ceilDiv(8 * multiprocessors, pointBlocks)));
    int per = ceilDiv(n, chunks);
    int shared = tile * (d + 1) * 4;
    try (Tensor part = zeros(2 * chunks, m)) {
      DeviceBuffer bp = own(part, op + " partials");
      Pointer p1 = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new int[] {m}), Pointer.to(new int[] {d}),
          Pointer.to(new int[] {tile}), Pointer.to(new int[] {per}), Pointer.to(bz.at(0)), Pointer.to(bw.at(0)),
          Pointer.to(by.at(0)), Pointer.to(bp.at(0)));
      makeCurrent();
      JCudaDriver.cuLaunchKernel(kdePartial, pointBlocks, chunks, 1, KDE_THREADS, 1, 1, shared, null, p1, null);
      Pointer p2 = Pointer.to(Pointer.to(new int[] {m}), Pointer.to(new int[] {chunks}), Pointer.to(bp.at(0)),
          Pointer.to(bo.at(0)));
      JCudaDriver.cuLaunchKernel(kdeCombine, pointBlocks, 1, 1, KDE_THREADS, 1, 1, 0, null, p2, null);
      JCudaDriver.cuCtxSynchronize(); // the partials are freed on return
    }
  }

  @Override
  public void sgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v) {
    DeviceBuffer bw = own(w, "sgdMomentum w");
    DeviceBuffer bg = own(g, "sgdMomentum g");
    DeviceBuffer bv = own(v, "sgdMomentum v");
    checkRange("sgdMomentum w", w, 0, n);
    checkRange("sgdMomentum g", g, 0, n);
    checkRange("sgdMomentum v", v, 0, n);
    if (n == 0) {
      return;
    }
    launch1d(sgdMomentum, n, Pointer.to(new long[] {n}), Pointer.to(new float[] {lr}), Pointer.to(new float[] {mu}),
        Pointer.to(bw.at(0)), Pointer.to(bg.at(0)), Pointer.to(bv.at(0)));
  }

  // ---------------------------------------------------------------- random numbers

  @Override
  public void fillGaussian(Tensor t, long offset, long count, float std, long seed, long stream) {
    DeviceBuffer b = own(t, "fillGaussian");
    checkRange("fillGaussian", t, offset, count);
    if (count == 0) {
      return;
    }
    launch1d(fillGaussian, count, Pointer.to(b.at(offset)), Pointer.to(new long[] {count}),
        Pointer.to(new float[] {std}), Pointer.to(new long[] {seed}), Pointer.to(new long[] {stream}),
        Pointer.to(new long[] {0L}));
  }

  @Override
  public void synchronize() {
    checkOpen();
    makeCurrent();
    JCudaDriver.cuCtxSynchronize();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      JCudaDriver.cuCtxSetCurrent(context);
      JCudaDriver.cuCtxSynchronize();
      for (PtxModule m : modules) {
        m.unload();
      }
    } finally {
      JCudaDriver.cuCtxDestroy(context);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void launch1d(CUfunction f, long n, NativePointerObject... args) {
    long blocks = Math.min(ceilDiv(n, THREADS), MAX_BLOCKS);
    makeCurrent();
    JCudaDriver.cuLaunchKernel(f, (int) blocks, 1, 1, THREADS, 1, 1, 0, null, Pointer.to(args), null);
  }

  private DeviceBuffer own(Tensor t, String what) {
    checkOpen();
    if (!(t instanceof CudaTensor) || t.backend() != this) {
      throw new IllegalArgumentException(what + ": tensor belongs to " + (t == null ? "nothing (null)" : t.backend().name())
          + ", not to " + name() + "; transfer it explicitly with download/upload");
    }
    if (t.isClosed()) {
      throw new IllegalArgumentException(what + ": tensor is closed");
    }
    return ((CudaTensor) t).buffer;
  }

  private static void checkRange(String what, Tensor t, long offset, long count) {
    if (offset < 0 || count < 0 || offset + count > t.size()) {
      throw new IllegalArgumentException(what + ": range [" + offset + ", " + offset + " + " + count
          + ") does not fit a tensor of " + t.size() + " elements");
    }
  }

  private static void checkArray(String what, int length, int offset, int count) {
    if (offset < 0 || count < 0 || (long) offset + count > length) {
      throw new IllegalArgumentException(what + ": range [" + offset + ", " + offset + " + " + count
          + ") does not fit an array of " + length + " elements");
    }
  }

  private static void checkBatched(String what, Tensor t, long stride, long span, int batch) {
    long need = (batch - 1) * stride + span;
    if (need > t.size()) {
      throw new IllegalArgumentException(what + ": batch " + batch + " with stride " + stride + " and "
          + span + " elements per problem needs " + need + " elements, tensor has " + t.size());
    }
  }

  private static void checkExtents(String what, int batch, int rows, int cols) {
    if (batch < 1 || rows < 1 || cols < 1) {
      throw new IllegalArgumentException(what + ": extents must be >= 1, got batch=" + batch + " rows=" + rows
          + " cols=" + cols);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
