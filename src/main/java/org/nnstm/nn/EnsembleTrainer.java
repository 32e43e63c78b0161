package org.nnstm.nn;

import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Mini-batch SGD with momentum of every model of an {@link Ensemble} at once, on softmax cross-entropy
 * of the network outputs (the reference: tanh outputs fed to {@code CrossEntropyLoss}, mean over the
 * batch).
 *
 * <p>One step on rows x (all models see the same mini-batch):
 * forward z_l = y_{l-1} W_l^T + b_l, y_l = phi_l(z_l) (y_{-1} = x, broadcast to all K models);
 * loss = mean_r -ln softmax(y_L)[label_r]; backward dz_l = dy_l * phi_l'(z_l) (any {@link
 * org.nnstm.tensor.Activation}: the backend forms phi' from z_l or y_l, whichever it needs), then PyTorch's
 * SGD-momentum v = mu v + g, w = w - lr v. The momentum update is fused into the gradient GEMM
 * (v_W = 1 * dz^T y_{l-1} + mu * v_W, computed by one GEMM with beta = mu), followed by
 * w = w - lr v_W (axpy): the same arithmetic as {@link Backend#sgdMomentum} without a gradient buffer. Every layer
 * but the first does its data gradient, momentum and step as one {@link Backend#linearBackward}.
 *
 * <p>The trainer owns its activation buffers; the ensemble owns the parameters. Close both.
 */
public final class EnsembleTrainer implements AutoCloseable {
  /**
   * Hyperparameters of SGD: learning rate, momentum, mini-batch size, and an L2 penalty l2 * sum W^2 on the
   * weights (not the biases; gradient 2 l2 W, added before the momentum like PyTorch's weight decay).
   */
  public record Config(float learningRate, float momentum, int batchSize, float l2) {
    public Config {
      if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
      }
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      if (!(l2 >= 0) || Float.isInfinite(l2)) {
        throw new IllegalArgumentException("L2 penalty must be finite and >= 0, got " + l2);
      }
    }

    /** No L2 penalty. */
    public Config(float learningRate, float momentum, int batchSize) {
      this(learningRate, momentum, batchSize, 0f);
    }

    /** The reference settings: lr 0.005, momentum 0.8, batch 64. */
    public static Config reference() {
      return new Config(0.005f, 0.8f, 64);
    }
  }

  /**
   * Per-model mean loss per example (statistics column 0 over the examples; cross-entropy: nats) and
   * accuracy (column 1; NaN for objectives without one) over a pass.
   */
  public record Stats(double[] loss, double[] accuracy) {}

  private final Backend backend;
  private final Ensemble net;
  private final NetworkSpec spec;
  private final Config config;
  private final int models;
  private final int rowsMax;
  private final Objective objective;
  private final Tensor input;
  private final Tensor[] z;
  private final Tensor[] y;
  private final Tensor gradA;
  private final Tensor gradB;
  private final Tensor stats;
  private final Tensor statsSum;
  private final float[] inputHost;
  /** The widest layer output, n_1 .. n_L: the size per row of the activation buffers. */
  private final int maxOut;

  /** Trains on softmax cross-entropy ({@link SoftmaxCrossEntropy}). */
  public EnsembleTrainer(Ensemble net, Config config) {
    this(net, config, new SoftmaxCrossEntropy(net.backend(), net.size(), config.batchSize(),
        net.spec().width(net.spec().depth())));
  }

  /** Trains on the given objective, which the trainer then owns (and closes). */
  public EnsembleTrainer(Ensemble net, Config config, Objective objective) {
    this.backend = net.backend();
    this.net = net;
    this.spec = net.spec();
    this.config = config;
    this.models = net.size();
    this.rowsMax = config.batchSize();
    int depth = spec.depth();
    this.z = new Tensor[depth];
    this.y = new Tensor[depth];
    int widest = 1;
    for (int l = 1; l <= depth; l++) {
      widest = Math.max(widest, spec.width(l));
    }
    this.maxOut = widest;
    this.objective = objective;
    Tensor in = null;
    Tensor ga = null;
    Tensor gb = null;
    Tensor st = null;
    try {
      in = backend.zeros(rowsMax, spec.width(0));
      for (int l = 0; l < depth; l++) {
        z[l] = backend.zeros(models, rowsMax, spec.width(l + 1));
        y[l] = backend.zeros(models, rowsMax, spec.width(l + 1));
      }
      ga = backend.zeros(models, rowsMax, Math.max(maxOut, spec.width(0)));
      gb = backend.zeros(models, rowsMax, Math.max(maxOut, spec.width(0)));
      st = backend.zeros(models, objective.statsColumns());
      this.statsSum = backend.zeros(models, objective.statsColumns());
    } catch (RuntimeException e) {
      GaussianLinear.closeAll(objective, in, ga, gb, st);
      GaussianLinear.closeAll(z);
      GaussianLinear.closeAll(y);
      throw e;
    }
    this.input = in;
    this.gradA = ga;
    this.gradB = gb;
    this.stats = st;
    this.inputHost = new float[rowsMax * spec.width(0)];
  }

  public Config config() {
    return config;
  }

  /**
   * One epoch of SGD over {@code order} (indices into the data set, visited in that order, in
   * mini-batches of the configured size; the last batch may be smaller). Modifies the ensemble's
   * parameters.
   *
   * @param images n x n_0 row-major pixels
   * @param labels class of each image, in [0, n_L)
   * @param afterStep called with the number of steps done after each step (may be null)
   * @return mean training loss and accuracy per model, measured on the fly (before each step's update)
   */
  public Stats trainEpoch(float[] images, int[] labels, int[] order, IntConsumer afterStep) {
    checkData(images, labels);
    backend.fill(statsSum, 0, statsSum.size(), 0f);
    int steps = 0;
    for (int from = 0; from < order.length; from += rowsMax) {
      int rows = Math.min(rowsMax, order.length - from);
      loadBatch(images, labels, order, from, rows);
      forward(rows);
      lossAndGradient(rows);
      backwardAndUpdate(rows);
      steps++;
      if (afterStep != null) {
        afterStep.accept(steps);
      }
    }
    return summarize(order.length);
  }

  /** Number of steps {@link #trainEpoch} takes for n examples. */
  public int stepsPerEpoch(int n) {
    return (n + rowsMax - 1) / rowsMax;
  }

  /**
   * Evaluation runs its forward GEMMs on this many mini-batches' rows at once (taller GEMMs run ~30% faster
   * here: 192-202 against 137-158 GFLOP/s at 64 rows on 2 cores), then the objective on each mini-batch in
   * turn, so its sums and every number equal those of a pass of single mini-batches.
   */
  public static final int EVAL_BATCHES = 4;

  /**
   * Mean loss and accuracy of every model on the first {@code count} examples, summed mini-batch by mini-batch
   * in order; changes nothing but the objective's scratch (temporary buffers of {@link #EVAL_BATCHES}
   * mini-batches' rows are allocated for the call).
   */
  public Stats evaluate(float[] images, int[] labels, int count) {
    checkData(images, labels);
    if (count < 1 || count > labels.length) {
      throw new IllegalArgumentException("evaluate: count " + count + " not in [1, " + labels.length + "]");
    }
    backend.fill(statsSum, 0, statsSum.size(), 0f);
    int n0 = spec.width(0);
    int depth = spec.depth();
    int classes = spec.width(depth);
    int evalRows = rowsMax * EVAL_BATCHES;
    try (Tensor in = backend.zeros(evalRows, n0); Tensor ze = backend.zeros(models, evalRows, maxOut);
         Tensor ya = backend.zeros(models, evalRows, maxOut); Tensor yb = backend.zeros(models, evalRows, maxOut)) {
      for (int from = 0; from < count; from += evalRows) {
        int rows = Math.min(evalRows, count - from);
        backend.upload(images, from * n0, in, 0, rows * n0);
        Tensor prev = forward(rows, in, l -> ze, l -> l % 2 == 0 ? ya : yb, false);
        for (int r0 = 0; r0 < rows; r0 += rowsMax) {
          int r = Math.min(rowsMax, rows - r0);
          for (int k = 0; k < models; k++) {
            backend.copy(prev, (long) k * rows * classes + (long) r0 * classes, y[depth - 1],
                (long) k * r * classes, (long) r * classes);
          }
          objective.loadTargets(labels, null, from + r0, r);
          lossAndGradient(r);
        }
      }
    }
    return summarize(count);
  }

  /**
   * Pre-activations z_l = W_l y_{l-1} + b_l (the inputs of each layer's activation) of every model for the
   * first {@code count} examples: result[k][l] is count x n_{l+1} row-major. Changes nothing.
   */
  public float[][][] preActivations(float[] images, int count) {
    int n0 = spec.width(0);
    if (count < 1 || (long) count * n0 > images.length) {
      throw new IllegalArgumentException("preActivations: count " + count + " exceeds the "
          + images.length / n0 + " examples given");
    }
    int depth = spec.depth();
    float[][][] out = new float[models][depth][];
    for (int k = 0; k < models; k++) {
      for (int l = 0; l < depth; l++) {
        out[k][l] = new float[count * spec.width(l + 1)];
      }
    }
    for (int from = 0; from < count; from += rowsMax) {
      int rows = Math.min(rowsMax, count - from);
      loadBatch(images, null, null, from, rows);
      forward(rows);
      for (int l = 0; l < depth; l++) {
        int w = spec.width(l + 1);
        for (int k = 0; k < models; k++) {
          backend.download(z[l], (long) k * rows * w, out[k][l], from * w, rows * w);
        }
      }
    }
    return out;
  }

  /**
   * One training step on the first {@code rows} examples of {@code images}/{@code labels} (no order
   * permutation, no stats download): the unit that benchmarks time. Modifies the parameters.
   */
  public void step(float[] images, int[] labels, int rows) {
    checkRows(rows);
    loadBatch(images, labels, null, 0, rows);
    forward(rows);
    lossAndGradient(rows);
    backwardAndUpdate(rows);
  }

  /**
   * Only the GEMMs of one training step, with the same shapes and operands as {@link #step} (forward
   * L, backward 2L - 1): the yardstick that the step's overhead is measured against. Modifies the
   * activation and velocity buffers (their contents become meaningless for training).
   */
  public void gemmsOfStep(int rows) {
    checkRows(rows);
    forward(rows, true);
    backward(rows, Pass.GEMMS_ONLY);
  }

  private void checkRows(int rows) {
    if (rows < 1 || rows > rowsMax) {
      throw new IllegalArgumentException("rows " + rows + " not in [1, batch size " + rowsMax + "]");
    }
  }

  private void checkData(float[] images, int[] labels) {
    int n0 = spec.width(0);
    if (images.length != (long) labels.length * n0) {
      throw new IllegalArgumentException("data: " + images.length + " pixels for " + labels.length
          + " labels, expected " + n0 + " per example");
    }
  }

  private void loadBatch(float[] images, int[] labelsIn, int[] order, int from, int rows) {
    int n0 = spec.width(0);
    for (int r = 0; r < rows; r++) {
      int idx = order == null ? from + r : order[from + r];
      System.arraycopy(images, idx * n0, inputHost, r * n0, n0);
    }
    backend.upload(inputHost, 0, input, 0, rows * n0);
    if (labelsIn != null) {
      objective.loadTargets(labelsIn, order, from, rows);
    }
  }

  private void forward(int rows) {
    forward(rows, false);
  }

  /** The forward pass; gemmsOnly: only its GEMMs (each layer then reads the previous z, not y). */
  private void forward(int rows, boolean gemmsOnly) {
    forward(rows, input, l -> z[l], l -> y[l], gemmsOnly);
  }

  /**
   * The forward pass of {@code rows} rows of x (shared by every model) into layer l's buffers zOf(l), yOf(l)
   * (models x rows x n_{l+1}); returns the last layer's output (its z when gemmsOnly: only the GEMMs, each layer
   * reading the previous z).
   */
  private Tensor forward(int rows, Tensor x, IntFunction<Tensor> zOf, IntFunction<Tensor> yOf, boolean gemmsOnly) {
    Tensor prev = x;
    long prevStride = 0;
    for (int l = 0; l < spec.depth(); l++) {
      GaussianLinear layer = net.layer(l);
      int in = layer.in();
      int out = layer.out();
      Tensor zl = zOf.apply(l);
      backend.gemm(false, true, rows, out, in, 1f, prev, prevStride, layer.weight, (long) out * in,
          0f, zl, (long) rows * out, models);
      if (gemmsOnly) {
        prev = zl;
      } else {
        Tensor yl = yOf.apply(l);
        backend.biasActivationForward(spec.activation(l), models, rows, out, zl, layer.bias, yl);
        prev = yl;
      }
      prevStride = (long) rows * out;
    }
    return prev;
  }

  private void lossAndGradient(int rows) {
    int last = spec.depth() - 1;
    objective.lossAndGradient(rows, y[last], gradA, stats);
    backend.axpy(stats.size(), 1f, stats, statsSum);
  }

  /**
   * Gradients of the mean loss over the mini-batch {@code order[from .. from + rows)} with respect to every
   * weight and bias, left in each layer's velocity buffers (v = dL/dtheta: momentum is not applied); the
   * parameters are not changed. The unit that samplers such as {@link Langevin} build on.
   */
  public void gradients(float[] images, int[] labels, int[] order, int from, int rows) {
    checkData(images, labels);
    checkRows(rows);
    if (from < 0 || from + rows > order.length) {
      throw new IllegalArgumentException("gradients: rows [" + from + ", " + (from + rows) + ") outside the "
          + order.length + " indices given");
    }
    loadBatch(images, labels, order, from, rows);
    forward(rows);
    lossAndGradient(rows);
    backward(rows, Pass.GRADIENTS);
  }

  private void backwardAndUpdate(int rows) {
    backward(rows, Pass.STEP);
  }

  /**
   * What {@link #backward} does: the gradients alone (velocity = grad, no update), the training step
   * (velocity = grad + mu velocity, w -= lr velocity), or only the step's GEMMs (the yardstick of
   * {@link #gemmsOfStep}: no activation backward, column sums or updates).
   */
  private enum Pass { GRADIENTS, STEP, GEMMS_ONLY }

  /** Backprop; velocity = grad + mu * velocity; with update, w -= lr * velocity. */
  private void backward(int rows, Pass pass) {
    boolean update = pass == Pass.STEP;
    boolean gemmsOnly = pass == Pass.GEMMS_ONLY;
    float mu = pass == Pass.GRADIENTS ? 0f : config.momentum();
    float lr = config.learningRate();
    Tensor dy = gradA;
    Tensor other = gradB;
    for (int l = spec.depth() - 1; l >= 0; l--) {
      GaussianLinear layer = net.layer(l);
      int in = layer.in();
      int out = layer.out();
      if (!gemmsOnly) {
        backend.activationBackward(spec.activation(l), (long) models * rows * out, dy, z[l], y[l], dy);
      }
      Tensor prev = l == 0 ? input : gemmsOnly ? z[l - 1] : y[l - 1];
      long prevStride = l == 0 ? 0 : (long) rows * in;
      boolean fused = update && config.l2() == 0 && l > 0;
      if (l > 0 && !fused) {
        // the data gradient first: it needs the weights before this step's update
        backend.gemm(false, false, rows, in, out, 1f, dy, (long) rows * out, layer.weight, (long) out * in,
            0f, other, (long) rows * in, models);
      }
      if (gemmsOnly) {
        backend.gemm(true, false, out, in, rows, 1f, dy, (long) rows * out, prev, prevStride,
            mu, layer.weightVelocity, (long) out * in, models);
        Tensor t = dy;
        dy = other;
        other = t;
        continue;
      }
      if (spec.biases()) {
        backend.columnSums(models, rows, out, dy, mu, layer.biasVelocity);
      }
      if (fused) {
        // dy_{l-1} = dz W (W before the step), v_W = dz^T y_{l-1} + mu v_W, w -= lr v_W: one op, so that the
        // backend can step each part of W while the data gradient's GEMM has it in cache
        backend.linearBackward(models, rows, in, out, dy, prev, prevStride, mu, layer.weightVelocity, layer.weight,
            -lr, other);
      } else if (update && config.l2() == 0) {
        // v_W = dz^T y_{l-1} + mu v_W, then w -= lr v_W, fused (the backend may update each panel in cache)
        backend.gemmThenAxpy(true, false, out, in, rows, 1f, dy, (long) rows * out, prev, prevStride,
            mu, layer.weightVelocity, (long) out * in, models, -lr, layer.weight);
      } else {
        backend.gemm(true, false, out, in, rows, 1f, dy, (long) rows * out, prev, prevStride,
            mu, layer.weightVelocity, (long) out * in, models);
        if (config.l2() > 0) {
          backend.axpy(layer.weight.size(), 2 * config.l2(), layer.weight, layer.weightVelocity);
        }
        if (update) {
          backend.axpy(layer.weight.size(), -lr, layer.weightVelocity, layer.weight);
        }
      }
      if (update && spec.biases()) {
        backend.axpy(layer.bias.size(), -lr, layer.biasVelocity, layer.bias);
      }
      Tensor t = dy;
      dy = other;
      other = t;
    }
  }

  private Stats summarize(int n) {
    float[] s = backend.download(statsSum);
    int c = objective.statsColumns();
    double[] loss = new double[models];
    double[] acc = new double[models];
    for (int k = 0; k < models; k++) {
      loss[k] = s[c * k] / n;
      acc[k] = c > 1 ? s[c * k + 1] / n : Double.NaN;
    }
    return new Stats(loss, acc);
  }

  @Override
  public void close() {
    GaussianLinear.closeAll(objective, input, gradA, gradB, stats, statsSum);
    GaussianLinear.closeAll(z);
    GaussianLinear.closeAll(y);
  }
}
