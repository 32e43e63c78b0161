package org.nnstm.cli.bench;

import java.util.Locale;
import org.nnstm.backend.cuda.CudaBackend;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendUnavailableException;
import org.nnstm.tensor.Tensor;

/**
 * GPU benchmark table (run by tools/gpu-check): SGEMM GFLOP/s at 4096^3 and at the training shape
 * 64 x 784 x 784 for K = 1 and K = 41 models, fused bias+tanh GB/s, and milliseconds per training step
 * of K reference networks through the real trainer ({@link StepBenchmark}: wide layout of depth L,
 * tanh after every layer, softmax cross-entropy, SGD lr 0.005 momentum 0.8, batch 64), with the step's
 * GEMMs alone beside it, and the KDE op's throughput in kernel pairs per second (10^5 samples x 10^4 points,
 * d = 1 and 2). tools/torch_step.py runs the same step in PyTorch.
 *
 * <p>Usage: {@code java -cp nnstm.jar org.nnstm.cli.bench.GpuBenchmark [--quick]}; exits with status 2
 * and a one-line message when no CUDA device is usable.
 */
public final class GpuBenchmark {
  private GpuBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    CudaBackend gpu;
    try {
      gpu = CudaBackend.open(0);
    } catch (BackendUnavailableException e) {
      System.err.println("GpuBenchmark: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (CudaBackend be = gpu) {
      double peak = be.peakFp32Flops();
      System.out.printf(Locale.ROOT, "# GpuBenchmark on %s, compute capability %s, %d SMs, nominal FP32 peak %.1f TFLOP/s%n",
          be.name(), be.computeCapability(), be.multiprocessors(), peak / 1e12);
      System.out.println("| measurement | value | % FP32 peak |");
      System.out.println("|---|---|---|");
      gemmRow(be, "SGEMM 4096^3 (NN)", false, false, 4096, 4096, 4096, 1, false, quick ? 3 : 10, peak);
      gemmRow(be, "SGEMM 4096^3 (NT)", false, true, 4096, 4096, 4096, 1, false, quick ? 3 : 10, peak);
      gemmRow(be, "SGEMM 64x784x784 NT, K=1", false, true, 64, 784, 784, 1, true, 200, peak);
      gemmRow(be, "SGEMM 64x784x784 NT, K=41", false, true, 64, 784, 784, 41, true, 100, peak);
      gemmRow(be, "SGEMM 784x784x64 TN (dW), K=41", true, false, 784, 784, 64, 41, false, 100, peak);
      biasTanhRow(be);
      kdeRow(be, 100_000, 10_000, 1, quick ? 2 : 5);
      kdeRow(be, 100_000, 10_000, 2, quick ? 2 : 5);
      for (int depth : new int[] {10, 30}) {
        for (int models : new int[] {1, 41}) {
          StepBenchmark.Result r = StepBenchmark.run(be, NetworkSpec.tanh(Layouts.wide(depth)), models, 64,
              5, quick ? 10 : 50, 3);
          System.out.printf(Locale.ROOT, "| train step depth %d (wide layout), K=%d, batch 64 | %.3f ms/step "
                  + "(%.0f model-steps/s), GEMMs alone %.3f ms | |%n",
              depth, models, r.msPerStep(), r.modelStepsPerSecond(), r.msGemmsOnly());
        }
      }
    }
  }

  private static void gemmRow(CudaBackend be, String label, boolean ta, boolean tb, int m, int n, int k, int batch,
                              boolean broadcastA, int reps, double peak) {
    long sa = broadcastA ? 0 : (long) m * k;
    try (Tensor a = be.zeros((int) (broadcastA ? (long) m * k : sa * batch));
         Tensor b = be.zeros((int) ((long) k * n * batch));
         Tensor c = be.zeros((int) ((long) m * n * batch))) {
      be.fillGaussian(a, 0, a.size(), 1f, 1, 0);
      be.fillGaussian(b, 0, b.size(), 1f, 1, 1);
      for (int i = 0; i < 3; i++) {
        be.gemm(ta, tb, m, n, k, 1f, a, sa, b, (long) k * n, 0f, c, (long) m * n, batch);
      }
      be.synchronize();
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        be.gemm(ta, tb, m, n, k, 1f, a, sa, b, (long) k * n, 0f, c, (long) m * n, batch);
      }
      be.synchronize();
      double s = (System.nanoTime() - t0) * 1e-9 / reps;
      double flops = 2.0 * m * n * k * batch / s;
      System.out.printf(Locale.ROOT, "| %s | %.0f GFLOP/s (%.3f ms) | %.1f%% |%n", label, flops / 1e9, s * 1e3,
          100 * flops / peak);
    }
  }

  /** Gaussian kernel log-sums (the KDE op) for n samples x m points in d dimensions: pairs per second. */
  private static void kdeRow(CudaBackend be, int n, int m, int d, int reps) {
    try (Tensor z = be.zeros(n, d); Tensor lw = be.zeros(n); Tensor y = be.zeros(m, d); Tensor out = be.zeros(m)) {
      be.fillGaussian(z, 0, z.size(), 1f, 3, 0);
      be.fillGaussian(y, 0, y.size(), 1f, 3, 1);
      be.fill(lw, 0, n, (float) -Math.log(n));
      be.gaussianKernelLogSums(n, m, d, z, lw, y, out);
      be.synchronize();
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        be.gaussianKernelLogSums(n, m, d, z, lw, y, out);
      }
      be.synchronize();
      double s = (System.nanoTime() - t0) * 1e-9 / reps;
      System.out.printf(Locale.ROOT, "| KDE kernel log-sums %d samples x %d points, d=%d | %.3g pairs/s (%.2f ms) | |%n",
          n, m, d, (double) n * m / s, s * 1e3);
    }
  }

  private static void biasTanhRow(CudaBackend be) {
    int batch = 41;
    int rows = 64;
    int cols = 784;
    long n = (long) batch * rows * cols;
    try (Tensor z = be.zeros((int) n); Tensor y = be.zeros((int) n); Tensor bias = be.zeros(batch * cols)) {
      be.fillGaussian(z, 0, n, 1f, 2, 0);
      int reps = 200;
      for (int i = 0; i < 10; i++) {
        be.biasActivationForward(Activation.TANH, batch, rows, cols, z, bias, y);
      }
      be.synchronize();
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        be.biasActivationForward(Activation.TANH, batch, rows, cols, z, bias, y);
      }
      be.synchronize();
      double s = (System.nanoTime() - t0) * 1e-9 / reps;
      double bytes = 3.0 * n * Float.BYTES + (double) batch * cols * Float.BYTES; // read z, write z and y, read bias
      System.out.printf(Locale.ROOT, "| fused bias+tanh 41x64x784 | %.0f GB/s (%.1f us) | |%n", bytes / s / 1e9, s * 1e6);
    }
  }
}
