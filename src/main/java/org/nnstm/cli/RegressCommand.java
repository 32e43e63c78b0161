package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.nnstm.experiment.MnistRegression;
import org.nnstm.experiment.MnistRegressionFiles;
import org.nnstm.io.AtomicFiles;
import org.nnstm.tensor.Activation;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.run.EpochReport;
import org.nnstm.run.Listener;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm regress}: MNIST as regression onto Gaussian bumps with a quadratic loss. */
@Command(name = "regress", mixinStandardHelpOptions = true,
    description = {"MNIST as regression: each class y becomes a Gaussian bump on B points over [0, 9]; linear "
        + "layers without biases 784 -> hidden -> B, readout u + g u^3, loss MSE (mean over outputs) + l2 sum W^2, "
        + "plain SGD. Several --g values train together as one ensemble from the same initial weights. The "
        + "closed-form least-squares map is fitted first, as a reference (not a bound); --reference prints only it.",
        "Example: nnstm regress --epochs 10 --target-std 0.1 --g 0.2 --out runs/regress"})
final class RegressCommand extends MnistRunCommand {
  /** Exit code when a model diverged (its history stops there; the other models' results are written). */
  static final int DIVERGED = 3;

  @Mixin
  CommonOptions.Epochs epochs = new CommonOptions.Epochs(10);

  @Option(names = "--target-std", defaultValue = "0.1", paramLabel = "S",
      description = "Standard deviation of the target bumps, in class units (default: ${DEFAULT-VALUE}).")
  double targetStd;

  @Option(names = "--bins", defaultValue = "784", paramLabel = "B",
      description = "Output points over [0, 9] (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--g", defaultValue = "0.2", paramLabel = "G1,G2,..",
      description = "Readout u + g u^3 coefficient(s); several = a sweep trained as one ensemble "
          + "(default: ${DEFAULT-VALUE}; 0 is linear).")
  String g;

  @Option(names = "--widths", defaultValue = "784", paramLabel = "N1,..",
      description = "Hidden widths between the 784 inputs and the B outputs (default: ${DEFAULT-VALUE}).")
  String widths;

  @Option(names = "--hidden-activation", defaultValue = "identity", paramLabel = "identity|tanh",
      description = "phi after each hidden layer: identity (the deep linear network) or tanh "
          + "(default: ${DEFAULT-VALUE}).")
  String hiddenActivation;

  @Option(names = "--init", defaultValue = "gaussian", paramLabel = "gaussian|glorot",
      description = "Weights N(0, sigma^2/fan_in) (--var-w, --readout-var) or Keras' glorot_uniform "
          + "(default: ${DEFAULT-VALUE}).")
  String init;

  /** Gaussian init: sigma^2 of the hidden layers, one value or one per hidden layer. */
  @Mixin
  CommonOptions.VarW varW = new CommonOptions.VarW("8");

  @Option(names = "--readout-var", defaultValue = "0", paramLabel = "V",
      description = "Gaussian init: sigma^2 of the last layer; 0 starts it at zero (default: ${DEFAULT-VALUE}).")
  double readoutVar;

  @Mixin
  CommonOptions.Sgd sgd = new CommonOptions.Sgd(0.05f, 32);

  @Option(names = "--l2", defaultValue = "0", paramLabel = "L",
      description = "L2 penalty L * sum W^2, reported apart from the data term; it decays the weights on a time "
          + "scale of 1/(2 lr L) steps and, for a deep linear network, favours low rank (README) "
          + "(default: ${DEFAULT-VALUE}).")
  float l2;

  @Mixin
  CommonOptions.Seed seed;

  @Mixin
  CommonOptions.TrainLimit trainLimit;

  @Option(names = "--test-digits", defaultValue = "6", paramLabel = "N",
      description = "Test images whose predictions are drawn (default: ${DEFAULT-VALUE}).")
  int testDigits;

  @Mixin
  CommonOptions.Out outDir;

  private Path out;

