package org.nnstm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.backend.cpu.CpuBackend;
import org.nnstm.backend.cpu.SgemmPeak;
import org.nnstm.cli.bench.StepBenchmark;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm bench-step}: ms per training step of the reference network, and of its GEMMs alone. */
@Command(name = "bench-step", mixinStandardHelpOptions = true,
    description = {"Time training steps (synthetic MNIST-shaped batch) of K models of the wide layout, "
        + "and the same step's GEMMs alone.",
        "Output: one line per K and depth; with --json one object each (impl, backend, depth, models, batch, "
            + "ms_per_step, ms_gemms_only, overhead, gemm_gflops, model_steps_per_s, step_gflops, and on the CPU "
            + "backend peak_gflops, gemm_pct_of_peak).",
        "Example: nnstm bench-step --depth 10,20,30 --models 1 --backend cpu --json"})
final class BenchStepCommand implements Callable<Integer> {
  @Option(names = "--depth", defaultValue = "10", split = ",", description = "Depths (default: ${DEFAULT-VALUE}).")
  int[] depths;

  @Option(names = "--models", defaultValue = "1", split = ",",
      description = "Models K trained together, one or a list (default: ${DEFAULT-VALUE}).")
  int[] modelCounts;

  @Option(names = "--no-peak", description = "Skip the OpenBLAS yardstick (CPU backend only; about 2 s per K).")
  boolean noPeak;

  @Option(names = "--batch", defaultValue = "64", description = "Mini-batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--steps", defaultValue = "20", description = "Steps per timed round (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--repeats", defaultValue = "5", description = "Timed rounds; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Mixin
  CommonOptions.Output output;

  @Mixin
  BackendOptions backendOptions;

  @Override
  public Integer call() {
    boolean badK = false;
    for (int k : modelCounts) {
      badK |= k < 1;
    }
    if (badK || batch < 1 || steps < 1 || repeats < 1 || warmup < 0) {
      throw new IllegalArgumentException("--models, --batch, --steps, --repeats must be >= 1 and --warmup >= 0");
    }
    try (Backend backend = backendOptions.open(output.err())) {
      for (int models : modelCounts) {
        double peak = Double.NaN;
        if (!noPeak && backend instanceof CpuBackend cpu) {
          peak = stepPeak(models, batch, cpu.threads());
        }
        for (int depth : depths) {
          StepBenchmark.Result r = StepBenchmark.run(backend, NetworkSpec.tanh(Layouts.wide(depth)), models,
              batch, warmup, steps, repeats);
          double stepGflops = r.gemmFlopsPerStep() / (r.msPerStep() * 1e6);
          List<Object> json = new ArrayList<>(List.of("impl", "nnstm", "backend", backend.name(), "depth", depth,
              "models", models, "batch", batch, "ms_per_step", r.msPerStep(), "ms_gemms_only", r.msGemmsOnly(),
              "overhead", r.overhead(), "gemm_gflops", r.gemmGflops(), "model_steps_per_s", r.modelStepsPerSecond(),
              "step_gflops", stepGflops));
          if (!Double.isNaN(peak)) {
            json.addAll(List.of("peak_gflops", peak, "gemm_pct_of_peak", 100 * r.gemmGflops() / peak));
          }
          output.row(String.format(Locale.ROOT, "%s depth %d K %d batch %d: %.3f ms/step (%.1f GFLOP/s), GEMMs alone "
                  + "%.3f ms (%.1f GFLOP/s%s), overhead %+.1f%%, %.1f model-steps/s", backend.name(), depth, models,
              batch, r.msPerStep(), stepGflops, r.msGemmsOnly(), r.gemmGflops(), Double.isNaN(peak) ? ""
                  : String.format(Locale.ROOT, ", %.0f%% of OpenBLAS's %.1f", 100 * r.gemmGflops() / peak, peak),
              100 * r.overhead(), r.modelStepsPerSecond()), json.toArray());
        }
      }
    }
    return 0;
  }

  /**
   * OpenBLAS's own rate on {@code threads} threads (the better of its own threading and one single-threaded call
   * per thread at once, as bench-peak) for the three GEMM shapes of a 784-wide layer's step with K models,
   * combined as the step combines them (equal flops each: time-weighted harmonic mean).
   */
  static double stepPeak(int models, int batch, int threads) {
    SgemmPeak.Shape[] shapes = {
        new SgemmPeak.Shape(false, true, batch, 784, 784, 0f, models),
        new SgemmPeak.Shape(true, false, 784, 784, batch, 0.8f, models),
        new SgemmPeak.Shape(false, false, batch, 784, 784, 0f, models)};
    double inv = 0;
    for (SgemmPeak.Shape s : shapes) {
      double threaded = SgemmPeak.gflops(s, threads, 3, 0.2);
      double concurrent = threads == 1 ? threaded : SgemmPeak.gflopsConcurrent(s, threads, 3, 0.2);
      inv += 1 / Math.max(threaded, concurrent);
    }
    return shapes.length / inv;
  }
}
