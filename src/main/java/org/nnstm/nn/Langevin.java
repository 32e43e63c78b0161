package org.nnstm.nn;

import org.nnstm.data.LabelledImages;
import java.util.function.IntConsumer;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * Langevin sampling of the weights of every model of a bias-free {@link Ensemble} from the tempered posterior
 *
 * <pre>
 *   p_beta(W | D) ~ exp(-beta * sum_{i in D} loss_i(W)) * prod_l N(W_l | 0, s_l^2 I),   s_l^2 = sigma_l^2 / n_{l-1},
 * </pre>
 *
 * so beta = 0 is the Gaussian prior itself and beta -> infinity concentrates on the loss minima (loss: the
 * trainer's softmax cross-entropy, nats per example). Dynamics: Langevin preconditioned by the prior
 * covariance, dW = -(1/2) s^2 grad U dt + s dB with U = beta L - ln prior, integrated over a step h by
 * solving its Ornstein-Uhlenbeck (prior) part exactly and the data drift to first order:
 *
 * <pre>
 *   W &lt;- a W + s sqrt(1 - a^2) xi - (1 - a) s^2 beta N g,     a = exp(-h / 2),  xi ~ N(0, I),
 * </pre>
 *
 * where g is the mean gradient over a mini-batch, so N g estimates the gradient of the full sum over the N
 * training examples (stochastic-gradient Langevin, Welling and Teh 2011). With beta = 0 each step maps the
 * prior exactly onto itself for any h (no discretisation bias), and any starting point relaxes to it as
 * a^steps. Noise of model k, layer l, step t is Philox stream {@code NOISE_STREAM + t * L + l} under the
 * model's seed, so runs are deterministic and independent of how models are grouped into passes.
 */
public final class Langevin implements AutoCloseable {
  /** First Philox stream of the noise (initial weights use streams 0 .. 2L - 1). */
  public static final long NOISE_STREAM = 1L << 40;
  /** Steps between two checks that the weights are still finite (and after the last step). */
  public static final int FINITE_CHECK_EVERY = 16;

  /** Inverse temperature beta >= 0, step h > 0, mini-batch size, and the seed of the mini-batch order. */
  public record Config(double beta, double step, int batchSize, long orderSeed) {
    public Config {
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("Langevin inverse temperature beta must be finite and >= 0, got " + beta);
      }
      if (!(step > 0) || Double.isInfinite(step)) {
        throw new IllegalArgumentException("Langevin step h must be finite and > 0, got " + step);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("Langevin batch size must be >= 1, got " + batchSize);
      }
    }
  }

  private final Ensemble net;
  private final Backend backend;
  private final Config config;
  private final EnsembleTrainer trainer;
  /** One layer's weights of all models: the new weights are built here, then copied over. */
  private final Tensor scratch;
  /** Per-model drift coefficients of the current layer, (K, 1). */
  private final Tensor driftScale;
  private long stepsDone;

  /** Works on {@code net}'s parameters in place; allocates its own trainer (gradients) and one scratch buffer. */
  public Langevin(Ensemble net, Config config) {
    if (net.spec().biases()) {
      throw new IllegalArgumentException("Langevin sampling is defined for networks without biases, got "
          + net.spec());
    }
    this.net = net;
    this.backend = net.backend();
    this.config = config;
    long largest = 0;
    for (int l = 0; l < net.spec().depth(); l++) {
      largest = Math.max(largest, net.layer(l).weight.size());
    }
    // lr is never used: gradients() does not update
    this.trainer = new EnsembleTrainer(net, new EnsembleTrainer.Config(1f, 0f, config.batchSize()));
    Tensor sc = null;
    try {
      if (largest > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Langevin: a layer of " + largest + " weights is too large for one pass;"
            + " use fewer models per pass");
      }
      sc = backend.zeros((int) largest);
      this.driftScale = backend.zeros(net.size(), 1);
    } catch (RuntimeException e) {
      GaussianLinear.closeAll(trainer, sc);
      throw e;
    }
    this.scratch = sc;
  }

  /** Steps taken so far (the noise counter). */
  public long stepsDone() {
    return stepsDone;
  }

  /**
   * Takes {@code steps} steps on the training set (images n x n_0, labels); mini-batches follow
   * {@link LabelledImages#order} shuffles, epoch after epoch. Modifies the ensemble's weights. Every
   * {@value #FINITE_CHECK_EVERY} steps and after the last, the weights are checked to be finite: a step h
   * too large for beta (the drift (1 - a) s^2 beta N g overshoots) makes them grow without bound, and
   * that ends the run with an {@link IllegalArgumentException} naming beta, h and the step.
   *
   * @param afterStep called with the number of steps done in this call (may be null)
   */
  public void run(float[] images, int[] labels, int steps, IntConsumer afterStep) {
    if (steps < 0) {
      throw new IllegalArgumentException("Langevin steps must be >= 0, got " + steps);
    }
    int n = labels.length;
    if (n < 1) {
      throw new IllegalArgumentException("Langevin needs at least one training example");
    }
    int batch = Math.min(config.batchSize(), n);
    int perEpoch = n / batch;
    int[] order = null;
    long epochOfOrder = -1;
    for (int s = 0; s < steps; s++) {
      long t = stepsDone;
      long epoch = t / perEpoch;
      if (epoch != epochOfOrder) {
        order = LabelledImages.order(n, true, config.orderSeed(), (int) epoch);
        epochOfOrder = epoch;
      }
      if (config.beta() > 0) {
        trainer.gradients(images, labels, order, (int) (t % perEpoch) * batch, batch);
      }
      update(t, n);
      stepsDone++;
      if ((s + 1) % FINITE_CHECK_EVERY == 0 || s + 1 == steps) {
        checkFinite(s + 1, steps);
      }
      if (afterStep != null) {
        afterStep.accept(s + 1);
      }
    }
  }

  /** Throws when a weight of any model is NaN or infinite (divergence of the dynamics). */
  private void checkFinite(int step, int steps) {
    for (int l = 0; l < net.spec().depth(); l++) {
      float[] w = backend.download(net.layer(l).weight);
      for (float v : w) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("Langevin diverged: step h = " + config.step() + " is unstable at beta = "
              + config.beta() + " (weights of layer " + (l + 1) + " non-finite by step " + step + " of " + steps
              + "); use a smaller step or beta");
        }
      }
    }
  }

  private void update(long t, int n) {
    double a = Math.exp(-config.step() / 2);
    int depth = net.spec().depth();
    int models = net.size();
    for (int l = 0; l < depth; l++) {
      GaussianLinear layer = net.layer(l);
      int size = layer.out() * layer.in();
      for (int k = 0; k < models; k++) {
        ModelInit m = net.models().get(k);
        double s2 = m.varW(l) / layer.in();
        backend.fillGaussian(scratch, (long) k * size, size, (float) Math.sqrt(s2 * (1 - a * a)), m.seed(),
            NOISE_STREAM + t * depth + l);
      }
      if (config.beta() > 0) {
        // scratch_k -= (1 - a) s_k^2 beta N g_k: a batched 1 x size GEMM with k = 1 scales each model's slice
        float[] drift = new float[models];
        for (int k = 0; k < models; k++) {
          drift[k] = (float) (-(1 - a) * net.models().get(k).varW(l) / layer.in() * config.beta() * n);
        }
        backend.upload(drift, 0, driftScale, 0, models);
        backend.gemm(false, false, 1, size, 1, 1f, driftScale, 1, layer.weightVelocity, size, 1f, scratch,
            size, models);
      }
      backend.axpy((long) models * size, (float) a, layer.weight, scratch);
      backend.copy(scratch, 0, layer.weight, 0, (long) models * size);
    }
  }

  @Override
  public void close() {
    GaussianLinear.closeAll(trainer, scratch, driftScale);
  }
}
