package org.nnstm.backend.cuda;

import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nnstm.experiment.MnistRegression;
import org.nnstm.experiment.PriorComparison;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Langevin;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/**
 * The layers above the op contract on the GPU: the trainer, Langevin dynamics and the prior experiment run
 * on CUDA and on the CPU from the same seeds and data. Initial weights are bit-identical (Philox); the
 * trajectories then differ only by float summation order, so after a few dozen steps they agree to a
 * tolerance of 1e-3 relative (an allowance for float32 rounding differences that grow over a few dozen
 * steps; to be confirmed on the first GPU run, see benchmarks/RESULTS.md).
 * Skips where no GPU is usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RequiresCuda.class)
class CudaEndToEndTest {
  private static final double RTOL = 1e-3;
  private static final double ATOL = 1e-4;
  private CudaBackend gpu;
  private Backend cpu;

  @BeforeAll
  void open() {
    gpu = CudaTestSupport.openOrSkip();
    cpu = Backends.cpu(1);
  }

  @AfterAll
  void close() {
    if (gpu != null) {
      gpu.close();
    }
    if (cpu != null) {
      cpu.close();
    }
  }

  /** n synthetic images of n0 pixels whose class shifts a third of the pixels: learnable in a few steps. */
  private static LabelledImages data(int n, int n0, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] images = new float[n * n0];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(classes);
      for (int j = 0; j < n0; j++) {
        images[i * n0 + j] = (float) (rng.nextDouble() + (j % classes == labels[i] ? 0.8 : 0.0));
      }
    }
    return new LabelledImages(images, labels);
  }

  @Test
  void tanhEnsembleTrainsTheSameOnBothBackends() {
    NetworkSpec spec = NetworkSpec.tanh(96, 64, 48, 10);
    List<ModelInit> models = List.of(new ModelInit(1.5, 0.05, 1), new ModelInit(2.0, 0.05, 2),
        new ModelInit(3.0, 0.1, 3));
    LabelledImages d = data(640, 96, 10, 7);
    EnsembleTrainer.Config cfg = EnsembleTrainer.Config.reference();
    float[][][] w = new float[2][][];
    double[][] loss = new double[2][];
    int b = 0;
    for (Backend be : new Backend[] {cpu, gpu}) {
      try (Ensemble net = new Ensemble(be, spec, models); EnsembleTrainer t = new EnsembleTrainer(net, cfg)) {
        t.trainEpoch(d.images(), d.labels(), LabelledImages.order(d.size(), true, 5, 1), null);
        loss[b] = t.evaluate(d.images(), d.labels(), d.size()).loss();
        w[b] = new float[][] {net.weights(0, 0), net.weights(1, 1), net.weights(2, 2), net.biases(2, 2)};
      }
      b++;
    }
    Tolerance.assertClose("loss after one epoch", loss[0], toFloat(loss[1]), ATOL, RTOL);
    for (int i = 0; i < w[0].length; i++) {
      Tolerance.assertClose("parameters " + i, toDouble(w[0][i]), w[1][i], ATOL, RTOL);
    }
  }

  @Test
  void langevinAndThePriorExperimentAgreeAcrossBackends() {
    int[] widths = {64, 32, 10};
    LabelledImages d = data(256, 64, 10, 3);
    float[] x = java.util.Arrays.copyOf(d.images(), 64);
    PriorComparison.Plan plan = new PriorComparison.Plan(widths, new double[] {1.2, 0.9}, x, 400, 11, 150, 40, 1,
        new EnsembleTrainer.Config(0.02f, 0f, 32), 0.3, 20, 0.2);
    List<PriorComparison.Result> r = new ArrayList<>();
    for (Backend be : new Backend[] {cpu, gpu}) {
      r.add(PriorComparison.run(be, plan, d, org.nnstm.run.Listener.none()));
    }
    for (int k = 0; k < 400; k++) {
      Tolerance.assertClose("prior outputs of network " + k, toDouble(r.get(0).prior()[k]), r.get(1).prior()[k],
          1e-5, 1e-5);
    }
    for (int k = 0; k < 40; k++) {
      Tolerance.assertClose("trained outputs " + k, toDouble(r.get(0).trained()[k]), r.get(1).trained()[k],
          ATOL, RTOL);
      Tolerance.assertClose("Langevin outputs " + k, toDouble(r.get(0).langevin()[k]), r.get(1).langevin()[k],
          ATOL, RTOL);
    }
    List<PriorComparison.Curve> a = r.get(0).radial().curves();
    List<PriorComparison.Curve> g = r.get(1).radial().curves();
    assertEquals(a.size(), g.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).jsDistance(), g.get(i).jsDistance(), 1e-3, a.get(i).ensemble() + " JS");
    }
  }

  @Test
  void bumpRegressionTrainsTheSameOnBothBackends() {
    LabelledImages d = data(320, 784, 10, 9);
    MnistRegression.Plan plan = new MnistRegression.Plan(new int[] {64}, 100, 0.2, new double[] {0.0, 0.5},
        MnistRegression.Init.GAUSSIAN, new double[] {8, 0}, 0.05f, 32, 1e-4f, 2, 3);
    List<MnistRegression.Result> r = new ArrayList<>();
    for (Backend be : new Backend[] {cpu, gpu}) {
      r.add(MnistRegression.run(be, plan, d, d, d, 2, org.nnstm.run.Listener.none()));
    }
    MnistRegression.Metrics a = r.get(0).history().get(2).validation();
    MnistRegression.Metrics g = r.get(1).history().get(2).validation();
    Tolerance.assertClose("val MSE", a.mse(), toFloat(g.mse()), 1e-9, RTOL);
    Tolerance.assertClose("val L2", a.l2(), toFloat(g.l2()), 1e-9, RTOL);
    for (int k = 0; k < 2; k++) {
      Tolerance.assertClose("test prediction, model " + k, toDouble(r.get(0).testPredictions()[k][0]),
          r.get(1).testPredictions()[k][0], 1e-6, RTOL);
    }
  }

  @Test
  void langevinNoiseIsBitIdenticalAtBetaZero() {
    int[] widths = {20, 12, 5};
    LabelledImages d = data(16, 20, 5, 1);
    List<float[]> w = new ArrayList<>();
    for (Backend be : new Backend[] {cpu, gpu}) {
      try (Ensemble net = new Ensemble(be, NetworkSpec.linear(widths), List.of(ModelInit.perLayer(new double[] {1, 2}, 4)));
           Langevin lv = new Langevin(net, new Langevin.Config(0.0, 0.5, 4, 0))) {
        lv.run(d.images(), d.labels(), 3, null);
        w.add(net.weights(0, 1));
      }
    }
    // beta = 0: W <- a W + c xi with bit-identical xi; a*W + c*xi in float may round differently (fma)
    Tolerance.assertClose("weights after 3 beta = 0 steps", toDouble(w.get(0)), w.get(1), 1e-6, 1e-6);
    assertArrayEquals(new int[] {12 * 5}, new int[] {w.get(1).length});
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
