package org.nnstm.backend.cuda;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.BackendUnavailableException;
import org.nnstm.tensor.CheckedBackend;
import org.nnstm.tensor.Tensor;

/**
 * The CUDA backend: custom kernels (cuda/*.cu, compiled to PTX by tools/build-ptx) launched through the
 * CUDA driver API (JCuda's JCudaDriver; no cuBLAS). The device's primary context (retained on open, released on
 * close, so it is shared with any other user of the device in this process, as the runtime API shares it); every
 * op is queued on the default stream, transfers (cuMemcpyHtoD/DtoH) are synchronous. Every driver call's result
 * code is checked ({@link #check}): a failure throws JCuda's {@link CudaException} naming the call and the
 * error (JCuda's process-global exception switch is left alone), an allocation failure
 * {@link DeviceOutOfMemoryException}. Arguments are checked by {@link CheckedBackend}. Close a backend's tensors
 * before the backend: a tensor closed after it is not freed (its memory returns when the primary context is
 * destroyed, i.e. when no backend on the device is open).
 *
 * <p>Numerics against the CPU backend: GEMM sums in a different order (FLOAT_SUM tolerances);
 * tanh uses tanhf (at most 2 ulp); softmax uses expf/logf; SGD, axpy and fill are bit-identical to
 * plain float arithmetic; {@link #fillGaussian} is bit-identical to {@link org.nnstm.tensor.Philox}.
 */
public final class CudaBackend extends CheckedBackend {
  private static final int THREADS = 256;
  private static final int MAX_BLOCKS = 65535 * 8;

  private final CUdevice device;
  private final CUcontext context;
  private final String deviceName;
  private final int multiprocessors;
  private final int ccMajor;
  private final int ccMinor;
  private final int clockKHz;
  private final List<PtxModule> modules = new ArrayList<>();
  /** Each kernel's name, for error messages. */
  private final Map<CUfunction, String> kernelNames = new IdentityHashMap<>();
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

  private CudaBackend(CUdevice device, CUcontext context, String deviceName, int multiprocessors, int ccMajor,
                      int ccMinor, int clockKHz) {
    this.device = device;
    this.context = context;
    this.ccMajor = ccMajor;
    this.ccMinor = ccMinor;
    this.clockKHz = clockKHz;
    this.deviceName = deviceName;
    this.multiprocessors = multiprocessors;
    try {
      PtxModule gemm = load("gemm");
      PtxModule activation = load("activation");
      PtxModule reduce = load("reduce");
      PtxModule loss = load("loss");
      PtxModule optim = load("optim");
      PtxModule rng = load("rng");
      PtxModule kde = load("kde");
      sgemmLarge = kernel(gemm, "sgemm_128x128");
      sgemmSmall = kernel(gemm, "sgemm_64x64");
      biasActivationForward = kernel(activation, "bias_activation_forward");
      activationBackward = kernel(activation, "activation_backward");
      columnSums = kernel(reduce, "column_sums");
      softmaxCrossEntropy = kernel(loss, "softmax_cross_entropy_forward");
      cubicReadoutSquaredError = kernel(loss, "cubic_readout_squared_error");
      sgdMomentum = kernel(optim, "sgd_momentum");
      axpy = kernel(optim, "axpy");
      fill = kernel(optim, "fill");
      fillGaussian = kernel(rng, "fill_gaussian");
      kdePartial = kernel(kde, "kde_partial");
      kdeCombine = kernel(kde, "kde_combine");
    } catch (RuntimeException e) {
      for (PtxModule m : modules) {
        try {
          m.unload(); // the modules loaded before the failure; the caller releases the context
        } catch (RuntimeException u) {
          e.addSuppressed(u);
        }
      }
      throw e;
    }
  }

  private CUfunction kernel(PtxModule module, String name) {
    CUfunction f = module.function(name);
    kernelNames.put(f, name);
    return f;
  }

  private PtxModule load(String name) {
    PtxModule m = new PtxModule(name);
    modules.add(m);
    return m;
  }

  /** Why JCuda's natives first failed to load in this process (a second try only sees NoClassDefFoundError). */
  private static volatile String firstFailure;

