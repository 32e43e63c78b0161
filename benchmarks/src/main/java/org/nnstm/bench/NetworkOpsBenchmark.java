package org.nnstm.bench;

import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The non-GEMM ops of one width-784 layer's training step at mini-batch 64, K models at once, through
 * the {@link Backend} API: bias + tanh forward, tanh backward and the bias gradient (column sums) on
 * K x 64 x 784; the softmax cross-entropy loss and gradient on K x 64 x 10 logits; the SGD momentum
 * update of K x 784 x 784 weights; a hidden layer's whole backward step (data gradient, momentum GEMM and weight
 * step) as the one fused op and as the two ops it replaces. The rate is the secondary metric {@code elements}
 * (elements/s, the elements of the op's largest operand per call).
 */
public class NetworkOpsBenchmark extends BenchmarkDefaults {
  @Param({"1", "8"})
  int models;
  @Param({"1", "2"})
  int threads;

  static final int ROWS = 64;
  static final int WIDTH = 784;
  static final int CLASSES = 10;
  Backend be;
  Tensor z;
  Tensor bias;
  Tensor y;
  Tensor dy;
  Tensor dz;
  Tensor db;
  Tensor logits;
  Tensor labels;
  Tensor grad;
  Tensor stats;
  Tensor w;
  Tensor g;
  Tensor v;
  long activations;
  long weights;
  long outputs;

  @Setup
  public void setup() {
    be = Backends.cpu(threads);
    activations = (long) models * ROWS * WIDTH;
    weights = (long) models * WIDTH * WIDTH;
    outputs = (long) models * ROWS * CLASSES;
    z = be.zeros(models, ROWS, WIDTH);
    bias = be.zeros(models, WIDTH); // zero, so that z (modified in place) stays the same from call to call
    y = be.zeros(models, ROWS, WIDTH);
    dy = be.zeros(models, ROWS, WIDTH);
    dz = be.zeros(models, ROWS, WIDTH);
    db = be.zeros(models, WIDTH);
    logits = be.zeros(models, ROWS, CLASSES);
    grad = be.zeros(models, ROWS, CLASSES);
    stats = be.zeros(models, 2);
    w = be.zeros(models, WIDTH, WIDTH);
    g = be.zeros(models, WIDTH, WIDTH);
    v = be.zeros(models, WIDTH, WIDTH);
    be.fillGaussian(z, 0, z.size(), 1f, 2, 0);
    be.fillGaussian(y, 0, y.size(), 0.5f, 2, 1);
    be.fillGaussian(dy, 0, dy.size(), 1f, 2, 2);
    be.fillGaussian(logits, 0, logits.size(), 2f, 2, 3);
    be.fillGaussian(w, 0, w.size(), 0.04f, 2, 4);
    be.fillGaussian(g, 0, g.size(), 1e-3f, 2, 5);
    float[] classes = new float[ROWS];
    for (int r = 0; r < ROWS; r++) {
      classes[r] = (r * 7) % CLASSES;
    }
    labels = be.upload(classes, ROWS);
  }

  @TearDown
  public void tearDown() {
    for (Tensor t : new Tensor[] {z, bias, y, dy, dz, db, logits, labels, grad, stats, w, g, v}) {
      t.close();
    }
    be.close();
  }

  /** z += b; y = tanh z on K x 64 x 784. */
  @Benchmark
  public void biasTanhForward(Rates.Elements rate) {
    be.biasActivationForward(Activation.TANH, models, ROWS, WIDTH, z, bias, y);
    rate.elements += activations;
  }

  /** dz = dy (1 - y^2) on K x 64 x 784. */
  @Benchmark
  public void tanhBackward(Rates.Elements rate) {
    be.activationBackward(Activation.TANH, activations, dy, z, y, dz);
    rate.elements += activations;
  }

  /** db = sum over the 64 rows of dz, K x 64 x 784 in. */
  @Benchmark
  public void biasGradientColumnSums(Rates.Elements rate) {
    be.columnSums(models, ROWS, WIDTH, dy, 0f, db);
    rate.elements += activations;
  }

  /** Softmax cross-entropy loss and gradient on K x 64 x 10 logits. */
  @Benchmark
  public void softmaxCrossEntropyLoss(Rates.Elements rate) {
    be.softmaxCrossEntropy(models, ROWS, CLASSES, logits, labels, 1f / ROWS, grad, stats);
    rate.elements += outputs;
  }

  /** v = 0.8 v + g; w -= 0.005 v on K x 784 x 784. */
  @Benchmark
  public void sgdMomentumUpdate(Rates.Elements rate) {
    be.sgdMomentum(weights, 0.005f, 0.8f, w, g, v);
    rate.elements += weights;
  }

  /** A 784 -> 784 layer's backward step as one op: dx = dz W, v = dz^T y + 0.8 v, w -= 0.005 v (K models). */
  @Benchmark
  public void layerBackwardFused(Rates.Elements rate) {
    be.linearBackward(models, ROWS, WIDTH, WIDTH, dz, y, (long) ROWS * WIDTH, 0.8f, v, w, -0.005f, dy);
    rate.elements += weights;
  }

  /** The same step as the trainer did it before linearBackward: the data-gradient GEMM, then gemmThenAxpy. */
  @Benchmark
  public void layerBackwardSeparate(Rates.Elements rate) {
    long acts = (long) ROWS * WIDTH;
    long ws = (long) WIDTH * WIDTH;
    be.gemm(false, false, ROWS, WIDTH, WIDTH, 1f, dz, acts, w, ws, 0f, dy, acts, models);
    be.gemmThenAxpy(true, false, WIDTH, WIDTH, ROWS, 1f, dz, acts, y, acts, 0.8f, v, ws, models, -0.005f, w);
    rate.elements += weights;
  }
}
