package org.nnstm.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an ensemble for a number of epochs and reports every epoch to listeners: the reference
 * "Gaussian feedforward" workflow, as a library call. After each epoch every model is evaluated on the
 * validation set; listeners write files, print lines, or collect numbers.
 *
 * <pre>{@code
 * try (Backend backend = Backends.open("auto", Runtime.getRuntime().availableProcessors(), System.err::println);
 *      Ensemble net = new Ensemble(backend, NetworkSpec.tanh(Layouts.wide(10)),
 *          List.of(new ModelInit(2.0, 0.05, 0)))) {
 *   TrainingRun.train(net, EnsembleTrainer.Config.reference(), 1, false, 0, train, validation, listener);
 * }
 * }</pre>
 */
public final class TrainingRun {
  private TrainingRun() {}

  /** Images n x n_0 (row-major, pixels in [0, 1]) with their classes. */
  public record Data(float[] images, int[] labels) {
    public Data {
      if (labels.length == 0 || images.length % labels.length != 0) {
        throw new IllegalArgumentException("data: " + images.length + " pixels do not split into "
            + labels.length + " examples");
      }
    }

    public int size() {
      return labels.length;
    }
  }

  /** What a listener is told after each epoch (epoch counts from 1; epoch 0 is the initial state). */
  public record EpochReport(int epoch, EnsembleTrainer.Stats train, EnsembleTrainer.Stats validation,
                            double seconds) {}

  /** Receives the run's events; every method has an empty default. */
  public interface Listener {
    /** Before training, with freshly initialised parameters. */
    default void started(Ensemble net, EnsembleTrainer trainer) {}

    /** After step {@code step} of {@code steps} in an epoch. */
    default void stepDone(int epoch, int step, int steps) {}

    /** After each epoch's validation pass. */
    default void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport report) {}
  }

  /** One listener that forwards every event to each of {@code listeners}, in order. */
  public static Listener all(Listener... listeners) {
    List<Listener> list = List.of(listeners);
    return new Listener() {
      @Override
      public void started(Ensemble net, EnsembleTrainer trainer) {
        list.forEach(l -> l.started(net, trainer));
      }

      @Override
      public void stepDone(int epoch, int step, int steps) {
        list.forEach(l -> l.stepDone(epoch, step, steps));
      }

      @Override
      public void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport report) {
        list.forEach(l -> l.epochDone(net, trainer, report));
      }
    };
  }

  /**
   * Runs {@code epochs} epochs of SGD on {@code train} (in order, or shuffled with a permutation drawn
   * from {@code shuffleSeed} and the epoch number), evaluating on {@code validation} after each.
   * Modifies the ensemble's parameters.
   */
  public static void train(Ensemble net, EnsembleTrainer.Config config, int epochs, boolean shuffle,
                           long shuffleSeed, Data train, Data validation, Listener listener) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    try (EnsembleTrainer trainer = new EnsembleTrainer(net, config)) {
      listener.started(net, trainer);
      int steps = trainer.stepsPerEpoch(train.size());
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        int[] order = order(train.size(), shuffle, shuffleSeed, epoch);
        final int e = epoch;
        EnsembleTrainer.Stats tr = trainer.trainEpoch(train.images(), train.labels(), order,
            s -> listener.stepDone(e, s, steps));
        EnsembleTrainer.Stats val = trainer.evaluate(validation.images(), validation.labels(), validation.size());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        listener.epochDone(net, trainer, new EpochReport(epoch, tr, val, seconds));
      }
    }
  }

  /** 0..n-1, or its Fisher-Yates shuffle seeded by (seed, epoch). */
  public static int[] order(int n, boolean shuffle, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Convenience: one model per (sigma_w^2, seed) pair, sigma_w^2 varying slowest. */
  public static List<ModelInit> grid(double[] varW, double varB, long firstSeed, int seeds) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
    }
    ModelInit[] m = new ModelInit[varW.length * seeds];
    for (int i = 0; i < varW.length; i++) {
      for (int s = 0; s < seeds; s++) {
        m[i * seeds + s] = new ModelInit(varW[i], varB, firstSeed + s);
      }
    }
    return List.of(m);
  }
}
