package org.nnstm.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The display-only thinning and jitter of dense line series. */
class PlotsDisplayTest {
  @Test
  void denseSeriesAreThinnedKeepingBothEndsAndJitteredBelowAPixel() {
    int n = 10001;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 4.0 * i / (n - 1);
      y[i] = i;
    }
    double[][] d = Plots.forDisplay(x, y);
    assertTrue(d[0].length <= Plots.MAX_DRAWN + 1, "at most MAX_DRAWN points: " + d[0].length);
    assertEquals(0.0, d[0][0]);
    assertEquals(4.0, d[0][d[0].length - 1]);
    assertEquals(n - 1, d[1][d[1].length - 1]);
    boolean moved = false;
    for (int j = 0; j < d[0].length; j++) {
      double original = x[(int) d[1][j]];
      assertTrue(Math.abs(d[0][j] - original) < 1e-4, "moved by less than 1e-4 at " + j);
      moved |= d[0][j] != original;
      if (j > 0) {
        assertTrue(d[0][j] > d[0][j - 1], "x stays increasing at " + j);
      }
    }
    // thinned by 6, the last gap is shorter: XChart does not see equal spacing, nothing needs moving
    assertTrue(!moved, "an unevenly thinned series is drawn at its own x values");
    double[] g = new double[784];
    for (int i = 0; i < 784; i++) {
      g[i] = 9.0 * i / 783;
    }
    double[][] e = Plots.forDisplay(g, g);
    assertEquals(784, e[0].length);
    int nudged = 0;
    for (int j = 0; j < 784; j++) {
      assertTrue(Math.abs(e[0][j] - g[j]) < 1e-4, "moved by less than 1e-4 at " + j);
      nudged += e[0][j] != g[j] ? 1 : 0;
      assertEquals(g[j], e[1][j], "y untouched");
    }
    assertTrue(nudged > 300, "equally spaced x values are nudged (XChart's tick rule): " + nudged);
  }

  @Test
  void shortOrUnevenSeriesAreDrawnAsGiven() {
    double[] x = {0, 1, 2, 3};
    double[] y = {1, 2, 3, 4};
    double[][] d = Plots.forDisplay(x, y);
    assertEquals(4, d[0].length);
    for (int i = 0; i < 4; i++) {
      assertEquals(x[i], d[0][i]);
      assertEquals(y[i], d[1][i]);
    }
  }
}
