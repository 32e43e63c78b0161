package org.nnstm.bench;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Batched SGEMM ({@link Backend#gemm}) at the training shapes of a width-784 layer at mini-batch 64, K
 * models at once (W_p is out x in, row-major): forward Z_p = X W_p^T (NT, 64x784x784, X shared with
 * stride 0); weight gradient into the momentum buffer V_p = dZ_p^T X + 0.8 V_p (TN, 784x784x64, beta =
 * momentum, so C is read); data gradient dX_p = dZ_p W_p (NN, 64x784x784). Each call is
 * 2 * 64 * 784 * 784 * K flops (78.7 MFLOP per model); the rate is the secondary metric {@code gflop}.
 */
public class GemmBenchmark extends BenchmarkDefaults {
  @Param({"1", "8"})
  int models;
  @Param({"1", "2"})
  int threads;

  static final int ROWS = 64;
  static final int WIDTH = 784;
  static final float MOMENTUM = 0.8f;
  Backend be;
  Tensor x;
  Tensor w;
  Tensor z;
  Tensor dz;
  Tensor dx;
  Tensor v;
  double gflopPerCall;

  @Setup
  public void setup() {
    be = Backends.cpu(threads);
    x = be.zeros(ROWS, WIDTH);
    w = be.zeros(models, WIDTH, WIDTH);
    z = be.zeros(models, ROWS, WIDTH);
    dz = be.zeros(models, ROWS, WIDTH);
    dx = be.zeros(models, ROWS, WIDTH);
    v = be.zeros(models, WIDTH, WIDTH);
    be.fillGaussian(x, 0, x.size(), 1f, 1, 0);
    be.fillGaussian(w, 0, w.size(), 0.04f, 1, 1);
    be.fillGaussian(dz, 0, dz.size(), 1f, 1, 2);
    gflopPerCall = Rates.gemmGflop(ROWS, WIDTH, WIDTH, models);
  }

  @TearDown
  public void tearDown() {
    for (Tensor t : new Tensor[] {x, w, z, dz, dx, v}) {
      t.close();
    }
    be.close();
  }

  @Benchmark
  public void forwardNT(Rates.Flops rate) {
    be.gemm(false, true, ROWS, WIDTH, WIDTH, 1f, x, 0, w, (long) WIDTH * WIDTH, 0f, z, (long) ROWS * WIDTH, models);
    rate.gflop += gflopPerCall;
  }

  @Benchmark
  public void weightGradientIntoMomentumTN(Rates.Flops rate) {
    // V_p = dZ_p^T X + 0.8 V_p grows geometrically towards 5 dZ^T X, which stays finite.
    be.gemm(true, false, WIDTH, WIDTH, ROWS, 1f, dz, (long) ROWS * WIDTH, x, 0, MOMENTUM, v, (long) WIDTH * WIDTH,
        models);
    rate.gflop += gflopPerCall;
  }

  @Benchmark
  public void dataGradientNN(Rates.Flops rate) {
    be.gemm(false, false, ROWS, WIDTH, WIDTH, 1f, dz, (long) ROWS * WIDTH, w, (long) WIDTH * WIDTH, 0f, dx,
        (long) ROWS * WIDTH, models);
    rate.gflop += gflopPerCall;
  }
}
