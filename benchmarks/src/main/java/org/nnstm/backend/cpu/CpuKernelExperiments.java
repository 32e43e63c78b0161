package org.nnstm.backend.cpu;

import java.util.concurrent.TimeUnit;
import org.nnstm.tensor.Activation;
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
 * Experiments on the CPU backend's elementwise kernels, kept as the baselines the current code beat
 * (see benchmarks/RESULTS.md, 2026-11-22): bias + identity forward, the SGD update as a fused Java loop
 * and as the axpy left when the weight gradient goes into the momentum buffer, FastTanh and Math.tanh
 * over 64 x 784 heap floats. Not part of the tracked suite (tools/bench-record runs org.nnstm.bench);
 * the tracked versions of the training ops are in org.nnstm.bench.NetworkOpsBenchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CpuKernelExperiments {
  @Param({"1", "8"})
  int models;

  static final int ROWS = 64;
  static final int WIDTH = 784;
  Backend be;
  Tensor z;
  Tensor bias;
  Tensor y;
  Tensor dy;
  Tensor db;
  Tensor w;
  Tensor g;
  Tensor v;
  float[] heapIn;
  float[] heapOut;

  @Setup
  public void setup() {
    be = new CpuBackend(1);
    z = be.zeros(models, ROWS, WIDTH);
    bias = be.zeros(models, WIDTH);
    y = be.zeros(models, ROWS, WIDTH);
    dy = be.zeros(models, ROWS, WIDTH);
    db = be.zeros(models, WIDTH);
    w = be.zeros(models, WIDTH, WIDTH);
    g = be.zeros(models, WIDTH, WIDTH);
    v = be.zeros(models, WIDTH, WIDTH);
    be.fillGaussian(z, 0, z.size(), 1f, 2, 0);
    be.fillGaussian(y, 0, y.size(), 0.5f, 2, 1);
    be.fillGaussian(dy, 0, dy.size(), 1f, 2, 2);
    be.fillGaussian(w, 0, w.size(), 0.04f, 2, 3);
    be.fillGaussian(g, 0, g.size(), 1e-3f, 2, 4);
    heapIn = be.download(z);
    heapIn = java.util.Arrays.copyOf(heapIn, ROWS * WIDTH);
    heapOut = new float[ROWS * WIDTH];
  }

  @TearDown
  public void tearDown() {
    for (Tensor t : new Tensor[] {z, bias, y, dy, db, w, g, v}) {
      t.close();
    }
    be.close();
  }

  @Benchmark
  public void biasIdentityForward() {
    be.biasActivationForward(Activation.IDENTITY, models, ROWS, WIDTH, z, bias, y);
  }

  /**
   * Experiment (kept as the baseline the BLAS version beat): the update of {@link #sgdMomentum} as one
   * fused Java loop over the direct FloatBuffers.
   */
  @Benchmark
  public void sgdMomentumBufferLoop() {
    java.nio.FloatBuffer wb = ((CpuTensor) w).data();
    java.nio.FloatBuffer gb = ((CpuTensor) g).data();
    java.nio.FloatBuffer vb = ((CpuTensor) v).data();
    int n = models * WIDTH * WIDTH;
    for (int i = 0; i < n; i++) {
      float vi = 0.9f * vb.get(i) + gb.get(i);
      vb.put(i, vi);
      wb.put(i, wb.get(i) - 1e-3f * vi);
    }
  }

  /**
   * The update step when the weight gradient is accumulated straight into the momentum buffer by the
   * TN gemm (beta = mu, see GemmBenchmark.backwardWeightsIntoMomentumTN): only w -= lr v remains.
   */
  @Benchmark
  public void momentumAxpy() {
    be.axpy((long) models * WIDTH * WIDTH, -1e-3f, v, w);
  }

  /** FastTanh over 64 x 784 heap floats (independent of models). */
  @Benchmark
  public float[] fastTanhHeap() {
    FastTanh.tanh(heapIn, heapOut, heapIn.length);
    return heapOut;
  }

  /** Math.tanh over 64 x 784 heap floats, the baseline FastTanh replaces (independent of models). */
  @Benchmark
  public float[] mathTanhHeap() {
    for (int i = 0; i < heapIn.length; i++) {
      heapOut[i] = (float) Math.tanh(heapIn[i]);
    }
    return heapOut;
  }
}
