package org.nnstm.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnstm.data.BumpTargets;
import org.nnstm.data.LabelledImages;
import org.nnstm.data.Mnist;
import org.nnstm.experiment.MnistRegression.Metrics;
import org.nnstm.experiment.MnistRegression.Plan;
import org.nnstm.experiment.MnistRegression.Reference;
import org.nnstm.experiment.MnistRegression.Result;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.Hdf5;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;
import org.nnstm.run.EpochReport;
import org.nnstm.tensor.Activation;

/**
 * The files of a {@link MnistRegression} run: {@code history.hdf5} (the per-epoch metrics {@link #METRICS}, the
 * reference, test predictions), the accuracy curves, the g-sweep summary and the test-prediction panels.
 */
public final class MnistRegressionFiles {
  private MnistRegressionFiles() {}

  /** The names of the per-epoch metrics, as in the JSON lines and the HDF5 history. */
  public static final String[] METRICS = {"train_mse", "train_l2", "train_kl", "train_acc_decoded", "train_acc_bin",
      "val_mse", "val_l2", "val_kl", "val_acc_decoded", "val_acc_bin"};

  /** {@link #write(Path, Plan, Result, LabelledImages, Reference, Map)} without a reference or provenance. */
  public static void write(Path out, Plan plan, Result r, LabelledImages test)
      throws IOException {
    write(out, plan, r, test, null, Map.of());
  }

  /**
   * history.hdf5, the curves, the g-sweep summary and the test-prediction panels, and (when ref is not null)
   * the reference and per epoch the training objective and its gap to the reference's. All files are first
   * written into a hidden staging directory inside out and only then renamed into out, so a failure while
   * writing leaves out as it was (the staging directory is removed). {@code provenance} becomes root attributes of
   * history.hdf5 (the run manifest's provenance).
   */
  public static void write(Path out, Plan plan, Result r, LabelledImages test,
                    Reference ref, Map<String, Object> provenance) throws IOException {
    AtomicFiles.publish(out, stage -> writeFiles(stage, plan, r, test, ref, provenance));
  }

  private static void writeFiles(Path out, Plan plan, Result r,
                                 LabelledImages test, Reference ref,
                                 Map<String, Object> provenance) throws IOException {
    int models = plan.g().length;
    int epochs = r.history().size();
    double[][][] m = new double[METRICS.length][models][epochs];
    double[] epochAxis = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      EpochReport<Metrics> rep = r.history().get(e);
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
      h5.put(METRICS[i], Hdf5.toFloat(m[i]));
    }
    h5.put("diverged_at_epoch", Arrays.stream(r.divergedAt()).asDoubleStream().toArray());
    h5.put("bins", (long) plan.bins());
    h5.put("target_std", plan.targetStd());
    h5.put("l2", (double) plan.l2());
    h5.put("lr", (double) plan.lr());
    h5.put("hidden_tanh", plan.hiddenActivation() == Activation.TANH ? 1L : 0L); // 0: identity (linear)
    h5.put("grid", targets.grid());
    if (ref != null) {
      double[][] objective = new double[models][epochs];
      double[][] gap = new double[models][epochs];
      for (int k = 0; k < models; k++) {
        for (int e = 0; e < epochs; e++) {
          objective[k][e] = m[0][k][e] + m[1][k][e];
          gap[k][e] = objective[k][e] - ref.trainMse();
        }
      }
      h5.put("train_objective", objective);
      h5.put("objective_gap", gap);
      h5.put("reference_lambda", ref.lambda());
      h5.put("reference_train_mse", ref.trainMse());
      h5.put("reference_train_acc_decoded", ref.trainAccDecoded());
      h5.put("reference_val_mse", ref.valMse());
      h5.put("reference_val_acc_decoded", ref.valAccDecoded());
      h5.put("reference_val_acc_bin", ref.valAccBin());
    }
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
    Hdf5.write(out.resolve("history.hdf5"), h5, provenance);
    for (int k = 0; k < models; k++) {
      String name = models == 1 ? "curves.png" : "curves-g" + plan.g()[k] + ".png";
      List<Series> s = new ArrayList<>(List.of(new Series("train decoded", epochAxis, m[3][k]),
          new Series("val decoded", epochAxis, m[8][k]), new Series("train exact bin", epochAxis, m[4][k]),
          new Series("val exact bin", epochAxis, m[9][k])));
      s.addAll(referenceLines(ref, epochAxis));
      Plots.lineChart(out.resolve(name), "MNIST regression, g = " + plan.g()[k] + ": accuracy", "epoch",
          "accuracy", s.toArray(new Series[0]));
    }
    if (models > 1) {
      List<Series> s = new ArrayList<>();
      for (int k = 0; k < models; k++) {
        s.add(new Series("g = " + plan.g()[k] + " decoded", epochAxis, m[8][k]));
      }
      for (int k = 0; k < models; k++) {
        s.add(new Series("g = " + plan.g()[k] + " exact bin", epochAxis, m[9][k]));
      }
      s.addAll(referenceLines(ref, epochAxis));
      Plots.lineChart(out.resolve("g-sweep.png"), "g sweep: validation accuracy", "epoch", "accuracy",
          s.toArray(new Series[0]));
    }
    double[] grid = targets.grid();
    for (int i = 0; i < n; i++) {
      int idx = r.testIndex()[i];
      int label = test.labels()[idx];
      List<Series> s = new ArrayList<>();
      s.add(new Series("test target (class " + label + ")", grid, Hdf5.toDouble(targets.target(label))));
      for (int k = 0; k < models; k++) {
        s.add(new Series("prediction, g = " + plan.g()[k], grid, Hdf5.toDouble(r.testPredictions()[k][i])));
      }
      float[] image = Arrays.copyOfRange(test.images(), idx * Mnist.PIXELS, (idx + 1) * Mnist.PIXELS);
      Plots.imageBesideChart(out.resolve(String.format(Locale.ROOT, "test-%05d.png", idx)), image, 28,
          "test image " + idx + ", class " + label, "Test image " + idx + ": prediction vs its target", "position on [0, 9]",
          "value", s.toArray(new Series[0]));
    }
  }

  /** The reference's validation accuracies as flat lines over the epochs (none without a reference). */
  private static List<Series> referenceLines(Reference ref, double[] epochAxis) {
    if (ref == null) {
      return List.of();
    }
    double[] dec = new double[epochAxis.length];
    double[] bin = new double[epochAxis.length];
    Arrays.fill(dec, ref.valAccDecoded());
    Arrays.fill(bin, ref.valAccBin());
    return List.of(new Series("least squares (reference), val decoded", epochAxis, dec),
        new Series("least squares (reference), val exact bin", epochAxis, bin));
  }
}
