package org.nnstm.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendUnavailableException;
import org.nnstm.tensor.Tensor;

/**
 * GPU benchmark table (run by tools/gpu-check): SGEMM GFLOP/s at 4096^3 and at the training shape
 * 64 x 784 x 784 for K = 1 and K = 41 models, fused bias+tanh GB/s, and milliseconds per training step
 * of K tanh networks composed from {@link Backend} ops.
 *
 * <p>Network: input 784, then (depth - 1) tanh layers of width 784, one tanh layer of width 400, and a
 * linear output of 10 classes (depth + 1 weight matrices, PyTorch layout out x in), batch 64, softmax
 * cross-entropy (mean over the batch), SGD with momentum 0.9. One step = forward + backward + update of
 * all K models (every op batched over K). tools/torch_step.py runs the same step in PyTorch.
 *
 * <p>Usage: {@code java -cp nnstm.jar org.nnstm.backend.cuda.GpuBenchmark [--quick]}; exits with status 2
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
      for (int depth : new int[] {10, 30}) {
        for (int models : new int[] {1, 41}) {
          double ms = trainingStepMs(be, depth, models, quick ? 10 : 50);
          System.out.printf(Locale.ROOT, "| train step depth %d, K=%d, batch 64 | %.3f ms/step (%.0f model-steps/s) | |%n",
              depth, models, ms, models * 1000.0 / ms);
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

  /** Milliseconds per training step of {@code models} networks of the given depth (see class javadoc). */
  static double trainingStepMs(Backend be, int depth, int models, int steps) {
    int batch = 64;
    int[] width = new int[depth + 2];
    width[0] = 784;
    for (int l = 1; l < depth; l++) {
      width[l] = 784;
    }
    width[depth] = 400;
    width[depth + 1] = 10;
    int layers = depth + 1;
    List<Tensor> all = new ArrayList<>();
    Tensor[] w = new Tensor[layers];
    Tensor[] b = new Tensor[layers];
    Tensor[] vw = new Tensor[layers];
    Tensor[] vb = new Tensor[layers];
    Tensor[] gw = new Tensor[layers];
    Tensor[] gb = new Tensor[layers];
    Tensor[] z = new Tensor[layers + 1];
    Tensor[] h = new Tensor[layers + 1];
    try {
      for (int l = 0; l < layers; l++) {
        int in = width[l];
        int out = width[l + 1];
        w[l] = add(all, be.zeros(models, out, in));
        be.fillGaussian(w[l], 0, w[l].size(), (float) Math.sqrt(1.5 / in), 7, l);
        b[l] = add(all, be.zeros(models, out));
        be.fillGaussian(b[l], 0, b[l].size(), (float) Math.sqrt(0.05), 7, 1000 + l);
        vw[l] = add(all, be.zeros(models, out, in));
        vb[l] = add(all, be.zeros(models, out));
        gw[l] = add(all, be.zeros(models, out, in));
        gb[l] = add(all, be.zeros(models, out));
        z[l + 1] = add(all, be.zeros(models, batch, out));
        h[l + 1] = add(all, be.zeros(models, batch, out));
      }
      h[0] = add(all, be.zeros(batch, 784));
      be.fillGaussian(h[0], 0, h[0].size(), 0.3f, 9, 0);
      float[] labelArray = new float[batch];
      for (int r = 0; r < batch; r++) {
        labelArray[r] = r % 10;
      }
      Tensor labels = add(all, be.upload(labelArray, batch));
      Tensor stats = add(all, be.zeros(models, 2));
      Tensor[] dh = new Tensor[layers + 1];
      for (int l = 1; l <= layers; l++) {
        dh[l] = add(all, be.zeros(models, batch, width[l]));
      }
      for (int i = 0; i < 3; i++) {
        step(be, width, models, batch, w, b, vw, vb, gw, gb, z, h, dh, labels, stats);
      }
      be.synchronize();
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        step(be, width, models, batch, w, b, vw, vb, gw, gb, z, h, dh, labels, stats);
      }
      be.synchronize();
      double ms = (System.nanoTime() - t0) * 1e-6 / steps;
      float[] st = be.download(stats);
      for (int p = 0; p < models; p++) {
        if (!Float.isFinite(st[2 * p])) {
          throw new IllegalStateException("training step produced a non-finite loss for model " + p + ": " + st[2 * p]);
        }
      }
      return ms;
    } finally {
      for (Tensor t : all) {
        t.close();
      }
    }
  }

  private static Tensor add(List<Tensor> all, Tensor t) {
    all.add(t);
    return t;
  }

  private static void step(Backend be, int[] width, int models, int batch, Tensor[] w, Tensor[] b, Tensor[] vw,
                           Tensor[] vb, Tensor[] gw, Tensor[] gb, Tensor[] z, Tensor[] h, Tensor[] dh,
                           Tensor labels, Tensor stats) {
    int layers = w.length;
    for (int l = 0; l < layers; l++) {
      int in = width[l];
      int out = width[l + 1];
      long strideH = l == 0 ? 0 : (long) batch * in;
      be.gemm(false, true, batch, out, in, 1f, h[l], strideH, w[l], (long) out * in, 0f, z[l + 1], (long) batch * out,
          models);
      be.biasActivationForward(l == layers - 1 ? Activation.IDENTITY : Activation.TANH, models, batch, out, z[l + 1],
          b[l], h[l + 1]);
    }
    // dh[layers] holds dLoss/dlogits (the pre-activation gradient of the linear output layer)
    be.softmaxCrossEntropy(models, batch, width[layers], h[layers], labels, 1f / batch, dh[layers], stats);
    for (int l = layers - 1; l >= 0; l--) {
      int in = width[l];
      int out = width[l + 1];
      long strideH = l == 0 ? 0 : (long) batch * in;
      Tensor dz = dh[l + 1];
      be.gemm(true, false, out, in, batch, 1f, dz, (long) batch * out, h[l], strideH, 0f, gw[l], (long) out * in,
          models);
      be.columnSums(models, batch, out, dz, 0f, gb[l]);
      if (l > 0) {
        be.gemm(false, false, batch, in, out, 1f, dz, (long) batch * out, w[l], (long) out * in, 0f, dh[l],
            (long) batch * in, models);
        be.activationBackward(Activation.TANH, dh[l].size(), dh[l], h[l], dh[l]);
      }
    }
    for (int l = 0; l < layers; l++) {
      be.sgdMomentum(w[l].size(), 0.01f, 0.9f, w[l], gw[l], vw[l]);
      be.sgdMomentum(b[l].size(), 0.01f, 0.9f, b[l], gb[l], vb[l]);
    }
  }
}
