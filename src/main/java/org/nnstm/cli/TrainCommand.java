package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.data.Mnist;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.nnstm.experiment.CriticalityGrid;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.RunManifest;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Activation;
import org.nnstm.run.Listener;
import org.nnstm.run.ReferenceFiles;
import org.nnstm.run.RunMemory;
import org.nnstm.run.TrainingRun;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm train}: the reference "Gaussian feedforward" training of deep tanh networks on MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train deep Gaussian-initialised networks on MNIST (an ensemble: every sigma_w^2 and seed "
        + "of one depth in one pass) and write the reference notebooks' HDF5 files.",
        "Example: nnstm train --depth 10 --var-w 2.0 --var-b 0.05 --epochs 5 --out runs/x"})
public final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--depth", paramLabel = "L", description = "Number of linear layers (with --layout).")
  Integer depth;

  @Option(names = "--layout", defaultValue = "wide", paramLabel = "wide|decimated",
      description = "Width layout (default: ${DEFAULT-VALUE}): wide = 784 x (L-1), 400, 10; "
          + "decimated = 784 - floor(774/L) i, then 10.")
  String layout;

  @Option(names = "--widths", paramLabel = "N0,..,NL",
      description = "Explicit widths instead of --layout/--depth, e.g. 784,300,100,10.")
  String widths;

  @Option(names = "--output", defaultValue = "tanh", paramLabel = "tanh|linear",
      description = "Activation after the last layer (default: ${DEFAULT-VALUE}, as the reference).")
  String output;

  @Option(names = "--var-w", required = true, paramLabel = "LIST|A:B:S",
      description = "Weight variances sigma_w^2: a list 1.0,1.5,2.0 or a range 1.0:3.0:0.05 (B included).")
  String varW;

  @Option(names = "--var-b", defaultValue = "0.05", paramLabel = "V",
      description = "Bias variance sigma_b^2 (default: ${DEFAULT-VALUE}).")
  double varB;

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--lr", defaultValue = "0.005", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--momentum", defaultValue = "0.8", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  float momentum;

  @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "0", description = "First initialisation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--seeds", defaultValue = "1",
      description = "Seeds per sigma_w^2: seed, seed+1, ... (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--shuffle", description = "Shuffle the training set every epoch (seeded by --seed).")
  boolean shuffle;

  @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
  Integer trainLimit;

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

  @Option(names = "--memory", defaultValue = "6", paramLabel = "GiB",
      description = "Backend memory one pass may use, in GiB (default: ${DEFAULT-VALUE}).")
  double memoryGiB;

  @Option(names = "--json", description = "One JSON object per model and epoch on stdout; progress on stderr.")
  boolean json;

  @Mixin
  BackendOptions backendOptions;

  @Mixin
  DataOptions dataOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter outW = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    backendOptions.validate();
    NetworkSpec net = networkSpec();
    double[] vw = Ranges.doubles("--var-w", varW);
    CriticalityGrid.requireDistinctTags(vw);
    List<ModelInit> models = ModelInit.grid(vw, varB, seed, seeds);
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(lr, momentum, batch);
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    }
    if (hookSamples < 1) {
      throw new IllegalArgumentException("--hook-samples must be >= 1, got " + hookSamples);
    }
    int trainImages = trainLimit == null ? Mnist.TRAIN : Math.min(trainLimit, Mnist.TRAIN);
    Map<String, String> settings = settings(net, vw, cfg, trainImages);
    new RunManifest("train", settings, null).check(out);
    DataOptions.Splits data = dataOptions.load(err, trainLimit, test);
    if (hooks && hookSamples > data.validation().size()) {
      throw new IllegalArgumentException("--hook-samples " + hookSamples + " exceeds the "
          + data.validation().size() + " evaluation images");
    }
    LabelledImages hookData = hooks ? Mnist.slice(data.validation(), 0, hookSamples) : null;
    int perPass = modelsPerPass(net, cfg, models.size());
    RunMemory.Estimate estimate = RunMemory.pass(net, cfg.batchSize(), perPass, hooks ? hookSamples : 0, params);
    double budget = maxModels == null ? memoryGiB : Double.POSITIVE_INFINITY;
    boolean cpu = backendOptions.backendName().equalsIgnoreCase("cpu");
    RunMemory.requireFits(estimate, "widths " + describe(net), budget, cpu);
    try (Backend backend = backendOptions.open(err)) {
      if (!cpu && backend.kind().equals("cpu")) {
        RunMemory.requireFits(estimate, "widths " + describe(net), budget, true); // auto chose the CPU
      }
      AtomicFiles.requireWritableDirectory(out);
      RunManifest.Provenance prov = RunProvenance.of(spec, backendOptions, backend);
      new RunManifest("train", settings, prov).open(out);
      for (int from = 0; from < models.size(); from += perPass) {
        List<ModelInit> chunk = new ArrayList<>(models.subList(from, Math.min(models.size(), from + perPass)));
        if (perPass < models.size()) {
          err.printf(Locale.ROOT, "nnstm: pass %d of %d: %d models%n", from / perPass + 1,
              (models.size() + perPass - 1) / perPass, chunk.size());
          err.flush();
        }
        try (Ensemble ensemble = new Ensemble(backend, net, chunk)) {
          Progress progress = new Progress(err, "train " + chunk.size() + " model(s), depth " + net.depth());
          Listener<EnsembleTrainer.Stats> printer = new EpochPrinter(outW, err, json);
          Listener<EnsembleTrainer.Stats> writer = new ReferenceFiles(out, seeds > 1, params, hookData, epochs, everyEpoch,
              prov.attributes());
          TrainingRun.train(ensemble, cfg, epochs, shuffle, seed, data.train(), data.validation(),
              Listener.all(progress, printer, writer));
          progress.close();
        }
      }
    }
    return 0;
  }

  /** The result-determining settings, for the run manifest. */
  private Map<String, String> settings(NetworkSpec net, double[] vw, EnsembleTrainer.Config cfg,
                                       int trainImages) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("widths", java.util.Arrays.toString(net.widths()).replaceAll("[\\[\\] ]", ""));
    s.put("output", output.toLowerCase(Locale.ROOT));
    s.put("var-w", java.util.Arrays.stream(vw).mapToObj(Double::toString).collect(Collectors.joining(",")));
    s.put("var-b", Double.toString(varB));
    s.put("epochs", Integer.toString(epochs));
    s.put("seed", Long.toString(seed));
    s.put("seeds", Integer.toString(seeds));
    s.put("shuffle", Boolean.toString(shuffle));
    s.put("lr", Float.toString(cfg.learningRate()));
    s.put("momentum", Float.toString(cfg.momentum()));
    s.put("batch", Integer.toString(cfg.batchSize()));
    s.put("train-images", Integer.toString(trainImages));
    s.put("evaluation", test ? "test (t10k)" : "validation (training-file images 50000..59999)");
    s.put("params", Boolean.toString(params));
    s.put("hooks", hooks ? Integer.toString(hookSamples) + " samples" : "none");
    s.put("every-epoch", Boolean.toString(everyEpoch));
    s.put("precision", "float32");
    return s;
  }

  private static String describe(NetworkSpec net) {
    int[] w = net.widths();
    return w.length <= 8 ? java.util.Arrays.toString(w)
        : "[" + w[0] + ", " + w[1] + ", ... (" + (w.length - 1) + " layers), " + w[w.length - 2] + ", "
            + w[w.length - 1] + "]";
  }

  private NetworkSpec networkSpec() {
    Activation outAct;
    switch (output.toLowerCase(Locale.ROOT)) {
      case "tanh": outAct = Activation.TANH; break;
      case "linear": outAct = Activation.IDENTITY; break;
      default: throw new IllegalArgumentException("--output must be tanh or linear, got '" + output + "'");
    }
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
      w = Layouts.named(layout, depth);
    }
    if (w[0] != Layouts.INPUT || w[w.length - 1] != Layouts.CLASSES) {
      throw new IllegalArgumentException("MNIST networks need input width 784 and output width 10, got widths "
          + java.util.Arrays.toString(w));
    }
    return new NetworkSpec(w, Activation.TANH, outAct);
  }

  private int modelsPerPass(NetworkSpec net, EnsembleTrainer.Config cfg, int total) {
    if (maxModels != null) {
      if (maxModels < 1) {
        throw new IllegalArgumentException("--max-models must be >= 1, got " + maxModels);
      }
      return Math.min(total, maxModels);
    }
    return RunMemory.modelsPerPass(net, cfg.batchSize(), memoryGiB, total);
  }
}
