package org.nnstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnstm.data.BumpTargets;
import org.nnstm.data.Mnist;
import org.nnstm.experiment.MnistRegression;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.Hdf5;
import org.nnstm.nn.TrainingRun;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm regress}: MNIST as regression onto Gaussian bumps with a quadratic loss. */
@Command(name = "regress", mixinStandardHelpOptions = true,
    description = {"MNIST as regression: each class y becomes a Gaussian bump on B points over [0, 9]; linear "
        + "layers without biases 784 -> hidden -> B, readout u + g u^3, loss MSE (mean over outputs) + l2 sum W^2, "
        + "plain SGD. Several --g values train together as one ensemble from the same initial weights.",
        "Example: nnstm regress --epochs 10 --target-std 0.1 --g 0.2 --out runs/regress"})
public final class RegressCommand implements Callable<Integer> {
  /** Exit code when a model diverged (its history stops there; the other models' results are written). */
  static final int DIVERGED = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

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

  @Option(names = "--init", defaultValue = "gaussian", paramLabel = "gaussian|glorot",
      description = "Weights N(0, sigma^2/fan_in) (--var-w, --readout-var) or Keras' glorot_uniform "
          + "(default: ${DEFAULT-VALUE}).")
  String init;

  @Option(names = "--var-w", defaultValue = "8", paramLabel = "V|V1,..",
      description = "Gaussian init: sigma^2 of the hidden layers, one value or one per hidden layer "
          + "(default: ${DEFAULT-VALUE}).")
  String varW;

  @Option(names = "--readout-var", defaultValue = "0", paramLabel = "V",
      description = "Gaussian init: sigma^2 of the last layer; 0 starts it at zero (default: ${DEFAULT-VALUE}).")
  double readoutVar;

  @Option(names = "--lr", defaultValue = "0.01", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--batch", defaultValue = "32", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--l2", defaultValue = "1e-4", paramLabel = "L",
      description = "L2 penalty L * sum W^2, reported apart from the data term (default: ${DEFAULT-VALUE}).")
  float l2;

  @Option(names = "--seed", defaultValue = "0", description = "Initialisation and shuffling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
  Integer trainLimit;

  @Option(names = "--test-digits", defaultValue = "6", paramLabel = "N",
      description = "Test images whose predictions are drawn (default: ${DEFAULT-VALUE}).")
  int testDigits;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

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
    MnistRegression.Plan plan = plan();
    if (testDigits < 0) {
      throw new IllegalArgumentException("--test-digits must be >= 0, got " + testDigits);
    }
    DataOptions.Splits data = dataOptions.load(err, trainLimit, false);
    TrainingRun.Data test = dataOptions.mnist(err).test();
    MnistRegression.Result r;
    try (Backend backend = backendOptions.open(err)) {
      AtomicFiles.requireWritableDirectory(out);
      RunProvenance.manifest("regress", RunProvenance.settings(plan, "train-images", data.train().size(),
          "test-digits", testDigits, "precision", "float32"), spec, backendOptions, backend, out);
      Progress progress = new Progress(err, "regress " + plan.g().length + " model(s)");
      r = MnistRegression.run(backend, plan, data.train(), data.validation(), test, testDigits,
          new MnistRegression.Listener() {
            @Override
            public void stepDone(int epoch, int step, int steps) {
              progress.stepDone(epoch, step, steps);
            }

            @Override
            public void epochDone(MnistRegression.EpochReport report) {
              print(outW, plan, report);
            }
          });
      progress.close();
    }
    write(out, plan, r, test);
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
    double[] hv = Ranges.doubles("--var-w", varW);
    if (hv.length != 1 && hv.length != hidden.length) {
      throw new IllegalArgumentException("--var-w needs 1 or " + hidden.length + " values (one per hidden layer), got "
          + Arrays.toString(hv));
    }
    double[] v = new double[hidden.length + 1];
    for (int l = 0; l < hidden.length; l++) {
      v[l] = hv.length == 1 ? hv[0] : hv[l];
    }
    v[hidden.length] = readoutVar;
    return new MnistRegression.Plan(hidden, bins, targetStd, gs, in, v, lr, batch, l2, epochs, seed);
  }

