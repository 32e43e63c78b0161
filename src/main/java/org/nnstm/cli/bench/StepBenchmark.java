package org.nnstm.cli.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;

/**
 * Times training steps of an ensemble on synthetic MNIST-shaped data (uniform pixels, random labels),
 * and the GEMMs of the same step alone, for benchmarks and tools (never for unit tests).
 */
public final class StepBenchmark {
  /** Milliseconds per step (median of repeats) and the same for the step's GEMMs only. */
  public record Result(int depth, int models, int batch, double msPerStep, double msGemmsOnly,
                       double gemmFlopsPerStep) {
    /** Models trained per second. */
    public double modelStepsPerSecond() {
      return models * 1000.0 / msPerStep;
    }

    /** Step time over GEMM time, minus one: the overhead of everything that is not a GEMM. */
    public double overhead() {
      return msPerStep / msGemmsOnly - 1;
    }

    public double gemmGflops() {
      return gemmFlopsPerStep / (msGemmsOnly * 1e6);
    }
  }

  private StepBenchmark() {}

  /**
   * Runs {@code warmup} steps, then {@code repeats} rounds of {@code steps} steps and of {@code steps}
   * GEMM-only steps, alternating; returns the medians.
   */
  public static Result run(Backend backend, NetworkSpec spec, int models, int batch, int warmup, int steps,
                           int repeats) {
    List<ModelInit> inits = ModelInit.grid(linspace(1.0, 3.0, models), 0.05, 0, 1);
    SplittableRandom rng = new SplittableRandom(1);
    float[] images = new float[batch * spec.width(0)];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(spec.width(spec.depth()));
    }
    double[] step = new double[repeats];
    double[] gemm = new double[repeats];
    try (Ensemble net = new Ensemble(backend, spec, inits);
         EnsembleTrainer trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(0.005f, 0.8f, batch))) {
      for (int i = 0; i < warmup; i++) {
        trainer.step(images, labels, batch);
        trainer.gemmsOfStep(batch);
      }
      backend.synchronize();
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          trainer.gemmsOfStep(batch);
        }
        backend.synchronize();
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          trainer.step(images, labels, batch);
        }
        backend.synchronize();
        long t2 = System.nanoTime();
        gemm[r] = (t1 - t0) * 1e-6 / steps;
        step[r] = (t2 - t1) * 1e-6 / steps;
      }
    }
    double flops = 0;
    for (int l = 0; l < spec.depth(); l++) {
      double f = 2.0 * batch * spec.width(l) * spec.width(l + 1) * models;
      flops += l == 0 ? 2 * f : 3 * f;
    }
    return new Result(spec.depth(), models, batch, median(step), median(gemm), flops);
  }

  public static double[] linspace(double a, double b, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
    }
    return v;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }
}
