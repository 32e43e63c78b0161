package org.nnstm.run;

/**
 * What an epoch produced: the metrics M of every model on the training and the evaluation data (epoch counts
 * from 1; epoch 0, where reported, is the initial state), and the seconds the epoch and its evaluation took.
 * M is the objective's metrics: {@link org.nnstm.nn.EnsembleTrainer.Stats} for softmax cross-entropy, the
 * regression's metrics for bump regression; null where a run evaluates nothing per epoch.
 */
public record EpochReport<M>(int epoch, M train, M validation, double seconds) {}
