package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.nnstm.backend.cpu.CpuBackend;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code --backend} and {@code --threads} options of every compute command. */
final class BackendOptions {
  @Option(names = "--backend", defaultValue = "auto", paramLabel = "cpu|cuda|auto",
      description = "Compute backend (default: ${DEFAULT-VALUE}: CUDA when a device initialises, else CPU).")
  String backend;

  @Mixin
  CommonOptions.Threads threads;

  private static boolean kernelNoticeShown;

  /** The thread count the CPU backend gets: {@code --threads}, else every available processor. */
  public int threads() {
    return threads.count();
  }

  /** The backend name as given ({@code cpu}, {@code cuda} or {@code auto}). */
  public String backendName() {
    return backend;
  }

  /** Checks the options without opening anything (call before creating output). */
  public void validate() {
    threads();
    if (!List.of("cpu", "cuda", "auto").contains(backend.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("unknown backend '" + backend + "': use cpu, cuda or auto");
    }
  }

  /** Opens the chosen backend and prints one line on {@code err} saying which one it is (and why, for auto). */
  public Backend open(PrintWriter err) {
    validate();
    String[] reason = {null};
    Backend b = Backends.open(backend, threads(), line -> reason[0] = line);
    err.println("nnstm: backend: " + b.name() + (reason[0] == null ? "" : " (" + reason[0] + ")"));
    if (b instanceof CpuBackend && !kernelNoticeShown) {
      String note = CpuBackend.kernelNotice();
      if (note != null) {
        err.println("nnstm: backend: note: " + note);
      }
      kernelNoticeShown = true;
    }
    err.flush();
    return b;
  }
}
