package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend} and {@code --blas-threads} options of every compute command. */
public final class BackendOptions {
  @Option(names = "--backend", defaultValue = "auto", paramLabel = "cpu|cuda|auto",
      description = "Compute backend (default: ${DEFAULT-VALUE}: CUDA when a device initialises, else CPU).")
  String backend;

  @Option(names = "--blas-threads", defaultValue = "1", paramLabel = "N",
      description = "OpenBLAS threads for the CPU backend (default: ${DEFAULT-VALUE}; one was measured "
          + "faster than two on 2-core machines).")
  int blasThreads;

  /** Checks the options without opening anything (call before creating output). */
  public void validate() {
    if (blasThreads < 1) {
      throw new IllegalArgumentException("--blas-threads must be >= 1, got " + blasThreads);
    }
    if (!List.of("cpu", "cuda", "auto").contains(backend.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("unknown backend '" + backend + "': use cpu, cuda or auto");
    }
  }

  /** Opens the chosen backend; auto reports its choice as one line on {@code err}. */
  public Backend open(PrintWriter err) {
    validate();
    return Backends.open(backend, blasThreads, line -> {
      err.println("nnstm: " + line);
      err.flush();
    });
  }
}
