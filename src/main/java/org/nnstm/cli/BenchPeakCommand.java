package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.backend.cpu.CpuBackend;
import org.nnstm.backend.cpu.SgemmPeak;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm bench-peak}: OpenBLAS's own SGEMM rate at the training shapes, beside the CPU backend's. */
@Command(name = "bench-peak", mixinStandardHelpOptions = true,
    description = {"The machine's SGEMM GFLOP/s at the training shapes, through the same OpenBLAS that the CPU "
        + "backend uses, called directly, with one thread and with all threads (two ways: OpenBLAS threading one "
        + "call, and one single-threaded call per thread at once; the peak is the better), beside the CPU backend's "
        + "own GEMM (its task split, same threads): the yardstick for bench-step.",
        "Output: a table; with --json one object per shape and thread count (shape, m, n, k, batch, threads, "
            + "openblas_threaded_gflops, openblas_concurrent_gflops, peak_gflops, nnstm_gflops, library); "
            + "--threads is the 'all threads' count.",
        "Example: nnstm bench-peak --models 8 --json"})
final class BenchPeakCommand implements Callable<Integer> {
  @Option(names = "--models", defaultValue = "8", description = "K of the batched shape (default: ${DEFAULT-VALUE}).")
  int models;

  @Mixin
  CommonOptions.Threads threads;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds; the best is kept (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seconds", defaultValue = "0.3", description = "Seconds per round (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Mixin
  CommonOptions.Output output;

  /** The shapes of one 784-wide layer's training step (batch 64): forward, weight gradient (beta = momentum), data gradient. */
  static List<SgemmPeak.Shape> trainingShapes(int models) {
    List<SgemmPeak.Shape> s = new ArrayList<>();
    s.add(new SgemmPeak.Shape(false, true, 64, 784, 784, 0f, 1));
    s.add(new SgemmPeak.Shape(true, false, 784, 784, 64, 0.8f, 1));
    s.add(new SgemmPeak.Shape(false, false, 64, 784, 784, 0f, 1));
    if (models > 1) {
      s.add(new SgemmPeak.Shape(false, true, 64, 784, 784, 0f, models));
      s.add(new SgemmPeak.Shape(true, false, 784, 784, 64, 0.8f, models));
      s.add(new SgemmPeak.Shape(false, false, 64, 784, 784, 0f, models));
    }
    return s;
  }

  @Override
  public Integer call() {
    int all = threads.count();
    if (models < 1 || rounds < 1 || !(seconds > 0) || seconds > 60) {
      throw new IllegalArgumentException("--models, --rounds must be >= 1 and --seconds in (0, 60]");
    }
    PrintWriter err = output.err();
    err.println("nnstm: bench-peak: " + SgemmPeak.library() + ", threads 1 and " + all);
    err.flush();
    int[] counts = all == 1 ? new int[] {1} : new int[] {1, all};
    if (!output.json()) {
      output.out().printf(Locale.ROOT, "%-28s %7s %15s %15s %12s %8s%n", "shape", "threads", "OpenBLAS-thr GF/s",
          "concurrent GF/s", "nnstm GF/s", "nnstm %");
    }
    for (SgemmPeak.Shape s : trainingShapes(models)) {
      for (int t : counts) {
        double threaded = SgemmPeak.gflops(s, t, rounds, seconds);
        double concurrent = t == 1 ? threaded : SgemmPeak.gflopsConcurrent(s, t, rounds, seconds);
        double peak = Math.max(threaded, concurrent);
        double ours = backendGflops(s, t, rounds, seconds);
        output.row(String.format(Locale.ROOT, "%-28s %7d %15.1f %15.1f %12.1f %7.0f%%", s.label(), t, threaded,
            concurrent, ours, 100 * ours / peak), "shape", s.label(), "m", s.m(), "n", s.n(), "k", s.k(),
            "batch", s.batch(), "threads", t, "openblas_threaded_gflops", threaded, "openblas_concurrent_gflops",
            concurrent, "peak_gflops", peak, "nnstm_gflops", ours, "library", SgemmPeak.library());
      }
    }
    return 0;
  }

  /** The CPU backend's batched GEMM at the shape on {@code threads} threads: best GFLOP/s of the rounds. */
  static double backendGflops(SgemmPeak.Shape s, int threads, int rounds, double seconds) {
    try (Backend b = new CpuBackend(threads);
         Tensor a = b.zeros(s.batch(), s.m() * s.k());
         Tensor w = b.zeros(s.batch(), s.k() * s.n());
         Tensor c = b.zeros(s.batch(), s.m() * s.n())) {
      b.fillGaussian(a, 0, a.size(), 1f, 1, 0);
      b.fillGaussian(w, 0, w.size(), 1f, 1, 1);
      return SgemmPeak.bestRate(s.flops(), rounds, seconds, true, () -> b.gemm(s.transA(), s.transB(), s.m(), s.n(),
          s.k(), 1f, a, (long) s.m() * s.k(), w, (long) s.k() * s.n(), s.beta(), c, (long) s.m() * s.n(), s.batch()));
    }
  }
}