  /**
   * Opens device {@code device}: initialises the driver, retains the device's primary context and loads the PTX
   * modules into it.
   *
   * @throws BackendUnavailableException with the reason when the JCuda natives, the driver or the
   *     device are missing or fail to initialise
   */
  public static CudaBackend open(int device) {
    if (device < 0) {
      throw new IllegalArgumentException("CUDA device index must be >= 0, got " + device);
    }
    CUdevice dev = null;
    boolean retained = false;
    try {
      check(JCudaDriver.cuInit(0), "cuInit");
      int[] count = new int[1];
      check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
      if (device >= count[0]) {
        throw new BackendUnavailableException(
            "no CUDA device " + device + ": the driver reports " + count[0] + " device(s)", null);
      }
      dev = new CUdevice();
      check(JCudaDriver.cuDeviceGet(dev, device), "cuDeviceGet");
      byte[] nameBytes = new byte[256];
      check(JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev), "cuDeviceGetName");
      String name = new String(nameBytes, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
      int sms = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
      int major = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
      int minor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
      int clock = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
      CUcontext ctx = new CUcontext();
      check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain");
      retained = true;
      check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
      return new CudaBackend(dev, ctx, name, sms, major, minor, clock);
    } catch (LinkageError | RuntimeException e) {
      if (retained) {
        try {
          check(JCudaDriver.cuDevicePrimaryCtxRelease(dev), "cuDevicePrimaryCtxRelease");
        } catch (CudaException r) {
          e.addSuppressed(r); // the cause below says why it failed
        }
      }
      if (!(e instanceof LinkageError || e instanceof CudaException)) {
        throw e;
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

  private static int attribute(CUdevice dev, int attribute) {
    int[] v = new int[1];
    check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute " + attribute);
    return v[0];
  }

  /**
   * Throws a {@link CudaException} naming the driver call {@code what} and the error when {@code rc} is not
   * CUDA_SUCCESS; every driver call's result goes through here.
   */
  static void check(int rc, String what) {
    if (rc != CUresult.CUDA_SUCCESS) {
      throw new CudaException(what + ": " + CUresult.stringFor(rc));
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

  /** Makes this backend's context current on the calling thread (ops may come from any one thread at a time). */
  void makeCurrent() {
    check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }

  // ---------------------------------------------------------------- memory and transfers

  @Override
  protected Tensor doZeros(int[] shape) {
    long bytes = Tensor.checkedSize(shape) * Float.BYTES;
    makeCurrent();
    CUdeviceptr p = new CUdeviceptr();
    int rc = JCudaDriver.cuMemAlloc(p, bytes);
    if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
      throw new DeviceOutOfMemoryException(bytes, deviceName,
          new CudaException("cuMemAlloc: " + CUresult.stringFor(rc)));
    }
    check(rc, "cuMemAlloc");
    DeviceBuffer buffer = new DeviceBuffer(this, p, bytes);
    try {
      check(JCudaDriver.cuMemsetD32(p, 0, bytes / Float.BYTES), "cuMemsetD32");
    } catch (RuntimeException e) {
      buffer.close();
      throw e;
    }
    return new CudaTensor(this, shape, buffer);
  }

  @Override
  protected void doUpload(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
    DeviceBuffer d = buf(dst);
    makeCurrent();
    check(JCudaDriver.cuMemcpyHtoD(d.at(dstOffset), Pointer.to(src).withByteOffset((long) srcOffset * Float.BYTES),
        (long) count * Float.BYTES), "cuMemcpyHtoD");
  }

  @Override
  protected void doDownload(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
    DeviceBuffer s = buf(src);
    makeCurrent();
    check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES), s.at(srcOffset),
        (long) count * Float.BYTES), "cuMemcpyDtoH");
  }

  @Override
  protected void doCopy(Tensor src, long srcOffset, Tensor dst, long dstOffset, long count) {
    DeviceBuffer s = buf(src);
    DeviceBuffer d = buf(dst);
    makeCurrent();
    check(JCudaDriver.cuMemcpyDtoD(d.at(dstOffset), s.at(srcOffset), count * Float.BYTES), "cuMemcpyDtoD");
  }

  @Override
  protected void doFill(Tensor t, long offset, long count, float value) {
    DeviceBuffer b = buf(t);
    launch1d(fill, count, Pointer.to(new long[] {count}), Pointer.to(new float[] {value}), Pointer.to(b.at(offset)));
  }

  // ---------------------------------------------------------------- linear algebra

  @Override
  protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC, int batch) {
    DeviceBuffer ba = buf(a);
    DeviceBuffer bb = buf(b);
    DeviceBuffer bc = buf(c);
    gridLimit("gemm", batch);
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
    launch(large ? sgemmLarge : sgemmSmall, ceilDiv(n, tile), ceilDiv(m, tile), batch, THREADS, 0, params);
  }

