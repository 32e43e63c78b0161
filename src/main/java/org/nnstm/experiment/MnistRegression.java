package org.nnstm.experiment;

import org.nnstm.data.LabelledImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnstm.data.BumpTargets;
import org.nnstm.nn.BumpRegression;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Initializers;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.nn.RegressionMetrics;
import org.nnstm.run.EpochLoop;
import org.nnstm.run.EpochReport;
import org.nnstm.run.Listener;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;

/**
 * MNIST as regression (the original project's quadratic-loss view): layers without biases
 * 784 -> hidden... -> B (linear, or tanh after the hidden layers), the readout u + g u^3, Gaussian-bump targets ({@link BumpTargets}), loss
 * MSE (mean over outputs and mini-batch) + l2 sum W^2, plain SGD. Every g of a sweep is one model of one
 * ensemble, all from the same initial weights. After each epoch both the training and the validation set are
 * evaluated with the final weights of that epoch ({@link RegressionMetrics}, plus the L2 term).
 *
 * <p>Divergence: a model whose data MSE on the training set is not finite, or exceeds {@value #DIVERGED}
 * (targets are at most ~0.1), is marked diverged at that epoch; its later numbers are NaN and it is reported,
 * never silently carried.
 */
public final class MnistRegression {
  /** A training MSE above this (or not finite) is a divergence. */
  public static final double DIVERGED = 1e3;

  /** Initialisation: Gaussian N(0, sigma_l^2 / fan_in) per layer (sigma_l^2 = 0: zero), or Glorot uniform. */
  public enum Init { GAUSSIAN, GLOROT }

  /**
   * Settings. hidden: widths between the 784 inputs and the B outputs (at least one); hiddenActivation: phi
   * after each hidden layer (identity: the deep linear network; tanh), the readout is always u + g u^3.
   */
  public record Plan(int[] hidden, int bins, double targetStd, double[] g, Init init, double[] varW, float lr,
                     int batch, float l2, int epochs, long seed, Activation hiddenActivation) {
    /** A deep linear network (identity after the hidden layers). */
    public Plan(int[] hidden, int bins, double targetStd, double[] g, Init init, double[] varW, float lr,
                int batch, float l2, int epochs, long seed) {
      this(hidden, bins, targetStd, g, init, varW, lr, batch, l2, epochs, seed, Activation.IDENTITY);
    }

    public Plan {
      PlanChecks.present(hiddenActivation, "hidden activation");
      hidden = hidden.clone();
      g = g.clone();
      varW = varW.clone();
      if (hidden.length < 1) {
        throw new IllegalArgumentException("hidden widths need at least one value");
      }
      for (int h : hidden) {
        if (h < 1) {
          throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
        }
      }
      new BumpTargets(bins, targetStd); // validates bins and std
      if (g.length < 1) {
        throw new IllegalArgumentException("g needs at least one value");
      }
      for (int i = 0; i < g.length; i++) {
        if (!Double.isFinite(g[i])) {
          throw new IllegalArgumentException("g values must be finite, got " + Arrays.toString(g));
        }
        for (int j = 0; j < i; j++) {
          if (g[j] == g[i]) { // 0.0 == -0.0: the same readout
            throw new IllegalArgumentException("g values must be distinct, got " + g[i] + " twice in "
                + Arrays.toString(g));
          }
        }
      }
      int depth = hidden.length + 1;
      if (varW.length != 1 && varW.length != depth) {
        throw new IllegalArgumentException("sigma_w^2 needs 1 or " + depth + " values (one per layer), got "
            + Arrays.toString(varW));
      }
      for (int l = 0; l < varW.length; l++) {
        if (!(varW[l] >= 0) || Double.isInfinite(varW[l])) {
          throw new IllegalArgumentException(varW.length > 1 && l == depth - 1
              ? "readout sigma^2 must be finite and >= 0, got " + varW[l]
              : "sigma_w^2 values must be finite and >= 0, got " + varW[l]);
        }
      }
      PlanChecks.atLeastOne(epochs, "epochs");
      new EnsembleTrainer.Config(lr, 0f, batch, l2); // validates lr, batch, l2
    }

    /** Widths 784, hidden..., B. */
    public int[] widths() {
      int[] w = new int[hidden.length + 2];
      w[0] = 784;
      System.arraycopy(hidden, 0, w, 1, hidden.length);
      w[w.length - 1] = bins;
      return w;
    }

    /** sigma_l^2 of layer l. */
    public double varW(int l) {
      return varW.length == 1 ? varW[0] : varW[l];
    }
  }