  @Option(names = "--reference", description = "Only fit and print the closed-form least-squares map (a "
      + "reference, not a bound) on the training set; no training, no files.")
  boolean referenceOnly;

  @Mixin
  CommonOptions.Output json;

  @Override
  Integer execute(PrintWriter outW, PrintWriter err) throws Exception {
    out = outDir.out;
    MnistRegression.Plan plan = plan();
    if (testDigits < 0) {
      throw new IllegalArgumentException("--test-digits must be >= 0, got " + testDigits);
    }
    if (out == null && !referenceOnly) {
      throw new IllegalArgumentException("regress needs --out DIR (or --reference, which writes nothing)");
    }
    if (out != null && !referenceOnly) {
      RunProvenance.check("regress", manifestSettings(plan), out);
    }
    DataOptions.Splits data = dataOptions.load(err, trainLimit.trainLimit, false);
    err.printf(Locale.ROOT, "nnstm: fitting the closed-form least-squares reference on %d training images%n",
        data.train().size());
    err.flush();
    MnistRegression.Reference ref = MnistRegression.reference(plan, data.train(), data.validation());
    printReference(outW, ref);
    if (referenceOnly) {
      return 0;
    }
    LabelledImages test = dataOptions.mnist(err).test();
    boolean created = !Files.exists(out);
    try {
      return train(outW, err, plan, data, test, ref);
    } catch (Exception | Error e) {
      if (created) {
        removeIfEmpty(out);
      }
      throw e;
    }
  }

  /** The result-determining settings, for the run manifest. */
  private Map<String, String> manifestSettings(MnistRegression.Plan plan) {
    return RunProvenance.settings(plan, "train-images", trainLimit.images(), "test-digits", testDigits, "precision", "float32");
  }

  private int train(PrintWriter outW, PrintWriter err, MnistRegression.Plan plan, DataOptions.Splits data,
                    LabelledImages test, MnistRegression.Reference ref) throws Exception {
    MnistRegression.Result r;
    Map<String, Object> provenance;
    try (Backend backend = backendOptions.open(err)) {
      AtomicFiles.requireWritableDirectory(out);
      provenance = RunProvenance.of(spec, backendOptions, backend).attributes();
      Progress progress = new Progress(err, "regress " + plan.g().length + " model(s)");
      r = MnistRegression.run(backend, plan, data.train(), data.validation(), test, testDigits,
          Listener.all(progress, new Listener<MnistRegression.Metrics>() {
            @Override
            public void epochDone(Ensemble net, EnsembleTrainer trainer,
                                  EpochReport<? extends MnistRegression.Metrics> report) {
              print(outW, plan, report, ref);
            }
          }));
      progress.close();
      // with the outputs (a failed run leaves its directory empty); a mismatch was refused up front
      RunProvenance.store("regress", manifestSettings(plan), spec, backendOptions, backend, out).close();
    }
    MnistRegressionFiles.write(out, plan, r, test, ref, provenance);
    int code = 0;
    for (int k = 0; k < plan.g().length; k++) {
      if (r.divergedAt()[k] > 0) {
        err.printf(Locale.ROOT, "nnstm: error: g = %s diverged at epoch %d (training MSE not finite or above %.0e);"
            + " its history is NaN from there%n", plan.g()[k], r.divergedAt()[k], MnistRegression.DIVERGED);
        code = DIVERGED;
      }
    }
    err.flush();
    return code;
  }

