package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.nnstm.experiment.MnistTraining;
import org.nnstm.io.AtomicFiles;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.run.Listener;
import org.nnstm.run.RunStore;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** {@code nnstm train}: the reference "Gaussian feedforward" training of deep tanh networks on MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train deep Gaussian-initialised networks on MNIST (an ensemble: every sigma_w^2 and seed "
        + "of one depth in one pass) and write the reference notebooks' HDF5 files.",
        "Example: nnstm train --depth 10 --var-w 2.0 --var-b 0.05 --epochs 5 --out runs/x"})
final class TrainCommand extends MnistRunCommand {
  @Option(names = "--depth", paramLabel = "L", description = "Number of linear layers (with --layout).")
  Integer depth;

  @Option(names = "--widths", paramLabel = "N0,..,NL",
      description = "Explicit widths instead of --layout/--depth, e.g. 784,300,100,10.")
  String widths;

  @Option(names = "--output", defaultValue = "tanh", paramLabel = "tanh|linear",
      description = "Activation after the last layer (default: ${DEFAULT-VALUE}, as the reference).")
  String output;

  @Mixin
  CommonOptions.MnistEnsemble run;

  @Mixin
  CommonOptions.RequiredOut out;

  @Mixin
  CommonOptions.Sgd sgd = new CommonOptions.Sgd(0.005f, 64);

  @Option(names = "--momentum", defaultValue = "0.8", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  float momentum;

  @Option(names = "--shuffle", description = "Shuffle the training set every epoch (seeded by --seed).")
  boolean shuffle;

  @Option(names = "--test", description = "Evaluate on the 10,000 test images instead of the validation split.")
  boolean test;

  @Option(names = "--params", description = "Write init-para (untrained) and e{k}-para (after 0-based epoch k) "
      + "files for k = 0 and E-1, as the reference notebook.")
  boolean params;

  @Option(names = "--hooks", description = "Write init-hooks and e{k}-hooks files (pre-activations), k = 0 and E-1.")
  boolean hooks;

  @Option(names = "--every-epoch", description = "With --params/--hooks: write e{k} files after every epoch.")
  boolean everyEpoch;

  @Option(names = "--hook-samples", defaultValue = "128",
      description = "Validation images whose pre-activations --hooks records (default: ${DEFAULT-VALUE}).")
  int hookSamples;

  @Option(names = "--max-models", paramLabel = "K",
      description = "Most models trained together in one pass (default: as many as fit in --memory).")
  Integer maxModels;

  @Mixin
  CommonOptions.Output json;

  @Override
  Integer execute(PrintWriter outW, PrintWriter err) throws Exception {
    MnistTraining.Plan plan = plan();
    Map<String, String> settings = MnistTraining.settings(plan, run.trainLimit.images(),
        test ? "test (t10k)" : "validation (training-file images 50000..59999)");
    RunProvenance.check("train", settings, out.out);
    DataOptions.Splits data = dataOptions.load(err, run.trainLimit.trainLimit, test);
    if (hooks && hookSamples > data.validation().size()) {
      throw new IllegalArgumentException("--hook-samples " + hookSamples + " exceeds the "
          + data.validation().size() + " evaluation images");
    }
    boolean cpu = backendOptions.backendName().equalsIgnoreCase("cpu");
    plan.requireFits(cpu);
    try (Backend backend = backendOptions.open(err)) {
      if (!cpu && backend.kind().equals("cpu")) {
        plan.requireFits(true); // auto chose the CPU
      }
      AtomicFiles.requireWritableDirectory(out.out);
      Map<String, Object> provenance;
      try (RunStore store = RunProvenance.store("train", settings, spec, backendOptions, backend, out.out)) {
        provenance = store.manifest().provenance().attributes();
      }
      try (Progress progress = Progress.perPass(err, "train")) {
        MnistTraining.run(backend, plan, data.train(), data.validation(), out.out, provenance, line -> {
          err.println("nnstm: " + line);
          err.flush();
        }, Listener.all(progress, new EpochPrinter(outW, err, json.json())));
      }
    }
    return 0;
  }

  /** The plan from the options. */
  private MnistTraining.Plan plan() {
    double[] vw = run.varW.required("train");
    int e = run.epochs.atLeastOne();
    if (hookSamples < 1) {
      throw new IllegalArgumentException("--hook-samples must be >= 1, got " + hookSamples);
    }
    if (maxModels != null && maxModels < 1) {
      throw new IllegalArgumentException("--max-models must be >= 1, got " + maxModels);
    }
    NetworkSpec net = networkSpec();
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(sgd.lr, momentum, sgd.batch);
    return new MnistTraining.Plan(net, vw, run.varB.varB, run.seed.seed, run.seeds.seeds, cfg, e, shuffle, params,
        hooks ? hookSamples : 0, everyEpoch, maxModels, run.memory.memoryGiB);
  }

  private NetworkSpec networkSpec() {
    Activation outAct;
    switch (output.toLowerCase(Locale.ROOT)) {
      case "tanh": outAct = Activation.TANH; break;
      case "linear": outAct = Activation.IDENTITY; break;
      default: throw new IllegalArgumentException("--output must be tanh or linear, got '" + output + "'");
    }
    Activation hidden = run.activation.phi();
    int[] w;
    if (widths != null) {
      if (depth != null) {
        throw new IllegalArgumentException("give either --widths or --depth, not both");
      }
      w = Layouts.parse(widths);
    } else {
      if (depth == null) {
        throw new IllegalArgumentException("--depth is required (or --widths)");
      }
      w = Layouts.named(run.layout, depth);
    }
    if (w[0] != Layouts.INPUT || w[w.length - 1] != Layouts.CLASSES) {
      throw new IllegalArgumentException("MNIST networks need input width 784 and output width 10, got widths "
          + java.util.Arrays.toString(w));
    }
    return new NetworkSpec(w, hidden, outAct);
  }
}
