package org.nnstm.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * The one door to OpenBLAS (through Bytedeco's javacpp presets): the only class of nnstm that imports
 * org.bytedeco. It allocates 64-byte aligned native memory and calls the level-1 and level-3 BLAS routines on raw
 * native addresses, never on Java arrays (the float[] overloads of the presets copy).
 *
 * <p>Thread count is process-global in OpenBLAS ({@code openblas_set_num_threads}).
 */
final class OpenBlas {
  private static final int ALIGNMENT = 64;

  private OpenBlas() {}

  /** Sets the number of OpenBLAS threads (process-global). */
  static void setThreads(int threads) {
    openblas_full.openblas_set_num_threads(threads);
  }

  /** The number of threads OpenBLAS currently uses. */
  static int threads() {
    return openblas_full.openblas_get_num_threads();
  }

  /**
   * The kernel family OpenBLAS's dynamic dispatch chose for this CPU (e.g. {@code Haswell}, {@code SkylakeX},
   * {@code Cooperlake}); the environment variable OPENBLAS_CORETYPE overrides the choice when the library loads.
   */
  static String coreName() {
    BytePointer p = openblas_full.openblas_get_corename();
    return p == null ? "unknown" : p.getString();
  }

  /**
   * One line when the environment variable OPENBLAS_CORETYPE forces an AVX2-or-older kernel family on a CPU that
   * has AVX-512 (Linux: /proc/cpuinfo), else null. Such a setting is common where an older system OpenBLAS
   * misdetects new CPUs; the OpenBLAS bundled with nnstm detects them itself.
   */
  static String forcedCoreNotice() {
    String forced = System.getenv("OPENBLAS_CORETYPE");
    if (forced == null || forced.isBlank()) {
      return null;
    }
    String core = coreName();
    if (core.toLowerCase(java.util.Locale.ROOT).matches(".*(skylakex|cooperlake|sapphirerapids|zen4|zen5).*")) {
      return null;
    }
    boolean avx512 = false;
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          avx512 = line.contains(" avx512f ") || line.endsWith(" avx512f");
          break;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
    return avx512 ? "OPENBLAS_CORETYPE=" + forced + " forces OpenBLAS's " + core + " kernels on a CPU with AVX-512; "
        + "unset it for nnstm to let OpenBLAS " + version() + " pick its kernels (2x faster GEMMs measured on "
        + "AVX-512 machines; benchmarks/RESULTS.md)" : null;
  }

  /** The version from {@code openblas_get_config()}, e.g. {@code 0.3.31}, or the whole config string. */
  static String version() {
    BytePointer p = openblas_full.openblas_get_config();
    String config = p == null ? "" : p.getString();
    Matcher m = Pattern.compile("OpenBLAS\\s+(\\S+)").matcher(config);
    return m.find() ? m.group(1) : config.trim();
  }

  /**
   * row-major C = alpha op(A) op(B) + beta C on native float arrays at the given addresses (bytes);
   * lda, ldb, ldc in elements.
   */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    long a, int lda, long b, int ldb, float beta, long c, int ldc) {
    openblas_full.cblas_sgemm(openblas_full.CblasRowMajor,
        transA ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
        transB ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
        m, n, k, alpha, new At(a), lda, new At(b), ldb, beta, new At(c), ldc);
  }

  /** y[i] += alpha * x[i] for i &lt; n on native float arrays at the given addresses (bytes), unit strides. */
  static void saxpy(int n, float alpha, long x, long y) {
    openblas_full.cblas_saxpy(n, alpha, new At(x), 1, new At(y), 1);
  }

  /** A float pointer at a raw address; owns nothing. */
  private static final class At extends FloatPointer {
    At(long address) {
      super((Pointer) null);
      this.address = address;
    }
  }

  /** A block of 64-byte aligned native memory, freed explicitly by {@link #free()} (idempotent). */
  static final class NativeBlock {
    private Pointer raw;
    /** The aligned region as a native-order buffer of exactly the requested bytes. */
    final ByteBuffer buffer;
    /** Address of the aligned region's first byte. */
    final long address;

    private NativeBlock(long bytes) {
      // calloc, not malloc + memset: a large block comes as fresh zero pages from the kernel, touched (and so
      // zeroed) first by whichever op writes it, in parallel, instead of by one thread here (a grid's 400 MB of
      // weights and velocities: ~1.5 s of memset at start-up)
      Pointer p = Pointer.calloc(1, bytes + ALIGNMENT);
      if (p == null || p.isNull()) {
        throw new OutOfMemoryError("calloc of " + (bytes + ALIGNMENT) + " bytes failed");
      }
      long base = p.address();
      long aligned = (base + ALIGNMENT - 1) & -(long) ALIGNMENT;
      BytePointer view = new BytePointer(p);
      view.position(aligned - base).limit(aligned - base + bytes);
      this.raw = p;
      this.address = aligned;
      this.buffer = view.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    synchronized void free() {
      if (raw != null) {
        Pointer.free(raw);
        raw = null;
      }
    }
  }

  /** Allocates {@code bytes} (at most Integer.MAX_VALUE) of zeroed, 64-byte aligned native memory. */
  static NativeBlock allocate(long bytes) {
    if (bytes < 1 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("native block of " + bytes + " bytes: must be in [1, " + Integer.MAX_VALUE + "]");
    }
    return new NativeBlock(bytes);
  }
}