  private void print(PrintWriter outW, MnistRegression.Plan plan, MnistRegression.EpochReport r) {
    if (!json && r.epoch() == 0) {
      outW.println("g        epoch  train_mse    train_l2   train_kl  train_dec  train_bin  val_mse      val_l2"
          + "     val_kl    val_dec  val_bin  seconds");
    }
    for (int k = 0; k < plan.g().length; k++) {
      MnistRegression.Metrics t = r.train();
      MnistRegression.Metrics v = r.validation();
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("g", plan.g()[k]);
        o.put("epoch", r.epoch());
        o.put("train_mse", t.mse()[k]);
        o.put("train_l2", t.l2()[k]);
        o.put("train_kl", t.kl()[k]);
        o.put("train_acc_decoded", t.accDecoded()[k]);
        o.put("train_acc_bin", t.accBin()[k]);
        o.put("val_mse", v.mse()[k]);
        o.put("val_l2", v.l2()[k]);
        o.put("val_kl", v.kl()[k]);
        o.put("val_acc_decoded", v.accDecoded()[k]);
        o.put("val_acc_bin", v.accBin()[k]);
        o.put("seconds", r.seconds());
        outW.println(JsonLine.of(o));
      } else {
        outW.printf(Locale.ROOT, "%-8s %5d  %-11.4e %-10.4e %-9.4f %-10.4f %-10.4f %-12.4e %-10.4e %-10.4f %-9.4f %-8.4f %.1f%n",
            plan.g()[k], r.epoch(), t.mse()[k], t.l2()[k], t.kl()[k], t.accDecoded()[k], t.accBin()[k], v.mse()[k],
            v.l2()[k], v.kl()[k], v.accDecoded()[k], v.accBin()[k], r.seconds());
      }
    }
    outW.flush();
  }

  /** The names of the per-epoch metrics, as in the JSON lines and the HDF5 history. */
  static final String[] METRICS = {"train_mse", "train_l2", "train_kl", "train_acc_decoded", "train_acc_bin",
      "val_mse", "val_l2", "val_kl", "val_acc_decoded", "val_acc_bin"};

  /** history.hdf5, the curves, the g-sweep summary and the test-prediction panels. */
  static void write(Path out, MnistRegression.Plan plan, MnistRegression.Result r, TrainingRun.Data test)
      throws IOException {
    int models = plan.g().length;
    int epochs = r.history().size();
    double[][][] m = new double[METRICS.length][models][epochs];
    double[] epochAxis = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      MnistRegression.EpochReport rep = r.history().get(e);
      epochAxis[e] = rep.epoch();
      double[][] cols = {rep.train().mse(), rep.train().l2(), rep.train().kl(), rep.train().accDecoded(),
          rep.train().accBin(), rep.validation().mse(), rep.validation().l2(), rep.validation().kl(),
          rep.validation().accDecoded(), rep.validation().accBin()};
      for (int i = 0; i < METRICS.length; i++) {
        for (int k = 0; k < models; k++) {
          m[i][k][e] = cols[i][k];
        }
      }
    }
    BumpTargets targets = new BumpTargets(plan.bins(), plan.targetStd());
    Map<String, Object> h5 = new LinkedHashMap<>();
    h5.put("g", plan.g());
    h5.put("epoch", epochAxis);
    for (int i = 0; i < METRICS.length; i++) {
      h5.put(METRICS[i], toFloat(m[i]));
    }
    h5.put("diverged_at_epoch", Arrays.stream(r.divergedAt()).asDoubleStream().toArray());
    h5.put("bins", (long) plan.bins());
    h5.put("target_std", plan.targetStd());
    h5.put("l2", (double) plan.l2());
    h5.put("lr", (double) plan.lr());
    h5.put("grid", targets.grid());
    int n = r.testIndex().length;
    if (n > 0) {
      float[][] preds = new float[models * n][];
      float[][] tg = new float[n][];
      double[] labels = new double[n];
      for (int i = 0; i < n; i++) {
        int idx = r.testIndex()[i];
        labels[i] = test.labels()[idx];
        tg[i] = targets.target(test.labels()[idx]);
        for (int k = 0; k < models; k++) {
          preds[k * n + i] = r.testPredictions()[k][i];
        }
      }
      h5.put("test_index", Arrays.stream(r.testIndex()).asDoubleStream().toArray());
      h5.put("test_labels", labels);
      h5.put("test_targets", tg);
      h5.put("test_predictions", preds);
    }
    Hdf5.write(out.resolve("history.hdf5"), h5);
    for (int k = 0; k < models; k++) {
      String name = models == 1 ? "curves.png" : "curves-g" + plan.g()[k] + ".png";
      Plots.lineChart(out.resolve(name), "MNIST regression, g = " + plan.g()[k] + ": accuracy", "epoch",
          "accuracy", new Series("train decoded", epochAxis, m[3][k]), new Series("val decoded", epochAxis, m[8][k]),
          new Series("train exact bin", epochAxis, m[4][k]), new Series("val exact bin", epochAxis, m[9][k]));
    }
    if (models > 1) {
      List<Series> s = new ArrayList<>();
      for (int k = 0; k < models; k++) {
        s.add(new Series("g = " + plan.g()[k] + " decoded", epochAxis, m[8][k]));
      }
      for (int k = 0; k < models; k++) {
        s.add(new Series("g = " + plan.g()[k] + " exact bin", epochAxis, m[9][k]));
      }
      Plots.lineChart(out.resolve("g-sweep.png"), "g sweep: validation accuracy", "epoch", "accuracy",
          s.toArray(new Series[0]));
    }
    double[] grid = targets.grid();
    for (int i = 0; i < n; i++) {
      int idx = r.testIndex()[i];
      int label = test.labels()[idx];
      List<Series> s = new ArrayList<>();
      s.add(new Series("test target (class " + label + ")", grid, toDouble(targets.target(label))));
      for (int k = 0; k < models; k++) {
        s.add(new Series("prediction, g = " + plan.g()[k], grid, toDouble(r.testPredictions()[k][i])));
      }
      float[] image = Arrays.copyOfRange(test.images(), idx * Mnist.PIXELS, (idx + 1) * Mnist.PIXELS);
      Plots.imageBesideChart(out.resolve(String.format(Locale.ROOT, "test-%05d.png", idx)), image, 28,
          "test image " + idx + ", class " + label, "Test image " + idx + ": prediction vs its target", "position on [0, 9]",
          "value", s.toArray(new Series[0]));
    }
  }

  private static float[][] toFloat(double[][] a) {
    float[][] f = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      f[i] = new float[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        f[i][j] = (float) a[i][j];
      }
    }
    return f;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
