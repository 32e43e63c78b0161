package org.nnstm.cli;

import java.io.PrintWriter;
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

  /** Opens the chosen backend; auto reports its choice as one line on {@code err}. */
  public Backend open(PrintWriter err) {
    if (blasThreads < 1) {
      throw new IllegalArgumentException("--blas-threads must be >= 1, got " + blasThreads);
    }
    return Backends.open(backend, blasThreads, line -> {
      err.println("nnstm: " + line);
      err.flush();
    });
  }
}
