package org.nnstm.experiment;

import org.nnstm.data.LabelledImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Langevin;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.prior.Divergences;
import org.nnstm.run.EpochLoop;
import org.nnstm.run.Listener;
import org.nnstm.run.Parts;
import org.nnstm.run.RunMemory;
import org.nnstm.prior.GaussianKde;
import org.nnstm.prior.LinearNetworkPrior;
import org.nnstm.tensor.Backend;

/**
 * The exact-versus-sampled prior experiment: M random deep linear networks (no biases, W_l entries
 * N(0, sigma_l^2 / n_{l-1}), model k seeded {@code seed + k}) fed one input x; their outputs h_L compared with
 * the exact prior ({@link LinearNetworkPrior}) through a Gaussian KDE (Scott's rule) and the Jensen-Shannon
 * distance on a grid (natural log, trapezoid rule, {@link Divergences#jensenShannonDistanceOnGrid}), for the
 * radial density of ||h_L|| and the marginal density of the first component h_L[0], on nested prefixes of
 * the ensemble (M = 100, 1000, ..., and all). Optionally the first T networks are then trained on MNIST with
 * plain SGD (softmax cross-entropy on h_L, the "annealed" ensemble) and, separately, sampled from the
 * tempered posterior by {@link Langevin} dynamics started from the same prior draw; both are compared with
 * the exact prior the same way. Every network sees the same mini-batch sequence (seeded by the plan's
 * seed), so no result depends on how networks are grouped into passes.
 *
 * <p>The radial KDE is scipy's plain Gaussian KDE: near r = 0 it leaks mass below zero (no boundary
 * correction), which the grid normalisation of the JS distance absorbs; the marginal has no boundary.
 */
public final class PriorComparison {
  /** Grid points of each density. */
  public static final int GRID = 10001;

  /** What to run. trainNetworks = 0 skips training; langevinBeta = null skips Langevin. */
  public record Plan(int[] widths, double[] varW, float[] input, int networks, long seed, int modelsPerPass,
                     int trainNetworks, int trainEpochs, EnsembleTrainer.Config trainConfig,
                     Double langevinBeta, int langevinSteps, double langevinStep) {
    public Plan {
      widths = widths.clone();
      varW = varW.clone();
      input = input.clone();
      if (input.length != widths[0]) {
        throw new IllegalArgumentException("input has " + input.length + " entries but n_0 = " + widths[0]);
      }
      if (networks < 2) {
        throw new IllegalArgumentException("networks must be >= 2 (a KDE needs two samples), got " + networks);
      }
      PlanChecks.atLeastOne(modelsPerPass, "models per pass");
      if (trainNetworks < 0 || trainNetworks > networks || trainNetworks == 1) {
        throw new IllegalArgumentException("train networks must be 0 or in [2, " + networks + "], got "
            + trainNetworks);
      }
      if (trainNetworks > 0 && trainEpochs < 1 && langevinBeta == null) {
        throw new IllegalArgumentException("training networks needs train epochs >= 1 or a Langevin beta");
      }
      if (langevinBeta != null) {
        new Langevin.Config(langevinBeta, langevinStep, 1, 0); // validates beta and step
        if (langevinSteps < 1) {
          throw new IllegalArgumentException("Langevin steps must be >= 1 with a Langevin beta, got " + langevinSteps);
        }
      }
      new LinearNetworkPrior(widths, varW, 1.0); // validates widths and variances
    }

    public NetworkSpec spec() {
      return NetworkSpec.linear(widths);
    }

    public double inputNorm() {
      double s = 0;
      for (float v : input) {
        s += (double) v * v;
      }
      return Math.sqrt(s);
    }

    /** Per-layer variances expanded to L entries. */
    public double[] layerVarW() {
      int depth = widths.length - 1;
      double[] v = new double[depth];
      for (int l = 0; l < depth; l++) {
        v[l] = varW.length == 1 ? varW[0] : varW[l];
      }
      return v;
    }
  }

  /** The phases reported to the listener's {@link Listener#progress}: units are networks, or steps. */
  public static final String SAMPLE = "sample";
  public static final String TRAIN = "train";
  public static final String LANGEVIN = "langevin";