  @Override
  protected void doAxpy(long n, float alpha, Tensor x, Tensor y) {
    DeviceBuffer bx = buf(x);
    DeviceBuffer by = buf(y);
    launch1d(axpy, n, Pointer.to(new long[] {n}), Pointer.to(new float[] {alpha}), Pointer.to(bx.at(0)),
        Pointer.to(by.at(0)));
  }

  // ---------------------------------------------------------------- network ops

  @Override
  protected void doBiasActivationForward(Activation phi, int batch, int rows, int cols, Tensor z, Tensor bias,
                                         Tensor y) {
    DeviceBuffer bz = buf(z);
    DeviceBuffer bb = buf(bias);
    DeviceBuffer by = buf(y);
    long n = (long) batch * rows * cols;
    launch1d(biasActivationForward, n, Pointer.to(new int[] {phi.kernelCode()}), Pointer.to(new int[] {batch}),
        Pointer.to(new int[] {rows}), Pointer.to(new int[] {cols}), Pointer.to(bz.at(0)), Pointer.to(bb.at(0)),
        Pointer.to(by.at(0)));
  }

  @Override
  protected void doActivationBackward(Activation phi, long n, Tensor dy, Tensor z, Tensor y, Tensor dz) {
    DeviceBuffer bdy = buf(dy);
    DeviceBuffer bz = buf(z);
    DeviceBuffer by = buf(y);
    DeviceBuffer bdz = buf(dz);
    launch1d(activationBackward, n, Pointer.to(new int[] {phi.kernelCode()}), Pointer.to(new long[] {n}),
        Pointer.to(bdy.at(0)), Pointer.to(bz.at(0)), Pointer.to(by.at(0)), Pointer.to(bdz.at(0)));
  }