  private MnistRegression.Plan plan() {
    int[] hidden = Ranges.ints("--widths", widths);
    double[] gs = Ranges.doubles("--g", g);
    MnistRegression.Init in;
    switch (init.toLowerCase(Locale.ROOT)) {
      case "gaussian": in = MnistRegression.Init.GAUSSIAN; break;
      case "glorot": in = MnistRegression.Init.GLOROT; break;
      default: throw new IllegalArgumentException("--init must be gaussian or glorot, got '" + init + "'");
    }
    Activation phi;
    switch (hiddenActivation.toLowerCase(Locale.ROOT)) {
      case "identity": phi = Activation.IDENTITY; break;
      case "tanh": phi = Activation.TANH; break;
      default: throw new IllegalArgumentException("--hidden-activation must be identity or tanh, got '"
          + hiddenActivation + "'");
    }
    double[] hv = varW.values();
    if (hv.length != 1 && hv.length != hidden.length) {
      throw new IllegalArgumentException("--var-w needs 1 or " + hidden.length + " values (one per hidden layer), got "
          + Arrays.toString(hv));
    }
    double[] v = new double[hidden.length + 1];
    for (int l = 0; l < hidden.length; l++) {
      v[l] = hv.length == 1 ? hv[0] : hv[l];
    }
    v[hidden.length] = readoutVar;
    return new MnistRegression.Plan(hidden, bins, targetStd, gs, in, v, sgd.lr, sgd.batch, l2, epochs.epochs, seed.seed,
        phi);
  }

  private static void removeIfEmpty(Path dir) {
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException ignored) {
      // best effort: the run's own error is the one to report
    }
  }

  private void printReference(PrintWriter outW, MnistRegression.Reference ref) {
    if (json.json()) {
      outW.println(JsonLine.of("reference", "least_squares", "lambda", ref.lambda(), "train_mse", ref.trainMse(),
          "train_acc_decoded", ref.trainAccDecoded(), "val_mse", ref.valMse(), "val_acc_decoded",
          ref.valAccDecoded(), "val_acc_bin", ref.valAccBin(), "seconds", ref.seconds()));
    } else {
      outW.printf(Locale.ROOT, "reference (closed-form least-squares linear map, no bias, lambda %.3e; a reference, "
          + "not a bound): train_mse %.6e (the objective's floor for l2 = 0, g = 0)  val_mse %.6e  val_dec %.4f  "
          + "val_bin %.4f  (%.1f s)%n", ref.lambda(), ref.trainMse(), ref.valMse(), ref.valAccDecoded(),
          ref.valAccBin(), ref.seconds());
    }
    outW.flush();
  }

  private void print(PrintWriter outW, MnistRegression.Plan plan, EpochReport<? extends MnistRegression.Metrics> r,
                     MnistRegression.Reference ref) {
    if (!json.json() && r.epoch() == 0) {
      outW.println("g        epoch  train_mse    train_l2   train_kl  train_dec  train_bin  val_mse      val_l2"
          + "     val_kl    val_dec  val_bin  objective   gap         seconds");
    }
    for (int k = 0; k < plan.g().length; k++) {
      MnistRegression.Metrics t = r.train();
      MnistRegression.Metrics v = r.validation();
      double objective = t.mse()[k] + t.l2()[k];
      double gap = objective - ref.trainMse();
      if (json.json()) {
        outW.println(JsonLine.of("g", plan.g()[k], "epoch", r.epoch(), "train_mse", t.mse()[k], "train_l2",
            t.l2()[k], "train_kl", t.kl()[k], "train_acc_decoded", t.accDecoded()[k], "train_acc_bin",
            t.accBin()[k], "val_mse", v.mse()[k], "val_l2", v.l2()[k], "val_kl", v.kl()[k], "val_acc_decoded",
            v.accDecoded()[k], "val_acc_bin", v.accBin()[k], "train_objective", objective, "objective_gap", gap,
            "seconds", r.seconds()));
      } else {
        outW.printf(Locale.ROOT, "%-8s %5d  %-11.4e %-10.4e %-9.4f %-10.4f %-10.4f %-12.4e %-10.4e %-10.4f %-9.4f "
            + "%-8.4f %-11.4e %-11.4e %.1f%n", plan.g()[k], r.epoch(), t.mse()[k], t.l2()[k], t.kl()[k],
            t.accDecoded()[k], t.accBin()[k], v.mse()[k], v.l2()[k], v.kl()[k], v.accDecoded()[k], v.accBin()[k],
            objective, gap, r.seconds());
      }
    }
    outW.flush();
  }
}