  /** One density on a grid, with the JS distance to the exact density. */
  public record Curve(String ensemble, int networks, double[] density, double jsDistance) {}

  /** Exact density on a grid and every sampled curve compared with it. */
  public record Comparison(String kind, double[] grid, double[] exact, List<Curve> curves) {}

  /** Outputs h_L (networks x n_L) of each ensemble (null when not run), and the comparisons. */
  public record Result(float[][] prior, float[][] trained, float[][] langevin, Comparison radial,
                       Comparison marginal, double[] trainAccuracy) {}

  private PriorComparison() {}

  /** Runs the plan on {@code backend}; {@code train} may be null when the plan trains nothing. */
  public static Result run(Backend backend, Plan plan, LabelledImages train, Listener<?> listener) {
    return run(backend, plan, train, listener, Parts.NONE);
  }

  /**
   * Runs the plan, taking every pass already in {@code store} from there and saving each new one, so a
   * killed run resumes where it stopped. Results do not depend on the split into passes (network k is
   * seeded seed + k), so a resumed run gives the same numbers as an uninterrupted one.
   */
  public static Result run(Backend backend, Plan plan, LabelledImages train, Listener<?> listener, Parts store) {
    boolean annealed = plan.trainNetworks() > 0 && plan.trainEpochs() > 0;
    boolean langevin = plan.trainNetworks() > 0 && plan.langevinBeta() != null;
    if ((annealed || langevin) && train == null) {
      throw new IllegalArgumentException("training data are needed to train or run Langevin");
    }
    int outputs = plan.widths()[plan.widths().length - 1];
    float[][] prior = new float[plan.networks()][];
    float[][] trained = annealed ? new float[plan.trainNetworks()][] : null;
    float[][] sampled = langevin ? new float[plan.trainNetworks()][] : null;
    double[] trainAcc = annealed ? new double[plan.trainNetworks()] : null;
    EnsembleTrainer.Config sampleConfig = new EnsembleTrainer.Config(1f, 0f, 1);
    for (RunMemory.Pass pass : RunMemory.passes(plan.networks(), plan.modelsPerPass())) {
      int from = pass.from();
      int to = pass.to();
      String key = "prior-" + from + "-" + to;
      float[][] part = store.load(key, to - from, outputs);
      if (part == null) {
        try (Ensemble net = new Ensemble(backend, plan.spec(), models(plan, from, to));
             EnsembleTrainer t = new EnsembleTrainer(net, sampleConfig)) {
          part = outputs(t, plan.input());
        }
        store.save(key, part);
      }
      store(part, prior, from);
      listener.progress(SAMPLE, to, plan.networks());
    }
    for (RunMemory.Pass pass : RunMemory.passes(plan.trainNetworks(), plan.modelsPerPass())) {
      int from = pass.from();
      int to = pass.to();
      String range = from + "-" + to;
      float[][] doneTrained = annealed ? store.load("trained-" + range, to - from, outputs) : null;
      float[][] doneAcc = annealed ? store.load("train-accuracy-" + range, to - from, 1) : null;
      float[][] doneLangevin = langevin ? store.load("langevin-" + range, to - from, outputs) : null;
      boolean trainHere = annealed && (doneTrained == null || doneAcc == null);
      boolean langevinHere = langevin && doneLangevin == null;
      if (trainHere || langevinHere) {
        try (Ensemble net = new Ensemble(backend, plan.spec(), models(plan, from, to))) {
          if (trainHere) {
            double[] acc = trainPass(net, plan, train, from, to, listener);
            doneTrained = outputsOf(net, plan.input(), sampleConfig);
            requireFiniteTraining(doneTrained, from, plan);
            doneAcc = new float[acc.length][];
            for (int k = 0; k < acc.length; k++) {
              doneAcc[k] = new float[] {(float) acc[k]};
            }
            store.save("trained-" + range, doneTrained);
            store.save("train-accuracy-" + range, doneAcc);
          }
          if (langevinHere) {
            net.reinitialize();
            doneLangevin = langevinPass(net, plan, train, from, to, listener, sampleConfig);
            store.save("langevin-" + range, doneLangevin);
          }
        }
      }
      if (annealed) {
        store(doneTrained, trained, from);
        for (int k = 0; k < to - from; k++) {
          trainAcc[from + k] = doneAcc[k][0];
        }
      }
      if (langevin) {
        store(doneLangevin, sampled, from);
      }
    }
    LinearNetworkPrior exact = new LinearNetworkPrior(plan.widths(), plan.varW(), plan.inputNorm());
    Comparison radial = compare("radial", exact, prior, trained, sampled, true);
    Comparison marginal = compare("marginal", exact, prior, trained, sampled, false);
    return new Result(prior, trained, sampled, radial, marginal, trainAcc);
  }

