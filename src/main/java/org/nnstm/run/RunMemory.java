package org.nnstm.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.NetworkSpec;

/**
 * The memory one training pass of an ensemble takes, estimated before anything is allocated, and the check of
 * that estimate against the memory budget and what the machine has, so that a run too large refuses up front
 * instead of being ended by the kernel's OOM killer; and the one pass splitter: how many models fit in one pass
 * ({@link #modelsPerPass}) and the passes of a run ({@link #passes}).
 *
 * <p>For K models of widths n_0..n_L, mini-batch B, P parameters per model ({@link NetworkSpec#parameterCount}),
 * in bytes (float32):
 * <ul>
 *   <li>backend, parameters and velocities: 2 * 4 * P * K;</li>
 *   <li>backend, activations and gradients: 4 * K * B * (2 * sum_{l=1..L} n_l + 2 * max_l n_l) + 4 * B * n_0
 *       (z_l and y_l per layer, two gradient buffers, the input batch; as {@link org.nnstm.nn.EnsembleTrainer} allocates;
 *       plus its evaluation buffers: 3 x K x EVAL_BATCHES B x max n_l and the EVAL_BATCHES B x n_0 input);</li>
 *   <li>Java heap, hooks: 2 * 4 * K * S * sum_{l=1..L} n_l for S hook samples (the pre-activations and their
 *       reshaped copies written to HDF5); parameter files: 3 * 4 * P (one model at a time: download, reshape,
 *       HDF5 buffer).</li>
 * </ul>
 */
public final class RunMemory {
  private RunMemory() {}

  private static final double GIB = 1024.0 * 1024.0 * 1024.0;

  /** Bytes of one pass: backend parameters (and velocities), backend activations, Java heap. */
  public record Estimate(int models, long parameterBytes, long activationBytes, long heapBytes) {
    /** Backend bytes: parameters, velocities, activations and gradients. */
    public long backendBytes() {
      return saturatedAdd(parameterBytes, activationBytes);
    }
  }

