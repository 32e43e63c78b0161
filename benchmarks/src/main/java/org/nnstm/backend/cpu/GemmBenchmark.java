package org.nnstm.backend.cpu;

import java.util.concurrent.TimeUnit;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batched SGEMM at the training shapes of a width-784 layer at mini-batch 64, K models at once
 * (W_p is out x in): forward Z_p = X W_p^T (NT, X shared, stride 0), backward-data dX_p = dZ_p W_p (NN),
 * backward-weights dW_p = dZ_p^T X (TN). Each is 2 * 64 * 784 * 784 * K flops (78.7 MFLOP per model).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GemmBenchmark {
  @Param({"1", "8"})
  int models;
  @Param({"1"})
  int blasThreads;

  static final int ROWS = 64;
  static final int WIDTH = 784;
  Backend be;
  Tensor x;
  Tensor w;
  Tensor z;
  Tensor dz;
  Tensor dx;
  Tensor dw;

  @Setup
  public void setup() {
    be = new CpuBackend(blasThreads);
    x = be.zeros(ROWS, WIDTH);
    w = be.zeros(models, WIDTH, WIDTH);
    z = be.zeros(models, ROWS, WIDTH);
    dz = be.zeros(models, ROWS, WIDTH);
    dx = be.zeros(models, ROWS, WIDTH);
    dw = be.zeros(models, WIDTH, WIDTH);
    be.fillGaussian(x, 0, x.size(), 1f, 1, 0);
    be.fillGaussian(w, 0, w.size(), 0.04f, 1, 1);
    be.fillGaussian(dz, 0, dz.size(), 1f, 1, 2);
  }

  @TearDown
  public void tearDown() {
    for (Tensor t : new Tensor[] {x, w, z, dz, dx, dw}) {
      t.close();
    }
    be.close();
  }

  @Benchmark
  public void forwardNT() {
    be.gemm(false, true, ROWS, WIDTH, WIDTH, 1f, x, 0, w, (long) WIDTH * WIDTH, 0f, z, (long) ROWS * WIDTH, models);
  }

  @Benchmark
  public void backwardDataNN() {
    be.gemm(false, false, ROWS, WIDTH, WIDTH, 1f, dz, (long) ROWS * WIDTH, w, (long) WIDTH * WIDTH, 0f, dx,
        (long) ROWS * WIDTH, models);
  }

  @Benchmark
  public void backwardWeightsTN() {
    be.gemm(true, false, WIDTH, WIDTH, ROWS, 1f, dz, (long) ROWS * WIDTH, x, 0, 0f, dw, (long) WIDTH * WIDTH, models);
  }

  /** dW_p accumulated into a momentum buffer: V_p = 0.9 V_p + dZ_p^T X (beta != 0 reads C). */
  @Benchmark
  public void backwardWeightsIntoMomentumTN() {
    be.gemm(true, false, WIDTH, WIDTH, ROWS, 1f, dz, (long) ROWS * WIDTH, x, 0, 0.9f, dw, (long) WIDTH * WIDTH, models);
  }
}