  @Override
  protected void doColumnSums(int batch, int rows, int cols, Tensor dz, float beta, Tensor db) {
    DeviceBuffer bdz = buf(dz);
    DeviceBuffer bdb = buf(db);
    gridLimit("columnSums", batch);
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {cols}), Pointer.to(bdz.at(0)), Pointer.to(new float[] {beta}), Pointer.to(bdb.at(0)));
    launch(columnSums, ceilDiv(cols, THREADS), batch, 1, THREADS, 0, params);
  }

  @Override
  protected void doSoftmaxCrossEntropy(int batch, int rows, int classes, Tensor logits, Tensor labels,
                                       float gradScale, Tensor grad, Tensor stats) {
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {classes}), Pointer.to(buf(logits).at(0)), Pointer.to(buf(labels).at(0)),
        Pointer.to(new float[] {gradScale}), Pointer.to(buf(grad).at(0)), Pointer.to(buf(stats).at(0)));
    launch(softmaxCrossEntropy, batch, 1, 1, THREADS, 0, params);
  }

  @Override
  protected void doCubicReadoutSquaredError(int batch, int rows, int cols, Tensor u, Tensor g, Tensor target,
                                            float gradScale, Tensor pred, Tensor gradU, Tensor stats) {
    Pointer params = Pointer.to(Pointer.to(new int[] {batch}), Pointer.to(new int[] {rows}),
        Pointer.to(new int[] {cols}), Pointer.to(buf(u).at(0)), Pointer.to(buf(g).at(0)), Pointer.to(buf(target).at(0)),
        Pointer.to(new float[] {gradScale}), Pointer.to(buf(pred).at(0)), Pointer.to(buf(gradU).at(0)),
        Pointer.to(buf(stats).at(0)));
    launch(cubicReadoutSquaredError, batch, 1, 1, THREADS, 0, params);
  }

  /** Threads (points) per block of the KDE kernels; shared memory per block for the sample tiles. */
  private static final int KDE_THREADS = 128;
  private static final int KDE_SHARED_BYTES = 32 * 1024;

  @Override
  protected void doGaussianKernelLogSums(int n, int m, int d, Tensor samples, Tensor logWeights, Tensor points,
                                         Tensor out) {
    int tile = Math.max(1, Math.min(256, KDE_SHARED_BYTES / (4 * (d + 1))));
    int pointBlocks = ceilDiv(m, KDE_THREADS);
    // enough blocks to fill the GPU (8 per multiprocessor), but at least a tile of samples per chunk
    int chunks = Math.max(1, Math.min(Math.min(ceilDiv(n, tile), 65535),
        ceilDiv(8 * multiprocessors, pointBlocks)));
    int per = ceilDiv(n, chunks);
    int shared = tile * (d + 1) * 4;
    try (Tensor part = zeros(2 * chunks, m)) {
      DeviceBuffer bp = buf(part);
      Pointer p1 = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new int[] {m}), Pointer.to(new int[] {d}),
          Pointer.to(new int[] {tile}), Pointer.to(new int[] {per}), Pointer.to(buf(samples).at(0)),
          Pointer.to(buf(logWeights).at(0)), Pointer.to(buf(points).at(0)), Pointer.to(bp.at(0)));
      launch(kdePartial, pointBlocks, chunks, 1, KDE_THREADS, shared, p1);
      Pointer p2 = Pointer.to(Pointer.to(new int[] {m}), Pointer.to(new int[] {chunks}), Pointer.to(bp.at(0)),
          Pointer.to(buf(out).at(0)));
      launch(kdeCombine, pointBlocks, 1, 1, KDE_THREADS, 0, p2);
      check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize"); // the partials are freed on return
    }
  }

  @Override
  protected void doSgdMomentum(long n, float lr, float mu, Tensor w, Tensor g, Tensor v) {
    launch1d(sgdMomentum, n, Pointer.to(new long[] {n}), Pointer.to(new float[] {lr}), Pointer.to(new float[] {mu}),
        Pointer.to(buf(w).at(0)), Pointer.to(buf(g).at(0)), Pointer.to(buf(v).at(0)));
  }

  // ---------------------------------------------------------------- random numbers

  @Override
  protected void doFillGaussian(Tensor t, long offset, long count, float std, long seed, long stream) {
    launch1d(fillGaussian, count, Pointer.to(buf(t).at(offset)), Pointer.to(new long[] {count}),
        Pointer.to(new float[] {std}), Pointer.to(new long[] {seed}), Pointer.to(new long[] {stream}),
        Pointer.to(new long[] {0L}));
  }

  @Override
  protected void doSynchronize() {
    makeCurrent();
    check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
  }

  /**
   * Waits for queued work, unloads the modules and releases the primary context, even when an earlier step
   * fails (the first failure is thrown after the release).
   */
  @Override
  protected void release() {
    try {
      makeCurrent();
      check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
      for (PtxModule m : modules) {
        m.unload();
      }
    } finally {
      check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The device memory of a tensor of this backend ({@link CheckedBackend} has checked that it is). */
  private static DeviceBuffer buf(Tensor t) {
    return ((CudaTensor) t).buffer;
  }

  /** Launches {@code f} on a grid of (gridX, gridY, gridZ) blocks of {@code block} threads, on the default stream. */
  private void launch(CUfunction f, int gridX, int gridY, int gridZ, int block, int sharedBytes, Pointer params) {
    makeCurrent();
    check(JCudaDriver.cuLaunchKernel(f, gridX, gridY, gridZ, block, 1, 1, sharedBytes, null, params, null),
        "cuLaunchKernel " + kernelNames.get(f));
  }

  private void launch1d(CUfunction f, long n, NativePointerObject... args) {
    long blocks = Math.min(ceilDiv(n, THREADS), MAX_BLOCKS);
    launch(f, (int) blocks, 1, 1, THREADS, 0, Pointer.to(args));
  }

  private static void gridLimit(String op, int batch) {
    if (batch > 65535) {
      throw new IllegalArgumentException(op + ": batch " + batch + " exceeds the CUDA grid limit 65535");
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
