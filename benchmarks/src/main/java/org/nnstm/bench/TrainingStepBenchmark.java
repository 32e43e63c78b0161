package org.nnstm.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One SGD training step of K reference networks (wide layout 784-...-784-10, tanh, softmax CE, lr 0.005,
 * momentum 0.8, batch 64, sigma_w^2 spread over [1, 3]) on synthetic data, and the same step's GEMMs
 * alone ({@link EnsembleTrainer#gemmsOfStep}). Both report the secondary metric {@code gflop}: the step's
 * GEMM flops (forward 2 b n_l n_{l+1} K per layer, backward twice that except for the first layer, which
 * needs no data gradient) per second, so {@code gemmsOnly / step - 1} is the share of the step outside
 * the GEMMs.
 */
public class TrainingStepBenchmark extends BenchmarkDefaults {
  @Param({"10", "20"})
  int depth;
  @Param({"1", "8"})
  int models;
  @Param({"1", "2"})
  int threads;

  static final int BATCH = 64;
  Backend backend;
  Ensemble net;
  EnsembleTrainer trainer;
  float[] images;
  int[] labels;
  double gflopPerStep;

  @Setup
  public void setup() {
    backend = Backends.cpu(threads);
    NetworkSpec spec = NetworkSpec.tanh(Layouts.wide(depth));
    double[] weightVariances = new double[models];
    for (int i = 0; i < models; i++) {
      weightVariances[i] = models == 1 ? 1.0 : 1.0 + 2.0 * i / (models - 1);
    }
    List<ModelInit> inits = ModelInit.grid(weightVariances, 0.05, 0, 1);
    net = new Ensemble(backend, spec, inits);
    trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.005f, 0.8f, BATCH));
    SplittableRandom rng = new SplittableRandom(1);
    images = new float[BATCH * spec.width(0)];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = rng.nextInt(spec.width(spec.depth()));
    }
    double flop = 0;
    for (int l = 0; l < spec.depth(); l++) {
      double forward = Rates.gemmGflop(BATCH, spec.width(l + 1), spec.width(l), models);
      flop += l == 0 ? 2 * forward : 3 * forward;
    }
    gflopPerStep = flop;
  }

  @TearDown
  public void tearDown() {
    trainer.close();
    net.close();
    backend.close();
  }

  @Benchmark
  public void step(Rates.Flops rate) {
    trainer.step(images, labels, BATCH);
    rate.gflop += gflopPerStep;
  }

  @Benchmark
  public void gemmsOnly(Rates.Flops rate) {
    trainer.gemmsOfStep(BATCH);
    rate.gflop += gflopPerStep;
  }
}
