package org.nnstm.cli;

import java.util.List;
import org.nnstm.io.RunManifest;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Model.CommandSpec;

/** The provenance of a command's run ({@link RunManifest.Provenance}) from its parsed options. */
final class RunProvenance {
  private RunProvenance() {}

  /**
   * The number of threads the run computes with. THE ONE PLACE that reads it from {@link BackendOptions}: today
   * its {@code --blas-threads}; when BackendOptions gains {@code --threads}, read that here.
   */
  static int threads(BackendOptions o) {
    return o.blasThreads;
  }

  /** This process's provenance: the backend opened, its threads, and the full command line. */
  static RunManifest.Provenance of(CommandSpec spec, BackendOptions o, Backend backend) {
    return RunManifest.Provenance.current(backend.name(), threads(o), args(spec));
  }

  /** The full command line as given (subcommand included). */
  static List<String> args(CommandSpec spec) {
    return spec.commandLine().getParseResult().originalArgs();
  }
}
