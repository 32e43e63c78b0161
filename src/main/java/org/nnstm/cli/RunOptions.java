package org.nnstm.cli;

import java.nio.file.Path;
import org.nnstm.data.Mnist;
import org.nnstm.tensor.Activation;
import picocli.CommandLine.Option;

/**
 * The options shared by the run commands (train, grid, regress, prior compare, analyze), as picocli mixins.
 * Where commands differ in a default, the command creates the mixin with its default (picocli shows a mixin
 * field's initial value as its default): {@code @Mixin RunOptions.Sgd sgd = new RunOptions.Sgd(0.005f, 64);}.
 */
final class RunOptions {
  private RunOptions() {}

  /** --json: machine-readable lines on stdout. */
  static final class Json {
    @Option(names = "--json", description = "One JSON object per result line on stdout (see above); progress on "
        + "stderr.")
    boolean json;
  }

  /** --out DIR, optional (the command says when it is needed). */
  static final class Out {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;
  }

  /** --out DIR, required. */
  static final class RequiredOut {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;
  }

  /** --seed. */
  static final class Seed {
    @Option(names = "--seed", description = "Seed: of the first network where there are several, each next one "
        + "seed + 1 (default: ${DEFAULT-VALUE}).")
    long seed;
  }

  /** --seeds: models per setting. */
  static final class Seeds {
    @Option(names = "--seeds", description = "Seeds per sigma_w^2 (cell): seed, seed+1, ... (default: "
        + "${DEFAULT-VALUE}).")
    int seeds = 1;
  }

  /** --epochs. */
  static final class Epochs {
    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    Epochs() {}

    Epochs(int epochs) {
      this.epochs = epochs;
    }
  }

  /** --lr and --batch of plain SGD. */
  static final class Sgd {
    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--batch", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    Sgd() {}

    Sgd(float lr, int batch) {
      this.lr = lr;
      this.batch = batch;
    }
  }

  /** --var-w (its meaning per command: a list or range of values, or one per layer), optional. */
  static final class VarW {
    @Option(names = "--var-w", paramLabel = "LIST|A:B:S", description = "Weight variance(s) sigma_w^2: a list "
        + "1.0,1.5,2.0 or a range 1.0:3.0:0.05 (B included); see above for what they vary.")
    String varW;

    VarW() {}

    VarW(String varW) {
      this.varW = varW;
    }

    /** The text given, or an error naming the option when it is missing. */
    String required(String command) {
      if (varW == null) {
        throw new IllegalArgumentException(command + " needs --var-w");
      }
      return varW;
    }
  }

  /** --var-b. */
  static final class VarB {
    @Option(names = "--var-b", paramLabel = "V", description = "Bias variance sigma_b^2 (default: ${DEFAULT-VALUE}).")
    double varB = 0.05;
  }

  /** --train-limit. */
  static final class TrainLimit {
    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
    Integer trainLimit;

    /** The training images used: N, at most the 50,000 of the training split. */
    int images() {
      return trainLimit == null ? Mnist.TRAIN : Math.min(trainLimit, Mnist.TRAIN);
    }
  }

  /** --memory. */
  static final class Memory {
    @Option(names = "--memory", paramLabel = "GiB", description = "Backend memory one pass of networks may use, in "
        + "GiB (default: ${DEFAULT-VALUE}).")
    double memoryGiB;

    Memory() {}

    Memory(double memoryGiB) {
      this.memoryGiB = memoryGiB;
    }
  }

  /** --layout and --activation of the MNIST networks of train and grid. */
  static final class Network {
    @Option(names = "--layout", paramLabel = "wide|decimated", description = "Width layout (default: "
        + "${DEFAULT-VALUE}): wide = 784 x (L-1), 400, 10; decimated = 784 - floor(774/L) i, then 10.")
    String layout = "wide";

    @Option(names = "--activation", paramLabel = "NAME", description = "Activation phi after the hidden layers "
        + "(default: ${DEFAULT-VALUE}); by name, e.g. tanh.")
    String activation = "tanh";

    /** The activation named by --activation. */
    Activation activation() {
      return Activation.named(activation);
    }
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