  /** Metrics of one data set after an epoch, per model (NaN after a model diverged). */
  public record Metrics(double[] mse, double[] l2, double[] kl, double[] accDecoded, double[] accBin) {}

  /** The history (epoch 0 is the initial state), the epoch at which each model diverged (0 = never), and test
   * predictions. */
  public record Result(List<EpochReport<Metrics>> history, int[] divergedAt, int[] testIndex,
                       float[][][] testPredictions) {}

  /**
   * The closed-form least-squares map ({@link BumpLeastSquares}) fitted on the training set: its training MSE
   * (the infimum of the data term over linear maps, which the networks' training objective approaches when
   * l2 = 0 and g = 0), its validation metrics, the jitter lambda, and the seconds the fit and evaluation took.
   * A reference, not a bound: other maps can decode validation images slightly better.
   */
  public record Reference(double lambda, double trainMse, double trainAccDecoded, double valMse,
                          double valAccDecoded, double valAccBin, double seconds) {}

  /** Fits and evaluates the least-squares reference of the plan's targets on train (validation: evaluated only). */
  public static Reference reference(Plan plan, LabelledImages train, LabelledImages validation) {
    long t0 = System.nanoTime();
    BumpLeastSquares fit = BumpLeastSquares.fit(train, new BumpTargets(plan.bins(), plan.targetStd()));
    RegressionMetrics t = fit.evaluate(train);
    RegressionMetrics v = fit.evaluate(validation);
    return new Reference(fit.lambda(), t.mse(), t.decodedAccuracy(), v.mse(), v.decodedAccuracy(), v.binAccuracy(),
        (System.nanoTime() - t0) / 1e9);
  }

  private MnistRegression() {}

  /**
   * Trains the plan's ensemble (one model per g) and returns its history; predicts the first
   * {@code testCount} test images at the end (testPredictions[k][i] is model k's prediction of test image i).
   */
  public static Result run(Backend backend, Plan plan, LabelledImages train, LabelledImages validation,
                           LabelledImages test, int testCount, Listener<? super Metrics> listener) {
    BumpTargets targets = new BumpTargets(plan.bins(), plan.targetStd());
    int models = plan.g().length;
    int depth = plan.hidden().length + 1;
    double[] init = new double[depth];
    for (int l = 0; l < depth; l++) {
      init[l] = plan.varW(l) > 0 ? plan.varW(l) : 1.0; // zero layers are zeroed after the draw
    }
    List<ModelInit> inits = new ArrayList<>();
    for (int k = 0; k < models; k++) {
      inits.add(ModelInit.perLayer(init, plan.seed())); // the same initial weights for every g
    }
    EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(plan.lr(), 0f, plan.batch(), plan.l2());
    int[] divergedAt = new int[models];
    List<EpochReport<Metrics>> history = new ArrayList<>();
    NetworkSpec spec = new NetworkSpec(plan.widths(), plan.hiddenActivation(), Activation.IDENTITY, false);
    try (Ensemble net = new Ensemble(backend, spec, inits)) {
      if (plan.init() == Init.GLOROT) {
        Initializers.glorotUniform(net);
      } else {
        for (int l = 0; l < depth; l++) {
          if (plan.varW(l) == 0) {
            Initializers.zeroLayer(net, l);
          }
        }
      }
      BumpRegression objective = new BumpRegression(backend, targets, plan.g(), plan.batch());
      try (EnsembleTrainer trainer = new EnsembleTrainer(net, cfg, objective)) {
        Listener<Metrics> collect = new Listener<>() {
          @Override
          public void epochDone(Ensemble n, EnsembleTrainer t, EpochReport<? extends Metrics> r) {
            history.add(new EpochReport<>(r.epoch(), r.train(), r.validation(), r.seconds()));
          }
        };
        EpochLoop.run(net, trainer, train, new EpochLoop.Schedule(plan.epochs(), true, plan.seed(), true),
            new EpochLoop.Evaluator<Metrics>() {
              @Override
              public Metrics train(int epoch, EnsembleTrainer.Stats duringEpoch) {
                Metrics tm = evaluate(net, trainer, objective, train, plan, divergedAt);
                if (epoch > 0) {
                  for (int k = 0; k < models; k++) {
                    if (divergedAt[k] == 0 && !(tm.mse()[k] <= DIVERGED)) {
                      divergedAt[k] = epoch;
                    }
                  }
                  mask(tm, divergedAt);
                }
                return tm;
              }

              @Override
              public Metrics validation(int epoch) {
                return evaluate(net, trainer, objective, validation, plan, divergedAt);
              }

              @Override
              public boolean finished() {
                return Arrays.stream(divergedAt).allMatch(d -> d > 0); // nothing left to train
              }
            }, Listener.all(collect, listener));
        int n = Math.min(testCount, test.size());
        int[] testIndex = new int[n];
        float[][][] preds = new float[models][n][];
        for (int i = 0; i < n; i++) {
          testIndex[i] = i;
          float[][] p = predict(trainer, objective, test, i, models);
          for (int k = 0; k < models; k++) {
            preds[k][i] = p[k];
          }
        }
        return new Result(history, divergedAt, testIndex, preds);
      }
    }
  }

