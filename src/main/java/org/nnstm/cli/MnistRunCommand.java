package org.nnstm.cli;

import picocli.CommandLine.Mixin;

/** A run command on MNIST: {@link RunCommand} with the {@code --data} option. */
abstract class MnistRunCommand extends RunCommand {
  @Mixin
  DataOptions dataOptions;
}
