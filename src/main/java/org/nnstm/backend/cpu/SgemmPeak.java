package org.nnstm.backend.cpu;

import java.util.SplittableRandom;

/**
 * The yardstick for the CPU backend's GEMMs: OpenBLAS's own SGEMM rate at a shape, called directly (one
 * {@code cblas_sgemm} per problem, OpenBLAS threading itself over {@code threads} threads), without nnstm's
 * tensors, checks or task split. Sets OpenBLAS's process-global thread count while it runs and restores one
 * thread afterwards (what {@link CpuBackend} expects), so use it only when no backend is computing.
 */
public final class SgemmPeak {
  private SgemmPeak() {}

  /** A row-major GEMM shape: C (m x n) = op(A) (m x k) op(B) (k x n) + beta C, repeated over {@code batch} problems. */
  public record Shape(boolean transA, boolean transB, int m, int n, int k, float beta, int batch) {
    public Shape {
      if (m < 1 || n < 1 || k < 1 || batch < 1) {
        throw new IllegalArgumentException("shape " + m + "x" + n + "x" + k + " x" + batch + ": all must be >= 1");
      }
    }

    /** Floating-point operations of one call over all problems (2 m n k per problem). */
    public double flops() {
      return 2.0 * m * n * k * batch;
    }

    /** e.g. {@code 8 x 64x784x784 NT}. */
    public String label() {
      return (batch > 1 ? batch + " x " : "") + m + "x" + n + "x" + k + " " + (transA ? "T" : "N") + (transB ? "T" : "N")
          + (beta != 0 ? " beta " + beta : "");
    }
  }

  /**
   * The best GFLOP/s of {@code rounds} rounds, each at least {@code secondsPerRound} long, of the shape with
   * OpenBLAS on {@code threads} threads (after one untimed warm-up round).
   */
  public static double gflops(Shape s, int threads, int rounds, double secondsPerRound) {
    if (threads < 1 || rounds < 1 || !(secondsPerRound > 0)) {
      throw new IllegalArgumentException("threads and rounds must be >= 1 and seconds > 0");
    }
    OpenBlas.setThreads(threads);
    try {
      return measure(s, rounds, secondsPerRound, true);
    } finally {
      OpenBlas.setThreads(1);
    }
  }

  /** Best GFLOP/s of the shape's OpenBLAS calls on the current thread, with OpenBLAS's thread count as it is. */
  private static double measure(Shape s, int rounds, double secondsPerRound, boolean warmUp) {
    long sizeA = (long) s.m() * s.k() * s.batch();
    long sizeB = (long) s.k() * s.n() * s.batch();
    long sizeC = (long) s.m() * s.n() * s.batch();
    OpenBlas.NativeBlock a = OpenBlas.allocate(4 * sizeA);
    OpenBlas.NativeBlock b = OpenBlas.allocate(4 * sizeB);
    OpenBlas.NativeBlock c = OpenBlas.allocate(4 * sizeC);
    try {
      SplittableRandom rng = new SplittableRandom(1);
      for (long i = 0; i < sizeA; i++) {
        a.buffer.putFloat((int) (4 * i), (float) rng.nextGaussian());
      }
      for (long i = 0; i < sizeB; i++) {
        b.buffer.putFloat((int) (4 * i), (float) rng.nextGaussian());
      }
      int lda = s.transA() ? s.m() : s.k();
      int ldb = s.transB() ? s.k() : s.n();
      long strideA = 4L * s.m() * s.k();
      long strideB = 4L * s.k() * s.n();
      long strideC = 4L * s.m() * s.n();
      return bestRate(s.flops(), rounds, secondsPerRound, warmUp, () -> {
        for (int p = 0; p < s.batch(); p++) {
          OpenBlas.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a.address + p * strideA, lda,
              b.address + p * strideB, ldb, s.beta(), c.address + p * strideC, s.n());
        }
      });
    } finally {
      a.free();
      b.free();
      c.free();
    }
  }

  /**
   * The best rate, in GFLOP/s, of {@code rounds} rounds of repeated {@code call}s (each {@code flopsPerCall}),
   * each round at least {@code secondsPerRound} long; with {@code warmUp}, one untimed round first.
   */
  public static double bestRate(double flopsPerCall, int rounds, double secondsPerRound, boolean warmUp,
                                Runnable call) {
    double best = 0;
    for (int r = warmUp ? -1 : 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      long calls = 0;
      long elapsed;
      do {
        call.run();
        calls++;
        elapsed = System.nanoTime() - t0;
      } while (elapsed < secondsPerRound * 1e9);
      if (r >= 0) {
        best = Math.max(best, flopsPerCall * calls / elapsed);
      }
    }
    return best;
  }

  /**
   * The machine's rate with {@code threads} independent single-threaded OpenBLAS calls at once (each thread on its
   * own operands, OpenBLAS at one thread): how a batched workload can use all cores without OpenBLAS's threading.
   * Best GFLOP/s over {@code rounds} rounds of at least {@code secondsPerRound}.
   */
  public static double gflopsConcurrent(Shape s, int threads, int rounds, double secondsPerRound) {
    if (threads < 1 || rounds < 1 || !(secondsPerRound > 0)) {
      throw new IllegalArgumentException("threads and rounds must be >= 1 and seconds > 0");
    }
    double best = 0;
    for (int r = -1; r < rounds; r++) {
      double[] rate = new double[threads];
      Thread[] ts = new Thread[threads];
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      for (int t = 0; t < threads; t++) {
        int id = t;
        ts[t] = new Thread(() -> {
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          rate[id] = measure(s, 1, secondsPerRound, false);
        });
        ts[t].start();
      }
      double total = 0;
      for (int t = 0; t < threads; t++) {
        try {
          ts[t].join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        total += rate[t];
      }
      if (r >= 0) {
        best = Math.max(best, total);
      }
    }
    return best;
  }

  /** OpenBLAS's version and kernel family, e.g. {@code OpenBLAS 0.3.31 Haswell kernels}. */
  public static String library() {
    return "OpenBLAS " + OpenBlas.version() + " " + OpenBlas.coreName() + " kernels";
  }
}
