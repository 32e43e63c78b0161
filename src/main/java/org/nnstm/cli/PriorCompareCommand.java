package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnstm.data.Mnist;
import org.nnstm.experiment.PriorComparison;
import org.nnstm.experiment.PriorComparisonFiles;
import org.nnstm.io.AtomicFiles;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.run.Listener;
import org.nnstm.run.RunMemory;
import org.nnstm.run.RunStore;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm prior compare}: the exact prior against sampled, trained and Langevin ensembles. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Sample M random deep linear networks (no biases) on the backend, feed them one input, and compare "
        + "the density of their outputs h_L (KDE, Scott) with the exact prior: radial density of ||h_L|| and "
        + "marginal density of h_L[0], Jensen-Shannon distance (nats, trapezoid rule on a 10,001-point grid) for "
        + "M = 100, 1,000, ... and all. Optionally train the first networks on MNIST with plain SGD (the annealed "
        + "ensemble) and/or sample them by Langevin dynamics at inverse temperature beta (beta = 0: the prior).",
        "Example: nnstm prior compare --widths 784,784,10 --var-w 1.0 --input mnist:0 --networks 10000 "
            + "--train-epochs 1 --train-networks 100 --out runs/prior"})
final class PriorCompareCommand extends MnistRunCommand {
  @Mixin
  CommonOptions.Widths widths;

  /** Weight variances sigma_l^2: one value for every layer, or one per layer. */
  @Mixin
  CommonOptions.VarW varW;

  @Option(names = "--input", paramLabel = "mnist:INDEX",
      description = "Input x: training image INDEX (0..49,999) of MNIST, pixels in [0, 1]. n_0 must be 784.")
  String input;

  /** Instead of --input. */
  @Mixin
  CommonOptions.XNorm xNorm;

  @Mixin
  CommonOptions.Networks networks = new CommonOptions.Networks(10000);

  @Mixin
  CommonOptions.Seed seed;

  @Option(names = "--train-epochs", defaultValue = "0", paramLabel = "E",
      description = "Train the first --train-networks networks for E epochs of plain SGD on MNIST (default: none).")
  int trainEpochs;

  @Option(names = "--train-networks", paramLabel = "T",
      description = "How many of the M networks to train or run Langevin on (default: all M). At 784,784,10 "
          + "100 networks trained together took 32 s per 10,000 images on one CPU core (~0.16 s per "
          + "network-epoch of 50,000 images).")
  Integer trainNetworks;

  @Mixin
  CommonOptions.TrainLimit trainLimit;

  @Mixin
  CommonOptions.Sgd sgd = new CommonOptions.Sgd(0.01f, 64);

  @Option(names = "--langevin-beta", paramLabel = "B",
      description = "Also run Langevin dynamics at inverse temperature B >= 0 (potential B * total cross-entropy "
          + "- ln prior), from the same prior draw.")
  Double langevinBeta;

  @Option(names = "--steps", defaultValue = "200", paramLabel = "S",
      description = "Langevin steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--langevin-step", defaultValue = "0.1", paramLabel = "H",
      description = "Langevin step h in units of the prior's relaxation time (default: ${DEFAULT-VALUE}).")
  double langevinStep;

  @Mixin
  CommonOptions.Memory memory = new CommonOptions.Memory(4);

  @Mixin
  CommonOptions.RequiredOut outDir;

  @Mixin
  CommonOptions.Output json;

