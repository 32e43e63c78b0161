package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnstm.data.Mnist;
import org.nnstm.experiment.CriticalityGrid;
import org.nnstm.experiment.GridResults;
import org.nnstm.experiment.MnistRegression;
import org.nnstm.experiment.MnistRegressionFiles;
import org.nnstm.experiment.PriorComparison;
import org.nnstm.experiment.PriorComparisonFiles;
import org.nnstm.experiment.SignalPropagation;
import org.nnstm.meanfield.MeanField;
import org.nnstm.tensor.Activation;
import org.nnstm.io.AtomicFiles;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;
import org.nnstm.run.EpochReport;
import org.nnstm.run.Listener;
import org.nnstm.run.ReferenceFiles;
import org.nnstm.run.TrainingRun;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nnstm quickstart}: the main job a newcomer runs first. Small, fast versions of each capability
 * (a few minutes on 2 CPU cores), writing figures and a {@code summary.md} into {@code runs/quickstart/}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {"Run a small version of every experiment and write figures and summary.md.",
        "Example: nnstm quickstart --out runs/quickstart"})
final class QuickstartCommand extends MnistRunCommand {
  @Mixin
  CommonOptions.DefaultOut out = new CommonOptions.DefaultOut("runs/quickstart");

  /** The training part's settings: deliberately small. */
  static final int DEPTH = 6;
  static final double[] VAR_W = {0.5, 1.0, 1.76, 3.0};
  static final double VAR_B = 0.05;
  static final int TRAIN_IMAGES = 5_000;
  static final int VALIDATION_IMAGES = 2_000;
  static final int EPOCHS = 3;

  @Override
  Integer execute(PrintWriter stdout, PrintWriter err) throws Exception {
    long start = System.nanoTime();
    Mnist mnist = dataOptions.mnist(err);
    StringBuilder summary = new StringBuilder();
    summary.append("# nnstm quickstart\n\n");
    try (Backend backend = backendOptions.open(err)) {
      AtomicFiles.requireWritableDirectory(out.out);
      summary.append("Backend: `").append(backend.name()).append("`.\n\n");
      trainingPart(backend, mnist, err, summary);
      gridPart(backend, mnist, err, summary);
      priorPart(backend, mnist, err, summary);
      regressionPart(backend, mnist, err, summary);
      propagationPart(backend, mnist, err, summary);
    }
    double seconds = (System.nanoTime() - start) * 1e-9;
    summary.append(String.format(Locale.ROOT, "Total time: %.0f s.%n", seconds));
    AtomicFiles.writeString(out.out.resolve("summary.md"), summary.toString());
    stdout.printf(Locale.ROOT, "quickstart done in %.0f s: %s%n", seconds, out.out.resolve("summary.md"));
    return 0;
  }

  /** The grid part's settings: a coarse phase diagram on a slice of MNIST. */
  static final double[] GRID_VAR_W = {0.5, 1.0, 1.76, 3.0, 5.0};
  static final int[] GRID_DEPTHS = {5, 15, 30};
  static final int GRID_TRAIN_IMAGES = 2_000;
  static final int GRID_VALIDATION_IMAGES = 1_000;

  private void gridPart(Backend backend, Mnist mnist, PrintWriter err, StringBuilder summary) throws Exception {
    Path dir = out.out.resolve("grid");
    CriticalityGrid.Plan plan = new CriticalityGrid.Plan(GRID_VAR_W, GRID_DEPTHS, VAR_B, 0, 1, "wide", 1,
        EnsembleTrainer.Config.reference(), 1, 1, 4);
    err.printf(Locale.ROOT, "nnstm: quickstart 2/5: a small phase diagram: sigma_w^2 in %s, depths %s, "
        + "1 epoch on %d images%n", java.util.Arrays.toString(GRID_VAR_W), java.util.Arrays.toString(GRID_DEPTHS),
        GRID_TRAIN_IMAGES);
    err.flush();
    try (Progress progress = new Progress(err, "quickstart grid")) {
      CriticalityGrid.run(backend, plan, mnist.train(GRID_TRAIN_IMAGES),
          Mnist.slice(mnist.validation(), 0, GRID_VALIDATION_IMAGES), dir, line -> { }, progress);
    }
    List<GridResults.Cell> cells = CriticalityGrid.summarize(dir, out.out.resolve("phase-diagram.png"));
    double critical = MeanField.criticalWeightVariance(Activation.TANH, VAR_B);
    summary.append("## Phase diagram (`phase-diagram.png`)\n\n")
        .append(String.format(Locale.ROOT, "Validation accuracy after one epoch on %d training images (first %d "
            + "validation images) of tanh networks over a coarse grid of sigma_w^2 %s and depths %s, every "
            + "sigma_w^2 of a depth trained together. Overlaid: the mean-field correlation depth xi_c(sigma_w^2) and "
            + "the trainability bound 6 xi_c (Schoenholz et al. 2017); xi_c diverges at the critical "
            + "sigma_w^2 = %.6f (chi_1 = 1 at sigma_b^2 = %s), so deep networks train only near it. "
            + "Cells as CSV: `grid/grid.csv`; `tools/nnstm grid` runs the full grid.%n%n",
            GRID_TRAIN_IMAGES, GRID_VALIDATION_IMAGES, java.util.Arrays.toString(GRID_VAR_W),
            java.util.Arrays.toString(GRID_DEPTHS), critical, VAR_B))
        .append("| depth | ");
    for (double w : GRID_VAR_W) {
      summary.append("sigma_w^2 = ").append(w).append(" | ");
    }
    summary.append("\n| --- |");
    for (int i = 0; i < GRID_VAR_W.length; i++) {
      summary.append(" --- |");
    }
    summary.append('\n');
    for (int d : GRID_DEPTHS) {
      summary.append("| ").append(d).append(" |");
      for (double w : GRID_VAR_W) {
        double acc = cells.stream().filter(c -> c.depth() == d && c.varW() == w)
            .mapToDouble(GridResults.Cell::finalAccuracy).findFirst().orElse(Double.NaN);
        summary.append(String.format(Locale.ROOT, " %.3f |", acc));
      }
      summary.append('\n');
    }
    summary.append('\n');
  }