  /** Trains networks [from, to) (the ensemble net) for the plan's epochs; returns their training accuracy. */
  private static double[] trainPass(Ensemble net, Plan plan, LabelledImages train, int from, int to,
                                    Listener<?> listener) {
    try (EnsembleTrainer t = new EnsembleTrainer(net, plan.trainConfig())) {
      int steps = t.stepsPerEpoch(train.size());
      long total = (long) plan.trainEpochs() * steps;
      // one order for all passes: shuffled from the plan's seed
      EpochLoop.run(net, t, train, new EpochLoop.Schedule(plan.trainEpochs(), true, plan.seed(), false),
          EpochLoop.noEvaluation(), new Listener<Object>() {
            @Override
            public void stepDone(int epoch, int s, int stepsPerEpoch) {
              if (s % 20 == 0 || s == steps) {
                long before = (long) (epoch - 1) * steps;
                listener.progress(TRAIN, (long) from * total + (to - from) * (before + s),
                    (long) plan.trainNetworks() * total);
              }
            }
          });
      return t.evaluate(train.images(), train.labels(), train.size()).accuracy();
    }
  }

  /** Names a diverged training run (non-finite outputs) instead of passing NaN on to the statistics. */
  private static void requireFiniteTraining(float[][] outputs, int from, Plan plan) {
    for (int k = 0; k < outputs.length; k++) {
      for (float v : outputs[k]) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("training diverged: network " + (from + k) + " has non-finite outputs"
              + " after " + plan.trainEpochs() + " epoch(s) at learning rate " + plan.trainConfig().learningRate()
              + "; use a smaller learning rate");
        }
      }
    }
  }

  /** Langevin dynamics of networks [from, to) from their prior draw; returns their outputs. */
  private static float[][] langevinPass(Ensemble net, Plan plan, LabelledImages train, int from, int to,
                                        Listener<?> listener, EnsembleTrainer.Config sampleConfig) {
    Langevin.Config lc = new Langevin.Config(plan.langevinBeta(), plan.langevinStep(),
        plan.trainConfig().batchSize(), plan.seed());
    long total = plan.langevinSteps();
    try (Langevin lv = new Langevin(net, lc)) {
      lv.run(train.images(), train.labels(), plan.langevinSteps(), s -> {
        if (s % 20 == 0 || s == total) {
          listener.progress(LANGEVIN, (long) from * total + (long) (to - from) * s,
              (long) plan.trainNetworks() * total);
        }
      });
    }
    return outputsOf(net, plan.input(), sampleConfig);
  }

  private static float[][] outputsOf(Ensemble net, float[] x, EnsembleTrainer.Config sampleConfig) {
    try (EnsembleTrainer t = new EnsembleTrainer(net, sampleConfig)) {
      return outputs(t, x);
    }
  }

  /** The ensemble sizes compared: 100, 1000, 10000, ... below M, then M itself. */
  public static int[] prefixSizes(int networks) {
    List<Integer> sizes = new ArrayList<>();
    for (long m = 100; m < networks; m *= 10) {
      sizes.add((int) m);
    }
    sizes.add(networks);
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Model inits of networks [from, to): per-layer variances, seed + k. */
  static List<ModelInit> models(Plan plan, int from, int to) {
    List<ModelInit> m = new ArrayList<>();
    for (int k = from; k < to; k++) {
      m.add(ModelInit.perLayer(plan.layerVarW(), plan.seed() + k));
    }
    return m;
  }

  /** h_L of every model of the trainer's ensemble for the single input x: (K, n_L). */
  static float[][] outputs(EnsembleTrainer t, float[] x) {
    float[][][] z = t.preActivations(x, 1);
    float[][] out = new float[z.length][];
    for (int k = 0; k < z.length; k++) {
      out[k] = z[k][z[k].length - 1];
    }
    return out;
  }

  private static void store(float[][] part, float[][] all, int from) {
    System.arraycopy(part, 0, all, from, part.length);
  }

  /** Samples of ||h|| (radial) or h[0] (marginal). */
  static double[] statistic(float[][] outputs, int count, boolean radial) {
    double[] s = new double[count];
    for (int k = 0; k < count; k++) {
      if (radial) {
        double r2 = 0;
        for (float v : outputs[k]) {
          r2 += (double) v * v;
        }
        s[k] = Math.sqrt(r2);
      } else {
        s[k] = outputs[k][0];
      }
    }
    return s;
  }

  private static Comparison compare(String kind, LinearNetworkPrior exact, float[][] prior, float[][] trained,
                                    float[][] langevin, boolean radial) {
    double[] all = statistic(prior, prior.length, radial);
    double hi = radial ? tailPoint(exact, false) : tailPoint(exact, true);
    double lo = radial ? 0.0 : -hi;
    for (float[][] set : new float[][][] {prior, trained, langevin}) {
      if (set == null) {
        continue;
      }
      double[] s = statistic(set, set.length, radial);
      double pad = 4 * bandwidth(s);
      for (double v : s) {
        hi = Math.max(hi, v + pad);
        if (!radial) {
          lo = Math.min(lo, v - pad);
        }
      }
    }
    hi = niceCeiling(hi);
    lo = radial ? 0.0 : -niceCeiling(-lo);
    double[] grid = new double[GRID];
    for (int i = 0; i < GRID; i++) {
      grid[i] = lo + (hi - lo) * i / (GRID - 1);
    }
    double[] exactDensity = new double[GRID];
    for (int i = 0; i < GRID; i++) {
      exactDensity[i] = radial ? exact.radialDensity(grid[i]) : exact.marginalDensity(grid[i]);
    }
    if (radial && Double.isInfinite(exactDensity[0])) {
      exactDensity[0] = 0.0; // an integrable divergence at r = 0 (one hidden width 1): keep the grid finite
    }
    List<Curve> curves = new ArrayList<>();
    for (int m : prefixSizes(prior.length)) {
      curves.add(curve("prior", Arrays.copyOf(all, m), grid, exactDensity));
    }
    if (trained != null) {
      curves.add(curve("trained", statistic(trained, trained.length, radial), grid, exactDensity));
    }
    if (langevin != null) {
      curves.add(curve("langevin", statistic(langevin, langevin.length, radial), grid, exactDensity));
    }
    return new Comparison(kind, grid, exactDensity, curves);
  }

  private static Curve curve(String ensemble, double[] samples, double[] grid, double[] exact) {
    double[] density = new GaussianKde(GaussianKde.column(samples)).pdf(grid);
    double js = Divergences.jensenShannonDistanceOnGrid(grid, exact, density, Math.E);
    return new Curve(ensemble, samples.length, density, js);
  }

  /** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= v > 0. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /**
   * Scott bandwidth of 1-D samples (sample standard deviation times n^(-1/5)); for one sample the variance is
   * (s_0 - s_0)^2: 0, or NaN for a non-finite sample.
   */
  private static double bandwidth(double[] s) {
    double var = s.length == 1 ? (s[0] - s[0]) * (s[0] - s[0]) : SignalPropagation.stats(s)[2];
    return Math.sqrt(var) * Math.pow(s.length, -0.2);
  }

  /** r with P(||h|| > r) = 1e-9 (radial) or y with P(|h_0| > y) = 1e-9 (marginal), by bisection in log space. */
  static double tailPoint(LinearNetworkPrior exact, boolean marginal) {
    LinearNetworkPrior p = marginal ? exact.marginalPrior() : exact;
    double target = Math.log(1e-9);
    double hi = Math.sqrt(p.radialMoment(1));
    while (p.logRadialSurvival(hi) > target) {
      hi *= 2;
    }
    double lo = 0;
    for (int i = 0; i < 60; i++) {
      double mid = 0.5 * (lo + hi);
      if (p.logRadialSurvival(mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