  /**
   * The estimate for a pass of {@code models} models of {@code spec} at mini-batch {@code batch}, with
   * {@code hookSamples} hook samples (0 for none) and parameter files when {@code params}.
   */
  public static Estimate pass(NetworkSpec spec, int batch, int models, int hookSamples, boolean params) {
    long sumWidths = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      sumWidths += spec.width(l);
    }
    long p = spec.parameterCount();
    long parameters = times(8, p, models);
    // + the evaluation's three buffers of EVAL_BATCHES mini-batches (z and two y) and its input
    long evalRows = (long) EnsembleTrainer.EVAL_BATCHES * batch;
    long activations = saturatedAdd(saturatedAdd(
        times(4L * models * batch, saturatedAdd(2 * sumWidths, 2L * spec.maxWidth()), 1),
        4L * batch * spec.width(0)),
        saturatedAdd(times(4L * models * evalRows, 3L * spec.maxWidth(), 1), 4L * evalRows * spec.width(0)));
    long heap = saturatedAdd(times(8L * models, hookSamples, sumWidths), params ? times(12, p, 1) : 0);
    return new Estimate(models, parameters, activations, heap);
  }

  /**
   * Refuses a pass that cannot fit: backend bytes above {@code budgetGiB} (the memory budget, which
   * holds at least one model), above the machine's available memory when the backend's memory is the host's
   * ({@code hostBackend}, the CPU backend), or heap bytes above the Java heap still free.
   *
   * @param what the run in words, e.g. "depth 100000 (wide)"
   * @throws IllegalArgumentException one line with the estimate, the limit it exceeds and what to change
   */
  public static void requireFits(Estimate e, String what, double budgetGiB, boolean hostBackend) {
    String est = String.format(Locale.ROOT, "a pass of %d model(s) of %s needs about %s of backend memory "
        + "(parameters and velocities %s, activations %s)", e.models(), what, gib(e.backendBytes()),
        gib(e.parameterBytes()), gib(e.activationBytes()));
    if (e.backendBytes() > budgetGiB * GIB) {
      throw new IllegalArgumentException(est + ", more than the memory budget of " + budgetGiB
          + " GiB; use a smaller network, or raise the memory budget if the machine has it");
    }
    if (hostBackend) {
      long avail = availableMachineBytes();
      if (avail > 0 && e.backendBytes() > avail) {
        throw new IllegalArgumentException(est + ", more than the " + gib(avail) + " this machine has available; "
            + "lower the memory budget (fewer models per pass) or use a smaller network");
      }
    }
    long heap = availableHeapBytes();
    if (e.heapBytes() > heap) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "writing the hook/parameter files of a pass "
          + "of %d model(s) of %s needs about %s of Java heap, more than the %s free; use fewer hook samples, "
          + "fewer models per pass or a larger Java heap (-Xmx)", e.models(), what,
          gib(e.heapBytes()), gib(heap)));
    }
  }

  /**
   * How many models of {@code spec} fit in {@code memoryGiB} of backend memory when trained at this batch
   * size (parameters, velocities, activations and gradients; the input batch is not counted), at least 1 and at
   * most {@code total}.
   */
  public static int modelsPerPass(NetworkSpec spec, int batchSize, double memoryGiB, int total) {
    if (!(memoryGiB > 0) || Double.isInfinite(memoryGiB)) {
      throw new IllegalArgumentException("memory budget must be finite and > 0 GiB, got " + memoryGiB);
    }
    Estimate one = pass(spec, batchSize, 1, 0, false);
    long perModel = one.backendBytes() - 4L * (1 + EnsembleTrainer.EVAL_BATCHES) * batchSize * spec.width(0);
    long budget = (long) (memoryGiB * (1L << 30));
    return (int) Math.max(1, Math.min(total, budget / perModel));
  }

  /** One pass: models [from, to) of a run. */
  public record Pass(int from, int to) {
    public int size() {
      return to - from;
    }
  }

  /** The passes of {@code total} models, {@code perPass} at a time (the last may be smaller). */
  public static List<Pass> passes(int total, int perPass) {
    if (perPass < 1) {
      throw new IllegalArgumentException("models per pass must be >= 1, got " + perPass);
    }
    List<Pass> out = new ArrayList<>();
    for (int from = 0; from < total; from += perPass) {
      out.add(new Pass(from, Math.min(total, from + perPass)));
    }
    return out;
  }

  /**
   * Memory this process may still take: the kernel's MemAvailable, bounded by the cgroup's limit less its
   * usage (v2 memory.max/memory.current, or v1); -1 when neither can be read (not Linux).
   */
  public static long availableMachineBytes() {
    long avail = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          avail = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      avail = -1;
    }
    long cg = cgroupHeadroom(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
    if (cg < 0) {
      cg = cgroupHeadroom(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
          Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    }
    if (cg >= 0 && (avail < 0 || cg < avail)) {
      avail = cg;
    }
    return avail;
  }

  /** Java heap not yet used: max - (total - free). */
  public static long availableHeapBytes() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  private static long cgroupHeadroom(Path limit, Path usage) {
    try {
      String l = Files.readString(limit).strip();
      if (l.equals("max")) {
        return -1;
      }
      long lim = Long.parseLong(l);
      if (lim >= Long.MAX_VALUE / 2) {
        return -1; // v1's "no limit"
      }
      return Math.max(0, lim - Long.parseLong(Files.readString(usage).strip()));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** "12.3 GiB" (or MiB below 1 GiB). */
  public static String gib(long bytes) {
    return bytes >= GIB ? String.format(Locale.ROOT, "%.1f GiB", bytes / GIB)
        : String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
  }

  private static long times(long a, long b, long c) {
    try {
      return Math.multiplyExact(Math.multiplyExact(a, b), c);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }
}