  /** The prior part's settings: a one-hidden-layer linear network, exact Bessel-K prior. */
  static final int[] PRIOR_WIDTHS = {784, 64, 10};
  static final int PRIOR_NETWORKS = 3_000;
  static final int PRIOR_TRAINED = 30;
  static final int PRIOR_TRAIN_IMAGES = 2_000;

  private void priorPart(Backend backend, Mnist mnist, PrintWriter err, StringBuilder summary) throws Exception {
    LabelledImages train = mnist.train(PRIOR_TRAIN_IMAGES);
    float[] x = java.util.Arrays.copyOfRange(train.images(), 0, Mnist.PIXELS);
    PriorComparison.Plan plan = new PriorComparison.Plan(PRIOR_WIDTHS, new double[] {1.0}, x, PRIOR_NETWORKS, 0,
        PRIOR_NETWORKS, PRIOR_TRAINED, 1, new EnsembleTrainer.Config(0.01f, 0f, 64), null, 0, 0.1);
    err.printf(Locale.ROOT, "nnstm: quickstart 3/5: exact prior of linear networks %s against %d sampled and "
        + "%d trained networks%n", java.util.Arrays.toString(PRIOR_WIDTHS), PRIOR_NETWORKS, PRIOR_TRAINED);
    err.flush();
    PriorComparison.Result r = PriorComparison.run(backend, plan, train, Listener.none());
    Path dir = out.out.resolve("prior");
    AtomicFiles.requireWritableDirectory(dir);
    PriorComparisonFiles.write(dir, plan, r, 0);
    summary.append("## Exact prior vs sampled and trained networks (`prior/radial.png`, `prior/marginal.png`)\n\n")
        .append(String.format(Locale.ROOT, "Deep linear networks %s without biases, W_l ~ N(0, 1/n_{l-1}), fed "
            + "MNIST training image 0. The exact finite-width prior of the outputs h_L (Zavatone-Veth and Pehlevan "
            + "2021; for one hidden layer a Bessel-K density) against a Gaussian KDE of %d sampled networks' "
            + "outputs, and of the first %d networks after one epoch of plain SGD (lr 0.01) on %d images (the "
            + "annealed ensemble). Jensen-Shannon distance to the exact density (nats, on a grid); it shrinks "
            + "as the sampled ensemble grows, while training moves the ensemble away from the prior. "
            + "Numbers in `prior/js.csv`, densities in `prior/radial.csv`, `prior/marginal.csv` and "
            + "`prior/prior-compare.hdf5`; `tools/nnstm prior compare` runs it at full size.%n%n",
            java.util.Arrays.toString(PRIOR_WIDTHS), PRIOR_NETWORKS, PRIOR_TRAINED, PRIOR_TRAIN_IMAGES))
        .append("| density | ensemble | networks | JS distance |\n| --- | --- | --- | --- |\n");
    for (PriorComparison.Comparison c : List.of(r.radial(), r.marginal())) {
      for (PriorComparison.Curve curve : c.curves()) {
        summary.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f |%n", c.kind(), curve.ensemble(),
            curve.networks(), curve.jsDistance()));
      }
    }
    summary.append('\n');
  }

  /** The regression part's settings: two epochs on a slice, a small g sweep. */
  static final double[] REGRESSION_G = {0.0, 0.2};
  static final int REGRESSION_TRAIN_IMAGES = 10_000;
  static final int REGRESSION_EPOCHS = 2;

  private void regressionPart(Backend backend, Mnist mnist, PrintWriter err, StringBuilder summary)
      throws Exception {
    MnistRegression.Plan plan = new MnistRegression.Plan(new int[] {784}, 784, 0.1, REGRESSION_G,
        MnistRegression.Init.GAUSSIAN, new double[] {8, 0}, 0.05f, 32, 0f, REGRESSION_EPOCHS, 0);
    err.printf(Locale.ROOT, "nnstm: quickstart 4/5: MNIST as regression onto Gaussian bumps, g = %s, %d epochs on "
        + "%d images%n", java.util.Arrays.toString(REGRESSION_G), REGRESSION_EPOCHS, REGRESSION_TRAIN_IMAGES);
    err.flush();
    LabelledImages test = mnist.test();
    MnistRegression.Result r;
    try (Progress progress = new Progress(err, "quickstart regression")) {
      r = MnistRegression.run(backend, plan, mnist.train(REGRESSION_TRAIN_IMAGES),
          Mnist.slice(mnist.validation(), 0, VALIDATION_IMAGES), test, 3, progress);
    }
    Path dir = out.out.resolve("regress");
    AtomicFiles.requireWritableDirectory(dir);
    MnistRegressionFiles.write(dir, plan, r, test);
    EpochReport<MnistRegression.Metrics> last = r.history().get(r.history().size() - 1);
    summary.append("## MNIST as regression (`regress/g-sweep.png`, `regress/test-*.png`)\n\n")
        .append(String.format(Locale.ROOT, "Each class y becomes a Gaussian bump (std 0.1) on 784 points over [0, 9] "
            + "(classes 0 and 9 are half bumps); linear layers 784 -> 784 -> 784 without biases and the readout "
            + "u + g u^3, trained with MSE (mean over outputs) by plain SGD (lr 0.05, batch 32, no L2: regress's defaults) "
            + "for %d epochs on %d images, g = %s as one ensemble. Decoded accuracy: the class whose bump is "
            + "nearest the prediction; exact-bin: the prediction's argmax bin is the target's. The panels show "
            + "test images with their own predictions and targets. `tools/nnstm regress` runs the full version."
            + "%n%n| g | val decoded | val exact bin | val MSE | val KL |%n| --- | --- | --- | --- | --- |%n",
            REGRESSION_EPOCHS, REGRESSION_TRAIN_IMAGES, java.util.Arrays.toString(REGRESSION_G)));
    for (int k = 0; k < REGRESSION_G.length; k++) {
      summary.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.3e | %.3f |%n", REGRESSION_G[k],
          last.validation().accDecoded()[k], last.validation().accBin()[k], last.validation().mse()[k],
          last.validation().kl()[k]));
    }
    summary.append('\n');
  }

  private void trainingPart(Backend backend, Mnist mnist, PrintWriter err, StringBuilder summary) throws Exception {
    NetworkSpec net = NetworkSpec.tanh(Layouts.wide(DEPTH));
    List<ModelInit> models = ModelInit.grid(VAR_W, VAR_B, 0, 1);
    LabelledImages train = mnist.train(TRAIN_IMAGES);
    LabelledImages val = Mnist.slice(mnist.validation(), 0, VALIDATION_IMAGES);
    double[][] acc = new double[models.size()][EPOCHS];
    Path dir = out.out.resolve("train");
    err.printf(Locale.ROOT, "nnstm: quickstart 1/5: training %d tanh networks of depth %d together "
        + "(sigma_w^2 = %s) on %d images, %d epochs%n", models.size(), DEPTH, java.util.Arrays.toString(VAR_W),
        TRAIN_IMAGES, EPOCHS);
    err.flush();
    try (Ensemble ensemble = new Ensemble(backend, net, models);
         Progress progress = new Progress(err, "quickstart training")) {
      Listener<EnsembleTrainer.Stats> collect = new Listener<>() {
        @Override
        public void epochDone(Ensemble n, EnsembleTrainer t, EpochReport<? extends EnsembleTrainer.Stats> r) {
          for (int k = 0; k < n.size(); k++) {
            acc[k][r.epoch() - 1] = r.validation().accuracy()[k];
          }
        }
      };
      TrainingRun.train(ensemble, EnsembleTrainer.Config.reference(), EPOCHS, false, 0, train, val,
          Listener.all(progress, collect, new ReferenceFiles(dir, false, EPOCHS, Map.of())));
    }
    List<Series> series = new ArrayList<>();
    double[] epochs = new double[EPOCHS];
    for (int e = 0; e < EPOCHS; e++) {
      epochs[e] = e + 1;
    }
    for (int k = 0; k < models.size(); k++) {
      series.add(new Series("sigma_w^2 = " + VAR_W[k], epochs, acc[k]));
    }
    Path png = out.out.resolve("accuracy.png");
    Plots.lineChart(png, "Validation accuracy, tanh depth " + DEPTH + " (sigma_b^2 = " + VAR_B + ")",
        "epoch", "validation accuracy", series.toArray(new Series[0]));
    summary.append("## Training (`accuracy.png`)\n\n")
        .append(String.format(Locale.ROOT, "Four tanh networks of depth %d (layout wide: 784 x %d, 400, 10), "
            + "Gaussian initialisation with sigma_b^2 = %s and sigma_w^2 in %s, trained together as one ensemble "
            + "with SGD (lr 0.005, momentum 0.8, batch 64) on the first %d training images for %d epochs; "
            + "validation accuracy on the first %d validation images after each epoch. "
            + "Mean-field theory puts the order-to-chaos transition at sigma_w^2 = 1.76 for this sigma_b^2; "
            + "at this small depth all but the deeply ordered network train, and the depth at which training "
            + "fails away from the transition is what a phase diagram over (sigma_w^2, depth) maps. HDF5 files in the reference layout are in `train/`.%n%n",
            DEPTH, DEPTH - 1, VAR_B, java.util.Arrays.toString(VAR_W), TRAIN_IMAGES, EPOCHS, VALIDATION_IMAGES))
        .append("| sigma_w^2 | accuracy after each epoch |\n| --- | --- |\n");
    for (int k = 0; k < models.size(); k++) {
      StringBuilder row = new StringBuilder();
      for (double a : acc[k]) {
        row.append(String.format(Locale.ROOT, "%.3f ", a));
      }
      summary.append("| ").append(VAR_W[k]).append(" | ").append(row.toString().trim()).append(" |\n");
    }
    summary.append('\n');
  }

  /** The propagation part's settings: small random networks, two widths. */
  static final double[] PROPAGATION_VAR_W = {1.0, 3.0};
  static final int[] PROPAGATION_WIDTHS = {50, 200};
  static final int PROPAGATION_DEPTH = 15;
  static final int PROPAGATION_NETWORKS = 20;

  private void propagationPart(Backend backend, Mnist mnist, PrintWriter err, StringBuilder summary)
      throws Exception {
    LabelledImages train = mnist.train(2);
    float[] x1 = java.util.Arrays.copyOfRange(train.images(), 0, Mnist.PIXELS);
    float[] x2 = java.util.Arrays.copyOfRange(train.images(), Mnist.PIXELS, 2 * Mnist.PIXELS);
    SignalPropagation.Settings s = new SignalPropagation.Settings(PROPAGATION_VAR_W, VAR_B, PROPAGATION_DEPTH,
        PROPAGATION_WIDTHS, PROPAGATION_NETWORKS, x1, x2, 0, 1.0, SignalPropagation.Method.NETWORKS);
    err.printf(Locale.ROOT, "nnstm: quickstart 5/5: signal propagation through %d random tanh networks per cell, "
        + "widths %s, depth %d%n", PROPAGATION_NETWORKS, java.util.Arrays.toString(PROPAGATION_WIDTHS),
        PROPAGATION_DEPTH);
    err.flush();
    SignalPropagation.Result r = SignalPropagation.run(backend, s, line -> { });
    Path dir = out.out.resolve("propagation");
    AtomicFiles.requireWritableDirectory(dir);
    org.nnstm.experiment.SignalPropagationFiles.write(dir, s, r);
    summary.append("## Signal propagation (`propagation/propagation-q.png`, `-c.png`, `-width.png`)\n\n")
        .append(String.format(Locale.ROOT, "%d random tanh networks 784 -> n -> ... -> n (depth %d, widths %s, "
            + "sigma_b^2 = %s) fed MNIST training images 0 and 1: per layer the mean squared pre-activation q^l "
            + "and the two inputs' correlation c^l, against the mean-field maps iterated from the inputs. The "
            + "correlation depth fitted to |c^l - c*| ~ exp(-l / xi) against xi_c; at this size (small M and n) "
            + "expect percent-level deviations. `tools/nnstm analyze propagation` runs it at full size.%n%n"
            + "| sigma_w^2 | width | xi_fit | xi_c |%n| --- | --- | --- | --- |%n", PROPAGATION_NETWORKS,
            PROPAGATION_DEPTH, java.util.Arrays.toString(PROPAGATION_WIDTHS), VAR_B));
    for (SignalPropagation.DepthFit f : r.fits()) {
      summary.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", f.varW(), f.width(), f.xiFit(),
          f.xiC()));
    }
    summary.append('\n');
  }
}