  @Override
  Integer execute(PrintWriter outW, PrintWriter err) throws Exception {
    int[] w = widths.values();
    Path out = outDir.out;
    double[] v = varW.required("prior compare");
    int train = trainNetworks == null ? (trainEpochs > 0 || langevinBeta != null ? networks.count : 0)
        : trainNetworks;
    if (trainEpochs < 0) {
      throw new IllegalArgumentException("--train-epochs must be >= 0, got " + trainEpochs);
    }
    boolean needsData = train > 0 || input != null;
    if ((input == null) == !xNorm.given()) {
      throw new IllegalArgumentException("give exactly one of --input mnist:INDEX and --x-norm R");
    }
    if (train > 0 && (w[0] != Layouts.INPUT || w[w.length - 1] < Layouts.CLASSES)) {
      throw new IllegalArgumentException("training on MNIST needs n_0 = 784 and n_L >= 10, got widths "
          + Arrays.toString(w));
    }
    float[] x = xNorm.given() ? uniformInput(w[0], xNorm.value()) : null;
    int inputIndex = -1;
    if (input != null) {
      inputIndex = parseInput(input);
      if (w[0] != Layouts.INPUT) {
        throw new IllegalArgumentException("--input mnist:INDEX needs n_0 = 784, got widths " + Arrays.toString(w));
      }
    }
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(sgd.lr, 0f, sgd.batch);
    // validate the plan before any data is loaded or directory made
    PriorComparison.Plan probe = plan(w, v, x != null ? x : new float[w[0]], train, cfg, 1);
    RunProvenance.check("prior compare", RunProvenance.settings(settings()), out);
    LabelledImages trainData = null;
    if (needsData) {
      Mnist m = dataOptions.mnist(err);
      LabelledImages all = m.train(Mnist.TRAIN);
      if (input != null) {
        if (inputIndex >= all.size()) {
          throw new IllegalArgumentException("--input mnist:" + inputIndex + " is beyond the " + all.size()
              + " training images");
        }
        x = Arrays.copyOfRange(all.images(), inputIndex * Mnist.PIXELS, (inputIndex + 1) * Mnist.PIXELS);
      }
      if (train > 0) {
        if (trainLimit.trainLimit != null && trainLimit.trainLimit < 1) {
          throw new IllegalArgumentException("--train-limit must be >= 1, got " + trainLimit.trainLimit);
        }
        trainData = m.train(trainLimit.images());
      }
    }
    int perPass = RunMemory.modelsPerPass(probe.spec(), sgd.batch, memory.memoryGiB, networks.count);
    PriorComparison.Plan plan = plan(w, v, x, train, cfg, perPass);
    PriorComparison.Result r;
    RunStore store;
    Map<String, Object> provenance;
    try (Backend backend = backendOptions.open(err)) {
      AtomicFiles.requireWritableDirectory(out);
      provenance = RunProvenance.of(spec, backendOptions, backend).attributes();
      store = RunProvenance.store("prior compare", RunProvenance.settings(settings()), spec, backendOptions, backend,
          out);
      if (store.parts() > 0) {
        err.printf(Locale.ROOT, "nnstm: resuming: %d finished passes in %s%n", store.parts(),
            out.resolve(RunStore.PARTS));
        err.flush();
      }
      StepProgress progress = new StepProgress(err);
      r = PriorComparison.run(backend, plan, trainData, progress, store);
      progress.finish();
    }
    report(outW, r);
    PriorComparisonFiles.write(out, plan, r, inputIndex, provenance);
    store.deleteParts();
    return 0;
  }

  private PriorComparison.Plan plan(int[] w, double[] v, float[] x, int train, EnsembleTrainer.Config cfg,
                                    int perPass) {
    return new PriorComparison.Plan(w, v, x, networks.count, seed.seed, perPass, train, trainEpochs, cfg, langevinBeta,
        steps, langevinStep);
  }

  /** Everything that determines the numbers: a resumed run must match it. */
  private String settings() {
    return String.format(Locale.ROOT, "widths=%s var-w=%s input=%s x-norm=%s networks=%d seed=%d train-epochs=%d "
        + "train-networks=%s train-limit=%s lr=%s batch=%d langevin-beta=%s steps=%d langevin-step=%s%n",
        widths.widths, varW.text(), input, xNorm.xNorm, networks.count, seed.seed, trainEpochs, trainNetworks,
        trainLimit.trainLimit, sgd.lr, sgd.batch, langevinBeta, steps, langevinStep);
  }

  static int parseInput(String text) {
    String t = text.trim();
    if (!t.startsWith("mnist:")) {
      throw new IllegalArgumentException("--input must be mnist:INDEX, got '" + text + "'");
    }
    try {
      int i = Integer.parseInt(t.substring(6));
      if (i < 0) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--input mnist:INDEX needs an index >= 0, got '" + text + "'");
    }
  }

  private static float[] uniformInput(int n0, double norm) {
    float[] x = new float[n0];
    Arrays.fill(x, (float) (norm / Math.sqrt(n0)));
    return x;
  }

  private void report(PrintWriter outW, PriorComparison.Result r) {
    if (!json.json()) {
      outW.println("kind      ensemble  networks  js_distance");
    }
    for (PriorComparison.Comparison c : List.of(r.radial(), r.marginal())) {
      for (PriorComparison.Curve curve : c.curves()) {
        if (json.json()) {
          outW.println(JsonLine.of("kind", c.kind(), "ensemble", curve.ensemble(), "networks", curve.networks(),
              "js_distance", curve.jsDistance()));
        } else {
          outW.printf(Locale.ROOT, "%-9s %-9s %8d  %.6f%n", c.kind(), curve.ensemble(), curve.networks(),
              curve.jsDistance());
        }
      }
    }
    outW.flush();
  }

  /** Progress of the phases on stderr: a line when a phase starts, then at most every 15 s, and at its end. */
  static final class StepProgress implements Listener<Object> {
    private final PrintWriter err;
    private final long start = System.nanoTime();
    private String phase;
    private long phaseStart;
    private long last;

    StepProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void progress(String p, long done, long total) {
      long now = System.nanoTime();
      if (!p.equals(phase)) {
        phase = p;
        phaseStart = now;
        last = now;
      }
      if (now - last >= 15_000_000_000L || done == total) {
        last = now;
        double s = (now - phaseStart) / 1e9;
        double left = done > 0 ? s * (total - done) / done : Double.NaN;
        err.printf(Locale.ROOT, "nnstm: %s %d/%d (%.0f%%), %.0f s, ~%.0f s left%n",
            p, done, total, 100.0 * done / total, s, left);
        err.flush();
      }
    }

    void finish() {
      err.printf(Locale.ROOT, "nnstm: prior compare done in %.1f s%n", (System.nanoTime() - start) / 1e9);
      err.flush();
    }
  }
}
