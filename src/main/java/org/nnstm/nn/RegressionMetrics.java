package org.nnstm.nn;

import org.nnstm.data.BumpTargets;

/**
 * Per-example metrics of bump-regression predictions p (B values) against their class y, accumulated over a
 * pass: the data term MSE = mean over examples and outputs of (p_j - T_y[j])^2; the KL divergence
 * KL(T_y || p) = sum_j t_j ln(t_j / p_j) with Keras' clipping of both t and p to [1e-7, 1] (nats, mean over
 * examples); exact-bin accuracy, argmax_j p_j == argmax_j T_y[j] (first maximum); and decoded accuracy, the
 * class c minimising sum_j (p_j - T_c[j])^2 equals y (first minimum).
 */
public final class RegressionMetrics {
  /** Keras' epsilon for the KL clipping. */
  public static final double KERAS_EPSILON = 1e-7;

  private final BumpTargets targets;
  private final float[][] table;
  private final int[] peak;
  private long examples;
  private double squaredError;
  private double kl;
  private long binHits;
  private long decodedHits;

  public RegressionMetrics(BumpTargets targets) {
    this.targets = targets;
    table = new float[BumpTargets.CLASSES][];
    peak = new int[BumpTargets.CLASSES];
    for (int c = 0; c < BumpTargets.CLASSES; c++) {
      table[c] = targets.target(c);
      peak[c] = targets.peakBin(c);
    }
  }

  /** Adds rows examples: predictions rows x B (row-major) with classes labels[0..rows). */
  public void add(float[] predictions, int[] labels, int rows) {
    int b = targets.bins();
    for (int r = 0; r < rows; r++) {
      int y = labels[r];
      float[] t = table[y];
      int off = r * b;
      double se = 0;
      double k = 0;
      int argmax = 0;
      for (int j = 0; j < b; j++) {
        double p = predictions[off + j];
        double d = p - t[j];
        se += d * d;
        double tc = clip(t[j]);
        k += tc * Math.log(tc / clip(p));
        if (predictions[off + j] > predictions[off + argmax]) {
          argmax = j;
        }
      }
      squaredError += se;
      kl += k;
      if (argmax == peak[y]) {
        binHits++;
      }
      if (decode(predictions, off) == y) {
        decodedHits++;
      }
      examples++;
    }
  }

  /** The class whose bump is nearest (squared error) to the prediction at predictions[off .. off + B). */
  public int decode(float[] predictions, int off) {
    int best = -1;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int c = 0; c < BumpTargets.CLASSES; c++) {
      double dist = 0;
      float[] t = table[c];
      for (int j = 0; j < t.length; j++) {
        double d = predictions[off + j] - t[j];
        dist += d * d;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    return best;
  }

  private static double clip(double v) {
    return Math.min(1.0, Math.max(KERAS_EPSILON, v));
  }

  public long examples() {
    return examples;
  }

  /** Mean over examples and outputs of the squared error (the data term of the loss). */
  public double mse() {
    return squaredError / ((double) examples * targets.bins());
  }

  /** Mean KL(target || prediction) in nats, Keras clipping. */
  public double kl() {
    return kl / examples;
  }

  public double binAccuracy() {
    return (double) binHits / examples;
  }

  public double decodedAccuracy() {
    return (double) decodedHits / examples;
  }
}
