package org.nnstm.nn;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Classification: softmax cross-entropy of the outputs against class labels in [0, n_L), mean over the
 * mini-batch (PyTorch's {@code CrossEntropyLoss}). Statistics per model: summed loss (nats), correct count.
 */
final class SoftmaxCrossEntropy implements Objective {
  private final Backend backend;
  private final int models;
  private final int classes;
  private final Tensor labels;
  private final float[] labelHost;

  public SoftmaxCrossEntropy(Backend backend, int models, int maxRows, int classes) {
    this.backend = backend;
    this.models = models;
    this.classes = classes;
    this.labels = backend.zeros(maxRows);
    this.labelHost = new float[maxRows];
  }

  @Override
  public int statsColumns() {
    return 2;
  }

  @Override
  public void loadTargets(int[] labelsIn, int[] order, int from, int rows) {
    for (int r = 0; r < rows; r++) {
      int idx = order == null ? from + r : order[from + r];
      int c = labelsIn[idx];
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("label " + c + " of example " + idx + " not in [0, " + classes + ")");
      }
      labelHost[r] = c;
    }
    backend.upload(labelHost, 0, labels, 0, rows);
  }

  @Override
  public void lossAndGradient(int rows, Tensor output, Tensor grad, Tensor stats) {
    backend.softmaxCrossEntropy(models, rows, classes, output, labels, 1f / rows, grad, stats);
  }

  @Override
  public void close() {
    labels.close();
  }
}
