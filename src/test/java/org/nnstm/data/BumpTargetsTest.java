package org.nnstm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BumpTargetsTest {
  @Test
  void bumpsSumToOnePeakAtTheirClassAndEndClassesAreHalfBumps() {
    BumpTargets t = new BumpTargets(784, 0.1);
    for (int y = 0; y < 10; y++) {
      float[] v = t.target(y);
      double sum = 0;
      for (float f : v) {
        sum += f;
      }
      assertEquals(1.0, sum, 1e-5, "class " + y + " sums to 1");
      assertEquals(y, t.position(t.peakBin(y)), 9.0 / 783 / 2 + 1e-12, "class " + y + " peaks at its grid point");
    }
    // an interior bump is the normalised Gaussian: value at the peak bin vs exp formula
    BumpTargets small = new BumpTargets(10, 0.5);
    double[] raw = new double[10];
    double s = 0;
    for (int j = 0; j < 10; j++) {
      raw[j] = Math.exp(-Math.pow(j - 4.0, 2) / (2 * 0.25));
      s += raw[j];
    }
    for (int j = 0; j < 10; j++) {
      assertEquals(raw[j] / s, small.target(4)[j], 1e-7, "bin " + j);
    }
    // half bumps: class 0's mass sits on one side only, its peak about twice an interior peak
    float[] zero = t.target(0);
    float[] five = t.target(5);
    double half = 0;
    for (int j = 0; j < 784; j++) {
      half += Math.exp(-Math.pow(t.position(j), 2) / (2 * 0.01));
    }
    assertEquals(1 / half, zero[0], 1e-7, "class 0: its half bump normalised over [0, 9]");
    // a full bump sums ~S = s sqrt(2 pi) / h = 21.8 grid values, the half one (S + 1)/2: peak ratio 2S/(S+1)
    double ratio = zero[t.peakBin(0)] / five[t.peakBin(5)];
    assertTrue(ratio > 1.85 && ratio < 1.95, "half bump peak ratio " + ratio);
    assertTrue(t.target(9)[783] > t.target(9)[782], "class 9 peaks at the last point");
  }

  @Test
  void fillWritesEachRowsTargetAndBadSettingsAreRefused() {
    BumpTargets t = new BumpTargets(12, 0.3);
    float[] out = new float[3 * 12];
    t.fill(new int[] {7, 2, 9, 4}, new int[] {3, 0, 1, 2}, 1, 3, out);
    float[][] expect = {t.target(7), t.target(2), t.target(9)};
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 12; j++) {
        assertEquals(expect[r][j], out[r * 12 + j], "row " + r);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new BumpTargets(9, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new BumpTargets(784, 0));
    assertThrows(IllegalArgumentException.class, () -> new BumpTargets(784, -1));
    assertThrows(IllegalArgumentException.class, () -> new BumpTargets(784, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new BumpTargets(BumpTargets.MAX_BINS + 1, 0.1));
    assertEquals(BumpTargets.MAX_BINS, new BumpTargets(BumpTargets.MAX_BINS, 0.1).bins());
    assertThrows(IllegalArgumentException.class, () -> t.target(10));
  }
}
