package org.nnstm.nn;

import org.nnstm.tensor.Tensor;

/**
 * What an {@link EnsembleTrainer} minimises: targets for a mini-batch, the loss of the network outputs and its
 * gradient. Implementations own their device buffers (close them).
 */
interface Objective extends AutoCloseable {
  /** Columns of each model's statistics row (column 0 is the summed loss). */
  int statsColumns();

  /**
   * Loads the targets of the mini-batch: example r is {@code labels[order[from + r]]} (or
   * {@code labels[from + r]} when order is null), {@code r < rows}.
   */
  void loadTargets(int[] labels, int[] order, int from, int rows);

  /**
   * For network outputs y (K, rows, n_L) writes dL/dy of the mean loss over the rows into grad (same
   * shape; may be reused by the trainer afterwards) and each model's summed statistics over the rows into
   * stats (K, statsColumns). Modifies grad and stats.
   */
  void lossAndGradient(int rows, Tensor output, Tensor grad, Tensor stats);

  @Override
  void close();
}
