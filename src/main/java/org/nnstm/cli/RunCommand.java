package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of the run commands (train, grid, regress, prior compare, analyze kl, quickstart): the backend options,
 * and the library's errors put in the command line's words ({@link #inFlags}).
 */
abstract class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  BackendOptions backendOptions;

  @Override
  public final Integer call() throws Exception {
    try {
      if (validatesBackendFirst()) {
        backendOptions.validate();
      }
      return execute(stdout(), stderr());
    } catch (IllegalArgumentException e) {
      throw inFlags(e);
    }
  }

  /** True (the default) when the backend options are checked before anything else. */
  boolean validatesBackendFirst() {
    return true;
  }

  /**
   * The command's work, with its stdout and stderr (picocli's writers): parse the options into a plan, open the
   * backend, run, write, print.
   */
  abstract Integer execute(PrintWriter out, PrintWriter err) throws Exception;

  PrintWriter stdout() {
    return spec.commandLine().getOut();
  }

  PrintWriter stderr() {
    return spec.commandLine().getErr();
  }

  /** The library's words for the run settings, paired with the flags that set them ({@link #inFlags}). */
  static final String[] LIBRARY_WORDS = {
      "use another output directory", "use another --out",
      "the memory budget of", "the --memory budget of",
      "raise the memory budget", "raise --memory",
      "lower the memory budget", "lower --memory",
      "memory budget must", "--memory must",
      "fewer hook samples", "fewer --hook-samples",
      "fewer models per pass or", "fewer models per pass (--max-models) or",
      "a larger Java heap (-Xmx)", "a larger -Xmx (JAVA_OPTS)",
      "hook samples ", "--hook-samples ",
      "models per pass must", "--max-models must",
      "epochs must", "--epochs must",
      "seeds must", "--seeds must",
      "hidden activation is", "--hidden-activation is",
      "hidden widths need", "--widths need",
      "hidden widths must", "--widths must",
      "bins must", "--bins must",
      "target std", "--target-std",
      "g needs at least", "--g needs at least",
      "g values must", "--g values must",
      "sigma_w^2 needs 1 or", "--var-w needs 1 or",
      "sigma_w^2 values must", "--var-w values must",
      "readout sigma^2 must", "--readout-var must",
      "train networks must", "--train-networks must",
      "needs train epochs >= 1 or a Langevin beta", "needs --train-epochs >= 1 or --langevin-beta",
      "Langevin steps must be >= 1 with a Langevin beta", "--steps must be >= 1 with --langevin-beta",
      "networks must be >= 2", "--networks must be >= 2",
      "train with hook and parameter files", "train with --hooks --params",
      "with e0 standing for before training", "with --before e0",
      "depth must be >= 1", "--depth must be >= 1",
      "samples must be >= 2", "--samples must be >= 2"};

  /**
   * A library error in the command line's words: every library phrase of {@link #LIBRARY_WORDS} replaced by
   * the flag phrase (the library speaks of its parameters, the user typed flags).
   */
  static IllegalArgumentException inFlags(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    for (int i = 0; i + 1 < LIBRARY_WORDS.length; i += 2) {
      if (m.startsWith(LIBRARY_WORDS[i]) || m.contains(" " + LIBRARY_WORDS[i]) || m.contains("(" + LIBRARY_WORDS[i])) {
        m = m.replace(LIBRARY_WORDS[i], LIBRARY_WORDS[i + 1]);
      }
    }
    if (m.equals(e.getMessage())) {
      return e;
    }
    IllegalArgumentException mapped = new IllegalArgumentException(m, e);
    mapped.setStackTrace(e.getStackTrace());
    return mapped;
  }
}
