package org.nnstm.meanfield;

import org.nnstm.tensor.Activation;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/** TwoInputMaps against closed forms (linear phi), MeanField's one-input maps, and a finer quadrature. */
class TwoInputMapsTest {
  @Test
  void linearActivationIsTheClosedFormAffineMap() {
    TwoInputMaps.Moments m = new TwoInputMaps.Moments(0.7, 1.3, -0.4);
    TwoInputMaps.Moments n = TwoInputMaps.next(Activation.IDENTITY, 1.5, 0.2, m);
    Tolerance.assertClose("q1", new double[] {1.5 * 0.7 + 0.2, 1.5 * 1.3 + 0.2, 1.5 * -0.4 + 0.2},
        new double[] {n.q1(), n.q2(), n.q12()}, 1e-14, 1e-13);
    TwoInputMaps.Moments f = TwoInputMaps.firstLayer(2.0, 0.1, m);
    Tolerance.assertClose("first", new double[] {1.5, 2.7, -0.7}, new double[] {f.q1(), f.q2(), f.q12()}, 1e-15,
        1e-14);
  }

  @Test
  void equalLengthsReduceToMeanFieldsMaps() {
    for (double vw : new double[] {0.8, 1.5, 3.0}) {
      double vb = 0.05;
      MeanFieldPoint p = MeanField.of(Activation.TANH, vw, vb);
      // at q*: the length map is a fixed point, and the correlation map fixes c*
      double c = p.phase().equals("ordered") ? 0.6 : p.cStar();
      TwoInputMaps.Moments m = new TwoInputMaps.Moments(p.qStar(), p.qStar(), c * p.qStar());
      TwoInputMaps.Moments n = TwoInputMaps.next(Activation.TANH, vw, vb, m);
      Tolerance.assertClose("q* " + vw, p.qStar(), n.q1(), 1e-13, 1e-10);
      Tolerance.assertClose("q* " + vw, p.qStar(), n.q2(), 1e-13, 1e-10);
      double expected = p.phase().equals("ordered")
          ? (vw * MeanField.correlation(Activation.TANH, p.qStar(), c, new GaussianExpectation(100), false)
              + vb) / p.qStar()
          : p.cStar();
      Tolerance.assertClose("C(c) " + vw, expected, n.c(), 1e-12, 1e-10);
    }
  }

  @Test
  void defaultRuleMatchesFinerQuadrature() {
    GaussianExpectation fine = new GaussianExpectation(160);
    SplittableRandom rng = new SplittableRandom(1);
    for (int t = 0; t < 10; t++) {
      double q1 = 0.01 + 5 * rng.nextDouble();
      double q2 = 0.01 + 5 * rng.nextDouble();
      double c = 2 * rng.nextDouble() - 1;
      TwoInputMaps.Moments m = new TwoInputMaps.Moments(q1, q2, c * Math.sqrt(q1 * q2));
      double vw = 0.5 + 3 * rng.nextDouble();
      TwoInputMaps.Moments a = TwoInputMaps.next(Activation.TANH, vw, 0.05, m);
      TwoInputMaps.Moments b = TwoInputMaps.next(Activation.TANH, vw, 0.05, m, fine);
      Tolerance.assertClose("case " + t, new double[] {b.q1(), b.q2(), b.q12()},
          new double[] {a.q1(), a.q2(), a.q12()}, 1e-13, 1e-11);
    }
    assertThrows(IllegalArgumentException.class,
        () -> TwoInputMaps.next(Activation.TANH, 1, 0.05, new TwoInputMaps.Moments(0, 1, 0)));
  }
}
