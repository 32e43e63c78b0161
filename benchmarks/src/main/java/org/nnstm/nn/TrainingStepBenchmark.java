package org.nnstm.nn;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
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
 * One SGD training step of K reference networks (wide layout, tanh, softmax CE, momentum 0.8, batch 64)
 * on the CPU backend, and the same step's GEMMs alone: {@code step / gemmsOnly - 1} is the overhead of
 * everything that is not a GEMM (goal: within 15%).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBenchmark {
  @Param({"10", "20", "30"})
  int depth;
  @Param({"1", "8"})
  int models;

  static final int BATCH = 64;
  Backend backend;
  Ensemble net;
  EnsembleTrainer trainer;
  float[] images;
  int[] labels;

  @Setup
  public void setup() {
    backend = Backends.cpu(1);
    NetworkSpec spec = NetworkSpec.tanh(Layouts.wide(depth));
    List<ModelInit> inits = TrainingRun.grid(StepBenchmark.linspace(1.0, 3.0, models), 0.05, 0, 1);
    net = new Ensemble(backend, spec, inits);
    trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.005f, 0.8f, BATCH));
    SplittableRandom rng = new SplittableRandom(1);
    images = new float[BATCH * 784];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = rng.nextInt(10);
    }
  }

  @TearDown
  public void tearDown() {
    trainer.close();
    net.close();
    backend.close();
  }

  @Benchmark
  public void step() {
    trainer.step(images, labels, BATCH);
  }

  @Benchmark
  public void gemmsOnly() {
    trainer.gemmsOfStep(BATCH);
  }
}
