package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of the run commands (train, grid, regress, prior compare, analyze kl, quickstart): the backend options,
 * and the library's errors put in the command line's words ({@link RunOptions#inFlags}).
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
      return execute();
    } catch (IllegalArgumentException e) {
      throw RunOptions.inFlags(e);
    }
  }

  /** True (the default) when the backend options are checked before anything else. */
  boolean validatesBackendFirst() {
    return true;
  }

  /** The command's work: parse the options into a plan, open the backend, run, write, print. */
  abstract Integer execute() throws Exception;

  PrintWriter stdout() {
    return spec.commandLine().getOut();
  }

  PrintWriter stderr() {
    return spec.commandLine().getErr();
  }
}
