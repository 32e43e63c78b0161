package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.experiment.RelativeEntropy;
import org.nnstm.experiment.RelativeEntropyAnalysis;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm analyze}: analyses of stored runs. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Analyses of stored runs.",
    subcommands = {AnalyzeCommand.Kl.class})
public final class AnalyzeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code nnstm analyze kl}: relative entropy across depth, before and after training. */
  @Command(name = "kl", mixinStandardHelpOptions = true,
      description = {"Relative entropy across depth (reference Relative_Entropy notebook): the first layer's "
          + "Gaussian propagated by Monte Carlo through the stored weights against each later layer's, from the "
          + "last row of each in-m hooks dataset. Forms: current (the notebook since 2021-12-03, Q_m / (2 "
          + "sigma_m^2)), 2021 (before that fix, Q_m / (2 sigma_0^2)); neither is a divergence (both can be "
          + "negative); kl (the KL divergence, >= 0, from the diagonal Gaussian fitted to the propagated layer "
          + "to the isotropic Gaussian fitted to the recorded layer). Before training: init-hooks/init-para "
          + "(or e0-* with --before e0, as the notebook); after: the highest e{k}. Writes "
          + "KL-{tag}-{depth}-{pre|post}-{form}.hdf5 (KL, KL_se) and kl-{form}-{depth}.png, all or nothing.",
          "Example: nnstm train --depth 20 --var-w 1.0,1.76,3.0 --epochs 2 --params --hooks --out runs/x && "
              + "nnstm analyze kl --dir runs/x --var-w 1.0,1.76,3.0 --depth 20 --form kl"})
  static final class Kl implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of hooks and para files.")
    Path dir;

    @Option(names = "--var-w", required = true, paramLabel = "LIST|A:B:S", description = "sigma_w^2 values (file tags).")
    String varW;

    @Option(names = "--depth", required = true, paramLabel = "L", description = "Network depth (file suffix).")
    int depth;

    @Option(names = "--form", defaultValue = "current", paramLabel = "current|2021|kl",
        description = "Formula (default: ${DEFAULT-VALUE}).")
    String form;

    @Option(names = "--before", defaultValue = "init", paramLabel = "init|e0",
        description = "Files standing for before training: init (untrained) or e0 (after epoch 0, as the "
            + "notebook's pre-training; default: ${DEFAULT-VALUE}).")
    String before;

    @Option(names = "--samples", defaultValue = "1000", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Monte Carlo seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      double[] ws = Ranges.doubles("--var-w", varW);
      RelativeEntropy.Form f;
      RelativeEntropyAnalysis.Before b;
      try {
        f = RelativeEntropy.Form.parse(form);
        b = RelativeEntropyAnalysis.Before.parse(before);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException((e.getMessage().startsWith("relative") ? "--form: " : "--before: ")
            + e.getMessage());
      }
      if (depth < 1) {
        throw new IllegalArgumentException("--depth must be >= 1, got " + depth);
      }
      if (samples < 2) {
        throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
      }
      backendOptions.validate();
      RelativeEntropyAnalysis.Settings s = new RelativeEntropyAnalysis.Settings(dir, ws, depth, f, b, samples, seed);
      try (Backend backend = backendOptions.open(spec.commandLine().getErr())) {
        for (RelativeEntropyAnalysis.Curve c : RelativeEntropyAnalysis.run(backend, s)) {
          out.println(c.file());
        }
      }
      out.println(RelativeEntropyAnalysis.figure(s));
      return 0;
    }
  }
}
