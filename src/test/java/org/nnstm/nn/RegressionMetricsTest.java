package org.nnstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nnstm.data.BumpTargets;

/** Metrics against values computed by hand on a 10-bin grid (one bin per class). */
class RegressionMetricsTest {
  @Test
  void handComputedValues() {
    // std 0.01 on 10 bins: each target is (numerically) one-hot at its class
    BumpTargets t = new BumpTargets(10, 0.01);
    RegressionMetrics m = new RegressionMetrics(t);
    float[] p = new float[20];
    // example 0, class 3: prediction peaks at bin 3 (bin hit, decoded 3)
    p[3] = 0.8f;
    p[5] = 0.1f;
    // example 1, class 6: prediction peaks at bin 2 (bin miss), nearest bump also 2 (decoded miss)
    p[10 + 2] = 0.9f;
    p[10 + 6] = 0.3f;
    m.add(p, new int[] {3, 6}, 2);
    double se0 = 0.2 * 0.2 + 0.1 * 0.1;
    double se1 = 0.9 * 0.9 + 0.7 * 0.7;
    assertEquals((se0 + se1) / 20, m.mse(), 1e-7);
    assertEquals(0.5, m.binAccuracy());
    assertEquals(0.5, m.decodedAccuracy());
    // KL with Keras clipping: sum_j clip(t) ln(clip(t)/clip(p)); t = 1 at the class, 1e-7 elsewhere
    double kl0 = Math.log(1 / 0.8f) + 8 * 1e-7 * Math.log(1e-7 / 1e-7) + 1e-7 * Math.log(1e-7 / 0.1f);
    double kl1 = Math.log(1 / 0.3f) + 1e-7 * Math.log(1e-7 / 0.9f);
    assertEquals((kl0 + kl1) / 2, m.kl(), 1e-6);
    assertEquals(2, m.examples());
  }

  @Test
  void decodingPicksTheNearestBumpNotTheArgmax() {
    BumpTargets t = new BumpTargets(100, 0.3);
    RegressionMetrics m = new RegressionMetrics(t);
    float[] a = t.target(4);
    float[] b = t.target(5);
    float[] p = new float[100];
    for (int j = 0; j < 100; j++) {
      p[j] = 0.55f * a[j] + 0.45f * b[j];
    }
    assertEquals(4, m.decode(p, 0));
  }
}
