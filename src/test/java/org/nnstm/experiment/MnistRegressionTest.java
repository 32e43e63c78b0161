package org.nnstm.experiment;

import org.nnstm.run.Listener;
import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

class MnistRegressionTest {
  /** Synthetic 784-pixel images: class c brightens pixel block c. */
  private static LabelledImages data(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] images = new float[n * 784];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(10);
      for (int j = 0; j < 784; j++) {
        images[i * 784 + j] = (float) (0.1 * rng.nextDouble() + (j / 78 == labels[i] ? 0.9 : 0.0));
      }
    }
    return new LabelledImages(images, labels);
  }

  private static MnistRegression.Plan plan(double[] g, double readoutVar, float lr, int epochs) {
    return new MnistRegression.Plan(new int[] {32}, 40, 0.3, g, MnistRegression.Init.GAUSSIAN,
        new double[] {8, readoutVar}, lr, 16, 1e-4f, epochs, 0);
  }

  @Test
  void predictionsArePairedWithTheTestImages() {
    LabelledImages train = data(400, 1);
    LabelledImages val = data(100, 2);
    LabelledImages test = data(3, 3);
    // test image 1 is all zeros: a bias-free network predicts exactly 0 for it, and only for it
    java.util.Arrays.fill(test.images(), 784, 2 * 784, 0f);
    try (Backend backend = Backends.cpu(1)) {
      MnistRegression.Result r = MnistRegression.run(backend, plan(new double[] {0.2, 0.0}, 0, 0.5f, 2), train, val,
          test, 3, Listener.none());
      assertArrayEquals(new int[] {0, 1, 2}, r.testIndex());
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(new float[40], r.testPredictions()[k][1], "model " + k + ": the zero test image");
        double norm = 0;
        for (float v : r.testPredictions()[k][0]) {
          norm += Math.abs(v);
        }
        assertTrue(norm > 0, "model " + k + ": a real test image has a real prediction");
      }
      assertEquals(3, r.history().size());
      double acc = r.history().get(2).validation().accDecoded()[0];
      assertTrue(acc > 0.9, "separable synthetic classes are learnt: decoded accuracy " + acc);
      assertEquals(0, r.divergedAt()[0]);
    }
  }

  @Test
  void aTanhHiddenLayerTrainsAndIsNotTheLinearNetwork() {
    LabelledImages train = data(400, 6);
    LabelledImages val = data(100, 7);
    MnistRegression.Plan linear = plan(new double[] {0.0}, 0, 0.5f, 2);
    MnistRegression.Plan tanh = new MnistRegression.Plan(linear.hidden(), linear.bins(), linear.targetStd(),
        linear.g(), linear.init(), linear.varW(), linear.lr(), linear.batch(), linear.l2(), linear.epochs(),
        linear.seed(), org.nnstm.tensor.Activation.TANH);
    try (Backend backend = Backends.cpu(1)) {
      MnistRegression.Result a = MnistRegression.run(backend, linear, train, val, val, 1,
          Listener.none());
      MnistRegression.Result b = MnistRegression.run(backend, tanh, train, val, val, 1,
          Listener.none());
      double acc = b.history().get(2).validation().accDecoded()[0];
      assertTrue(acc > 0.9, "tanh hidden layer learns separable synthetic classes: decoded accuracy " + acc);
      double mseA = a.history().get(2).train().mse()[0];
      double mseB = b.history().get(2).train().mse()[0];
      assertTrue(Math.abs(mseA - mseB) > 1e-3 * mseA, "tanh changes the model: MSE " + mseA + " vs " + mseB);
    }
  }

  @Test
  void theLeastSquaresReferenceFitsTheTrainingSet() {
    LabelledImages train = data(400, 8);
    LabelledImages val = data(100, 9);
    MnistRegression.Plan p = plan(new double[] {0.0}, 0, 0.5f, 2);
    MnistRegression.Reference ref = MnistRegression.reference(p, train, val);
    assertTrue(ref.valAccDecoded() > 0.95, "separable classes: " + ref);
    try (Backend backend = Backends.cpu(1)) {
      MnistRegression.Result r = MnistRegression.run(backend, p, train, val, val, 1, Listener.none());
      double mse = r.history().get(2).train().mse()[0];
      // the least-squares map has the least training MSE of all linear maps (up to its 1e-8 jitter)
      assertTrue(ref.trainMse() < mse, "reference " + ref.trainMse() + " below the trained " + mse);
    }
  }

  @Test
  void divergenceIsReportedPerModelAndTheOthersGoOn() {
    LabelledImages train = data(200, 4);
    LabelledImages val = data(50, 5);
    try (Backend backend = Backends.cpu(1)) {
      MnistRegression.Result r = MnistRegression.run(backend, plan(new double[] {0.0, 1e4}, 1.0, 0.05f, 2), train,
          val, val, 1, Listener.none());
      assertEquals(0, r.divergedAt()[0], "g = 0 trains");
      assertEquals(1, r.divergedAt()[1], "g = 1e4 diverges in the first epoch");
      MnistRegression.Metrics last = r.history().get(r.history().size() - 1).validation();
      assertTrue(Double.isNaN(last.mse()[1]) && Double.isNaN(last.accDecoded()[1]), "diverged: NaN, not numbers");
      assertTrue(Double.isFinite(last.mse()[0]));
    }
  }

  @Test
  void badPlansAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MnistRegression.Plan(new int[] {32}, 9, 0.1,
        new double[] {0.2}, MnistRegression.Init.GAUSSIAN, new double[] {1}, 0.01f, 32, 1e-4f, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MnistRegression.Plan(new int[] {32}, 784, 0,
        new double[] {0.2}, MnistRegression.Init.GAUSSIAN, new double[] {1}, 0.01f, 32, 1e-4f, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MnistRegression.Plan(new int[] {32}, 784, 0.1,
        new double[] {Double.NaN}, MnistRegression.Init.GAUSSIAN, new double[] {1}, 0.01f, 32, 1e-4f, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MnistRegression.Plan(new int[] {32}, 784, 0.1,
        new double[] {0.2}, MnistRegression.Init.GAUSSIAN, new double[] {1, 2, 3}, 0.01f, 32, 1e-4f, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MnistRegression.Plan(new int[] {32}, 784, 0.1,
        new double[] {0.2}, MnistRegression.Init.GAUSSIAN, new double[] {1}, 0.01f, 32, -1f, 1, 0));
  }
}