  /** Model k's prediction (length B) of example i of data, for every model. */
  static float[][] predict(EnsembleTrainer trainer, BumpRegression objective, LabelledImages data, int i,
                           int models) {
    int px = data.images().length / data.size();
    float[] image = Arrays.copyOfRange(data.images(), i * px, (i + 1) * px);
    objective.collect(false);
    trainer.evaluate(image, new int[] {data.labels()[i]}, 1);
    float[][] out = new float[models][];
    for (int k = 0; k < models; k++) {
      out[k] = objective.lastPredictions(k, 1);
    }
    return out;
  }

  private static Metrics evaluate(Ensemble net, EnsembleTrainer trainer, BumpRegression objective,
                                  LabelledImages data, Plan plan, int[] divergedAt) {
    objective.collect(true);
    trainer.evaluate(data.images(), data.labels(), data.size());
    RegressionMetrics[] m = objective.metrics();
    objective.collect(false);
    int models = m.length;
    double[] l2 = l2Terms(net, plan.l2());
    Metrics out = new Metrics(new double[models], l2, new double[models], new double[models], new double[models]);
    for (int k = 0; k < models; k++) {
      out.mse()[k] = m[k].mse();
      out.kl()[k] = m[k].kl();
      out.accDecoded()[k] = m[k].decodedAccuracy();
      out.accBin()[k] = m[k].binAccuracy();
    }
    mask(out, divergedAt);
    return out;
  }

  /** l2 * sum over layers of sum W^2, per model (host-side, from the downloaded weights). */
  static double[] l2Terms(Ensemble net, double l2) {
    double[] out = new double[net.size()];
    for (int k = 0; k < net.size(); k++) {
      double s = 0;
      for (int l = 0; l < net.spec().depth(); l++) {
        for (float w : net.weights(k, l)) {
          s += (double) w * w;
        }
      }
      out[k] = l2 * s;
    }
    return out;
  }

  private static void mask(Metrics m, int[] divergedAt) {
    for (int k = 0; k < divergedAt.length; k++) {
      if (divergedAt[k] > 0) {
        m.mse()[k] = Double.NaN;
        m.l2()[k] = Double.NaN;
        m.kl()[k] = Double.NaN;
        m.accDecoded()[k] = Double.NaN;
        m.accBin()[k] = Double.NaN;
      }
    }
  }
}
