package org.nnstm.nn;

import org.nnstm.data.BumpTargets;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * MNIST as regression: network outputs u (K, rows, B) pass through the readout pred = u + g_k u^3 (one g per
 * model, so a g-sweep is one ensemble) and are compared with the class's Gaussian bump ({@link BumpTargets})
 * by the squared error averaged over the B outputs and the mini-batch (Keras' {@code mse}). Statistics per
 * model: the summed squared error over the examples and outputs.
 *
 * <p>When {@link #collect} is on, every call also downloads the predictions and adds them to a
 * {@link RegressionMetrics} per model (for evaluation passes; training leaves it off).
 */
public final class BumpRegression implements Objective {
  private final Backend backend;
  private final BumpTargets targets;
  private final int models;
  private final int bins;
  private final Tensor g;
  private final Tensor target;
  private final Tensor pred;
  private final float[] targetHost;
  private final int[] labelsOfBatch;
  private final float[] predHost;
  private RegressionMetrics[] metrics;

  /** @param readout g_k per model (length K), each finite */
  public BumpRegression(Backend backend, BumpTargets targets, double[] readout, int maxRows) {
    this.backend = backend;
    this.targets = targets;
    this.models = readout.length;
    this.bins = targets.bins();
    float[] gf = new float[models];
    for (int k = 0; k < models; k++) {
      if (!Double.isFinite(readout[k])) {
        throw new IllegalArgumentException("readout coefficient g must be finite, got " + readout[k]);
      }
      gf[k] = (float) readout[k];
    }
    Tensor gt = null;
    Tensor tt = null;
    try {
      gt = backend.upload(gf, models);
      tt = backend.zeros(maxRows, bins);
      this.pred = backend.zeros(models, maxRows, bins);
    } catch (RuntimeException e) {
      GaussianLinear.closeAll(gt, tt);
      throw e;
    }
    this.g = gt;
    this.target = tt;
    this.targetHost = new float[maxRows * bins];
    this.labelsOfBatch = new int[maxRows];
    this.predHost = new float[maxRows * bins];
  }

  /** Starts (fresh metrics per model) or stops collecting evaluation metrics. */
  public void collect(boolean on) {
    if (on) {
      metrics = new RegressionMetrics[models];
      for (int k = 0; k < models; k++) {
        metrics[k] = new RegressionMetrics(targets);
      }
    } else {
      metrics = null;
    }
  }

  /** The metrics collected since {@link #collect}(true), one per model. */
  public RegressionMetrics[] metrics() {
    if (metrics == null) {
      throw new IllegalStateException("no metrics are being collected");
    }
    return metrics.clone();
  }

  @Override
  public int statsColumns() {
    return 1;
  }

  @Override
  public void loadTargets(int[] labels, int[] order, int from, int rows) {
    targets.fill(labels, order, from, rows, targetHost);
    for (int r = 0; r < rows; r++) {
      labelsOfBatch[r] = labels[order == null ? from + r : order[from + r]];
    }
    backend.upload(targetHost, 0, target, 0, rows * bins);
  }

  @Override
  public void lossAndGradient(int rows, Tensor output, Tensor grad, Tensor stats) {
    backend.cubicReadoutSquaredError(models, rows, bins, output, g, target, 2f / (rows * bins), pred, grad, stats);
    if (metrics != null) {
      for (int k = 0; k < models; k++) {
        backend.download(pred, (long) k * rows * bins, predHost, 0, rows * bins);
        metrics[k].add(predHost, labelsOfBatch, rows);
      }
    }
  }

  /** Predictions of the last call, model k, as rows x B (a copy). */
  public float[] lastPredictions(int k, int rows) {
    float[] out = new float[rows * bins];
    backend.download(pred, (long) k * rows * bins, out, 0, rows * bins);
    return out;
  }

  @Override
  public void close() {
    GaussianLinear.closeAll(g, target, pred);
  }
}
