package org.nnstm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnstm.testing.Tolerance.FLOAT_ATOL;
import static org.nnstm.testing.Tolerance.FLOAT_RTOL;
import static org.nnstm.testing.Tolerance.FLOAT_SUM_ATOL;
import static org.nnstm.testing.Tolerance.FLOAT_SUM_RTOL;
import static org.nnstm.testing.Tolerance.assertClose;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nnstm.testing.ReferenceOps;

/**
 * The contract suite of {@link Backend}: every op against its double-precision twin in
 * {@link ReferenceOps}, plus ownership, bounds and lifecycle rules. Uses only the Backend interface;
 * each backend's test class subclasses it and supplies {@link #createBackend()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
  /** A fresh backend; the suite closes it. */
  protected abstract Backend createBackend();

  protected Backend be;

  @BeforeAll
  void openBackend() {
    be = createBackend();
  }

  @AfterAll
  void closeBackend() {
    if (be != null) {
      be.close();
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  private static float[] nans(int n) {
    float[] x = new float[n];
    Arrays.fill(x, Float.NaN);
    return x;
  }

  // ---------------------------------------------------------------- memory

  @Test
  void zerosAreZeroAlsoInMemoryFreedBefore() {
    // small blocks come back from the allocator's free lists, large ones as fresh pages: both must read as zeros
    for (int n : new int[] {7, 1000, 1 << 20}) {
      for (int round = 0; round < 3; round++) {
        try (Tensor t = be.zeros(n)) {
          float[] got = be.download(t);
          for (int i = 0; i < n; i++) {
            if (got[i] != 0f) {
              throw new AssertionError("zeros(" + n + ") round " + round + ": element " + i + " is " + got[i]);
            }
          }
          be.fill(t, 0, n, 3f);
        }
      }
    }
  }

  @Test
  void zerosUploadDownloadRoundTripWithOffsets() {
    Random rnd = new Random(1);
    try (Tensor t = be.zeros(3, 5)) {
      assertEquals(15, t.size());
      assertArrayEquals(new int[] {3, 5}, t.shape());
      assertArrayEquals(new float[15], be.download(t));
      float[] src = gaussian(rnd, 9);
      be.upload(src, 2, t, 4, 7);
      float[] back = new float[10];
      be.download(t, 4, back, 1, 7);
      for (int i = 0; i < 7; i++) {
        assertEquals(src[2 + i], back[1 + i]);
      }
      float[] all = be.download(t);
      for (int i = 0; i < 15; i++) {
        assertEquals(i >= 4 && i < 11 ? src[i - 2] : 0f, all[i], "element " + i);
      }
    }
    try (Tensor one = be.upload(new float[] {2.5f}, 1)) {
      assertArrayEquals(new float[] {2.5f}, be.download(one));
    }
  }

  @Test
  void copyAndFillWithOffsets() {
    Random rnd = new Random(2);
    float[] src = gaussian(rnd, 11);
    try (Tensor a = be.upload(src, 11); Tensor b = be.zeros(13)) {
      be.copy(a, 3, b, 5, 6);
      be.fill(b, 0, 2, -1.5f);
      float[] got = be.download(b);
      for (int i = 0; i < 13; i++) {
        float want = i < 2 ? -1.5f : (i >= 5 && i < 11 ? src[i - 2] : 0f);
        assertEquals(want, got[i], "element " + i);
      }
      be.copy(a, 0, a, 6, 5);
      float[] self = be.download(a);
      for (int i = 0; i < 5; i++) {
        assertEquals(src[i], self[6 + i]);
      }
    }
  }

  // ---------------------------------------------------------------- gemm

  private void checkGemm(Random rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                         int batch, long strideA, long strideB, long padC) {
    long strideC = (long) m * n + padC;
    int sizeA = (int) Math.max(1, (batch - 1) * strideA + (long) m * k);
    int sizeB = (int) Math.max(1, (batch - 1) * strideB + (long) k * n);
    int sizeC = (int) ((batch - 1) * strideC + (long) m * n + padC);
    float[] a = gaussian(rnd, sizeA);
    float[] b = gaussian(rnd, sizeB);
    float[] c = beta == 0 ? nans(sizeC) : gaussian(rnd, sizeC);
    if (beta == 0) {
      // elements between the blocks must keep their values; make them finite sentinels
      for (int p = 0; p < batch; p++) {
        for (long i = (long) p * strideC + (long) m * n; i < Math.min(sizeC, (p + 1L) * strideC); i++) {
          c[(int) i] = 7f;
        }
      }
    }
    double[] want = ReferenceOps.gemm(ta, tb, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch);
    try (Tensor da = be.upload(a, sizeA); Tensor db = be.upload(b, sizeB); Tensor dc = be.upload(c, sizeC)) {
      be.gemm(ta, tb, m, n, k, alpha, da, strideA, db, strideB, beta, dc, strideC, batch);
      assertClose(String.format("gemm tA=%s tB=%s m=%d n=%d k=%d beta=%s batch=%d sA=%d sB=%d",
              ta, tb, m, n, k, beta, batch, strideA, strideB),
          want, be.download(dc), FLOAT_SUM_ATOL, FLOAT_SUM_RTOL);
    }
  }

  @Test
  void gemmAllTransposesAndShapes() {
    Random rnd = new Random(3);
    int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {7, 4, 1}, {1, 9, 6}, {64, 10, 33}, {17, 1, 5}};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (int[] s : shapes) {
          int m = s[0];
          int n = s[1];
          int k = s[2];
          checkGemm(rnd, ta, tb, m, n, k, 1f, 0f, 1, 0, 0, 0);
          checkGemm(rnd, ta, tb, m, n, k, -0.75f, 0.5f, 1, 0, 0, 0);
          checkGemm(rnd, ta, tb, m, n, k, 1.25f, 0f, 3, (long) m * k, (long) k * n, 0);
          checkGemm(rnd, ta, tb, m, n, k, 1f, 1f, 3, (long) m * k + 2, (long) k * n + 1, 3);
        }
      }
    }
  }

  @Test
  void gemmWideShapes() {
    // C with 512 or more rows or columns: a backend may split it into panels (the CPU backend does); ragged sizes
    Random rnd = new Random(31);
    int[][] shapes = {{5, 300, 7}, {3, 784, 9}, {9, 1100, 2}, {600, 5, 3}, {530, 520, 4}};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (int[] s : shapes) {
          checkGemm(rnd, ta, tb, s[0], s[1], s[2], 1f, 0f, 2, 0, (long) s[2] * s[1], 0);
          checkGemm(rnd, ta, tb, s[0], s[1], s[2], 0.5f, 0.8f, 3, (long) s[0] * s[2] + 1, (long) s[2] * s[1], 2);
        }
      }
    }
  }

  @Test
  void linearBackwardIsTheDataGradientThenGemmThenAxpy() {
    // v and W exactly as gemmThenAxpy leaves them; dx = dz W (W before the step) to within the rounding of a sum of
    // `out` float products in any order: |dx - exact| <= out * 2^-23 * sum_o |dz W| (the classic gamma_n bound,
    // n u / (1 - n u) rounded up; exact = the double-precision sum)
    Random rnd = new Random(41);
    // {rows, in, out, broadcast x}: W split into 2 and 4 parts on the CPU (784, 600, 1600 outputs), not split
    // (out < in, or a single part), a broadcast x
    int[][] shapes = {{64, 784, 784, 0}, {9, 600, 600, 0}, {5, 300, 1600, 0}, {7, 784, 300, 0}, {3, 5, 2, 0},
        {6, 520, 1030, 1}};
    for (int[] s : shapes) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      boolean broadcast = s[3] == 1;
      int batch = 2;
      long strideX = broadcast ? 0 : (long) rows * in;
      float[] dz = gaussian(rnd, batch * rows * out);
      float[] x = gaussian(rnd, broadcast ? rows * in : batch * rows * in);
      float[] w = gaussian(rnd, batch * out * in);
      float[] v = gaussian(rnd, batch * out * in);
      try (Tensor tdz = be.upload(dz, dz.length); Tensor tx = be.upload(x, x.length);
           Tensor w1 = be.upload(w, w.length); Tensor v1 = be.upload(v, v.length);
           Tensor w2 = be.upload(w, w.length); Tensor v2 = be.upload(v, v.length);
           Tensor dx = be.zeros(batch, rows, in)) {
        be.gemmThenAxpy(true, false, out, in, rows, 1f, tdz, (long) rows * out, tx, strideX, 0.8f, v1,
            (long) out * in, batch, -0.005f, w1);
        be.linearBackward(batch, rows, in, out, tdz, tx, strideX, 0.8f, v2, w2, -0.005f, dx);
        String what = "linearBackward rows " + rows + " in " + in + " out " + out;
        assertArrayEquals(be.download(v1), be.download(v2), what + ": v");
        assertArrayEquals(be.download(w1), be.download(w2), what + ": w");
        float[] got = be.download(dx);
        double gamma = out * Math.ulp(1f) / 2 / (1 - out * Math.ulp(1f) / 2);
        for (int p = 0; p < batch; p++) {
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < in; c++) {
              double exact = 0;
              double abs = 0;
              for (int o = 0; o < out; o++) {
                double t = (double) dz[(p * rows + r) * out + o] * w[(p * out + o) * in + c];
                exact += t;
                abs += Math.abs(t);
              }
              double e = got[(p * rows + r) * in + c];
              assertEquals(exact, e, gamma * abs, what + ": dx[" + p + "," + r + "," + c + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void gemmThenAxpyEqualsTheTwoOps() {
    // fused or not, the result must be exactly gemm followed by axpy, on row and column panels alike
    Random rnd = new Random(32);
    int[][] shapes = {{3, 5, 2}, {784, 784, 9}, {300, 784, 5}, {600, 7, 3}};
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      int batch = 2;
      float[] a = gaussian(rnd, batch * m * k);
      float[] b = gaussian(rnd, k * n);
      float[] c = gaussian(rnd, batch * m * n);
      float[] w = gaussian(rnd, batch * m * n);
      try (Tensor da = be.upload(a, a.length); Tensor db = be.upload(b, b.length);
           Tensor c1 = be.upload(c, c.length); Tensor w1 = be.upload(w, w.length);
           Tensor c2 = be.upload(c, c.length); Tensor w2 = be.upload(w, w.length)) {
        be.gemm(true, false, m, n, k, 1f, da, (long) m * k, db, 0, 0.8f, c1, (long) m * n, batch);
        be.axpy((long) batch * m * n, -0.005f, c1, w1);
        be.gemmThenAxpy(true, false, m, n, k, 1f, da, (long) m * k, db, 0, 0.8f, c2, (long) m * n, batch,
            -0.005f, w2);
        String what = "gemmThenAxpy " + m + "x" + n + "x" + k;
        assertArrayEquals(be.download(c1), be.download(c2), what + ": C");
        assertArrayEquals(be.download(w1), be.download(w2), what + ": y");
      }
    }
    try (Tensor t = be.zeros(4)) {
      assertThrows(IllegalArgumentException.class,
          () -> be.gemmThenAxpy(false, false, 2, 2, 1, 1f, t, 0, t, 0, 0f, t, 4, 1, 1f, t));
    }
  }

  @Test
  void gemmStrideZeroBroadcasts() {
    Random rnd = new Random(4);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        checkGemm(rnd, ta, tb, 5, 3, 4, 1f, 0f, 4, 0, 12, 0);      // one A (an input batch) for all
        checkGemm(rnd, ta, tb, 5, 3, 4, 0.5f, 2f, 4, 20, 0, 1);    // one B for all
        checkGemm(rnd, ta, tb, 2, 7, 3, 1f, 0f, 2, 0, 0, 0);       // both shared
      }
    }
  }

  @Test
  void gemmBetaZeroIgnoresNaNInC() {
    float[] a = {1, 2, 3, 4};
    try (Tensor da = be.upload(a, 2, 2); Tensor dc = be.upload(nans(4), 2, 2)) {
      be.gemm(false, false, 2, 2, 2, 1f, da, 0, da, 0, 0f, dc, 4, 1);
      assertArrayEquals(new float[] {7, 10, 15, 22}, be.download(dc));
    }
  }

  @Test
  void gemmRejectsBadArguments() {
    try (Tensor a = be.zeros(2, 3); Tensor b = be.zeros(3, 4); Tensor c = be.zeros(2, 4)) {
      assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 2, 4, 3, 1, a, 6, b, 12, 0, c, 8, 2));
      assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 2, 4, 3, 1, a, 0, b, 0, 0, c, 0, 2));
      assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 3, 4, 3, 1, a, 0, b, 0, 0, c, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 0, 4, 3, 1, a, 0, b, 0, 0, c, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 2, 4, 3, 1, a, -1, b, 0, 0, c, 8, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> be.gemm(false, false, 2, 5, 3, 1, a, 0, b, 0, 0, c, 10, 1));
      assertTrue(e.getMessage().contains("15"), e.getMessage());
    }
  }

  @Test
  void axpyMatchesTwin() {
    Random rnd = new Random(5);
    for (int n : new int[] {1, 7, 1000}) {
      float[] x = gaussian(rnd, n + 2);
      float[] y = gaussian(rnd, n + 3);
      double[] want = ReferenceOps.axpy(n, -0.3, x, y);
      try (Tensor dx = be.upload(x, n + 2); Tensor dy = be.upload(y, n + 3)) {
        be.axpy(n, -0.3f, dx, dy);
        assertClose("axpy n=" + n, want, be.download(dy), FLOAT_ATOL, FLOAT_RTOL);
      }
    }
  }

  // ---------------------------------------------------------------- network ops

  @Test
  void biasActivationForwardMatchesTwin() {
    Random rnd = new Random(6);
    int[][] shapes = {{1, 1, 1}, {1, 5, 3}, {3, 7, 11}, {2, 64, 785}, {1, 2, 5000}};
    for (Activation phi : Activation.values()) {
      for (int[] s : shapes) {
        int batch = s[0];
        int rows = s[1];
        int cols = s[2];
        int n = batch * rows * cols;
        float[] z = gaussian(rnd, n);
        for (int i = 0; i < n; i += 13) {
          z[i] *= 10;  // saturated units too
        }
        float[] bias = gaussian(rnd, batch * cols);
        float[] zWant = ReferenceOps.addBias(batch, rows, cols, z, bias);
        double[] yWant = ReferenceOps.activation(phi, zWant);
        try (Tensor dz = be.upload(z, batch, rows, cols); Tensor db = be.upload(bias, batch, cols);
             Tensor dy = be.upload(nans(n), n)) {
          be.biasActivationForward(phi, batch, rows, cols, dz, db, dy);
          String what = phi + " " + Arrays.toString(s);
          assertClose(what + " z", ReferenceOps.toDouble(zWant), be.download(dz), FLOAT_ATOL, FLOAT_RTOL);
          assertClose(what + " y", yWant, be.download(dy), FLOAT_ATOL, FLOAT_RTOL);
        }
      }
    }
    try (Tensor z = be.zeros(4); Tensor b = be.zeros(2)) {
      assertThrows(IllegalArgumentException.class,
          () -> be.biasActivationForward(Activation.TANH, 1, 2, 2, z, b, z));
      assertThrows(IllegalArgumentException.class,
          () -> be.biasActivationForward(Activation.TANH, 1, 3, 2, z, b, z));
    }
  }

  @Test
  void activationBackwardMatchesTwinAndMayAlias() {
    Random rnd = new Random(7);
    for (Activation phi : Activation.values()) {
      for (int n : new int[] {1, 9, 5001}) {
        float[] dy = gaussian(rnd, n);
        float[] z = gaussian(rnd, n);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
          y[i] = (float) phi.value(z[i]);
        }
        double[] want = ReferenceOps.activationBackward(phi, n, dy, z);
        try (Tensor ddy = be.upload(dy, n); Tensor dzz = be.upload(z, n); Tensor dyy = be.upload(y, n);
             Tensor ddz = be.upload(nans(n), n)) {
          be.activationBackward(phi, n, ddy, dzz, dyy, ddz);
          assertClose(phi + " n=" + n, want, be.download(ddz), FLOAT_ATOL, FLOAT_RTOL);
          be.activationBackward(phi, n, ddy, dzz, dyy, ddy);
          assertClose(phi + " aliased n=" + n, want, be.download(ddy), FLOAT_ATOL, FLOAT_RTOL);
        }
      }
    }
  }

  @Test
  void columnSumsMatchTwin() {
    Random rnd = new Random(8);
    int[][] shapes = {{1, 1, 1}, {1, 64, 1}, {3, 7, 5}, {2, 64, 785}, {1, 3, 5000}};
    for (int[] s : shapes) {
      int batch = s[0];
      int rows = s[1];
      int cols = s[2];
      float[] dz = gaussian(rnd, batch * rows * cols);
      float[] db = gaussian(rnd, batch * cols);
      for (float beta : new float[] {0f, 0.7f}) {
        float[] dbIn = beta == 0 ? nans(batch * cols) : db;
        double[] want = ReferenceOps.columnSums(batch, rows, cols, dz, beta, dbIn);
        try (Tensor ddz = be.upload(dz, batch, rows, cols); Tensor ddb = be.upload(dbIn, batch, cols)) {
          be.columnSums(batch, rows, cols, ddz, beta, ddb);
          assertClose("columnSums " + Arrays.toString(s) + " beta " + beta, want, be.download(ddb),
              FLOAT_SUM_ATOL, FLOAT_SUM_RTOL);
        }
      }
    }
  }

  @Test
  void cubicReadoutSquaredErrorMatchesTwin() {
    Random rnd = new Random(10);
    int[][] shapes = {{1, 1, 1}, {1, 3, 10}, {3, 7, 11}, {4, 32, 784}, {2, 5, 5000}};
    for (int[] s : shapes) {
      int batch = s[0];
      int rows = s[1];
      int cols = s[2];
      float[] u = gaussian(rnd, batch * rows * cols);
      float[] g = new float[batch];
      for (int p = 0; p < batch; p++) {
        g[p] = p == 0 ? 0f : (float) (0.3 * p);  // g = 0 is the linear readout
      }
      float[] target = gaussian(rnd, rows * cols);
      double[][] ref = ReferenceOps.cubicReadoutSquaredError(batch, rows, cols, u, g, target, 0.125);
      try (Tensor du = be.upload(u, batch, rows, cols); Tensor dg = be.upload(g, batch);
           Tensor dt = be.upload(target, rows, cols); Tensor dp = be.upload(nans(u.length), u.length);
           Tensor dgrad = be.upload(nans(u.length), u.length); Tensor ds = be.upload(nans(batch), batch)) {
        be.cubicReadoutSquaredError(batch, rows, cols, du, dg, dt, 0.125f, dp, dgrad, ds);
        String what = "cubicReadoutSquaredError " + Arrays.toString(s);
        assertClose(what + " pred", ref[0], be.download(dp), FLOAT_ATOL, FLOAT_RTOL);
        assertClose(what + " gradU", ref[1], be.download(dgrad), FLOAT_ATOL, FLOAT_RTOL);
        assertClose(what + " stats", ref[2], be.download(ds), FLOAT_SUM_ATOL, FLOAT_SUM_RTOL);
        // gradU may alias u
        be.cubicReadoutSquaredError(batch, rows, cols, du, dg, dt, 0.125f, dp, du, ds);
        assertClose(what + " gradU in place", ref[1], be.download(du), FLOAT_ATOL, FLOAT_RTOL);
      }
    }
  }

  @Test
  void gaussianKernelLogSumsMatchesTwin() {
    Random rnd = new Random(12);
    // n, m, d: single sample and point, odd sizes, several tiles and chunks, d = 1, 2, 3, 7
    int[][] shapes = {{1, 1, 1}, {5, 3, 2}, {37, 11, 3}, {700, 129, 1}, {1500, 300, 2}, {260, 17, 7}};
    for (int[] s : shapes) {
      int n = s[0];
      int m = s[1];
      int d = s[2];
      float[] z = gaussian(rnd, n * d);
      float[] y = gaussian(rnd, m * d);
      for (int k = 0; k < d; k++) {
        y[k] = 60f; // point 0 is far from every sample: the log-sum-exp must keep it finite
      }
      float[] lw = new float[n];
      for (int i = 0; i < n; i++) {
        lw[i] = (float) (-Math.log(n) + 0.5 * rnd.nextGaussian()); // non-uniform weights
      }
      double[] ref = ReferenceOps.gaussianKernelLogSums(n, m, d, z, lw, y);
      try (Tensor dz = be.upload(z, n, d); Tensor dw = be.upload(lw, n); Tensor dy = be.upload(y, m, d);
           Tensor out = be.upload(nans(m), m)) {
        be.gaussianKernelLogSums(n, m, d, dz, dw, dy, out);
        float[] got = be.download(out);
        assertTrue(Float.isFinite(got[0]) && got[0] < -1000, "far point: finite and very negative, got " + got[0]);
        // the result is a log of a double sum rounded to float: absolute 1e-6 plus float rounding of values
        // up to |ln sum| ~ 1e4 (the far point)
        assertClose("gaussianKernelLogSums " + Arrays.toString(s), ref, got, FLOAT_SUM_ATOL, FLOAT_RTOL);
      }
    }
  }

  @Test
  void softmaxCrossEntropyMatchesTwin() {
    Random rnd = new Random(9);
    int[][] shapes = {{1, 1, 1}, {1, 1, 10}, {3, 7, 10}, {2, 64, 3}};
    for (int[] s : shapes) {
      int batch = s[0];
      int rows = s[1];
      int classes = s[2];
      float[] logits = gaussian(rnd, batch * rows * classes);
      for (int i = 0; i < logits.length; i += 5) {
        logits[i] *= 30;  // large logits: the max must be subtracted
      }
      float[] labels = new float[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = rnd.nextInt(classes);
      }
      double[] grad = new double[logits.length];
      double[] stats = ReferenceOps.softmaxCrossEntropy(batch, rows, classes, logits, labels, 0.25, grad);
      try (Tensor dl = be.upload(logits, batch, rows, classes); Tensor dlab = be.upload(labels, rows);
           Tensor dg = be.upload(nans(logits.length), logits.length);
           Tensor ds = be.upload(nans(2 * batch), batch, 2)) {
        be.softmaxCrossEntropy(batch, rows, classes, dl, dlab, 0.25f, dg, ds);
        String what = "softmaxCrossEntropy " + Arrays.toString(s);
        assertClose(what + " grad", grad, be.download(dg), FLOAT_ATOL, FLOAT_RTOL);
        assertClose(what + " stats", stats, be.download(ds), FLOAT_SUM_ATOL, FLOAT_SUM_RTOL);
      }
    }
  }

  @Test
  void sgdMomentumMatchesTwin() {
    Random rnd = new Random(10);
    for (int n : new int[] {1, 13, 9000}) {
      float[] w = gaussian(rnd, n + 1);
      float[] g = gaussian(rnd, n);
      float[] v = gaussian(rnd, n + 2);
      double[][] want = ReferenceOps.sgdMomentum(n, 0.05, 0.9, w, g, v);
      try (Tensor dw = be.upload(w, n + 1); Tensor dg = be.upload(g, n); Tensor dv = be.upload(v, n + 2)) {
        be.sgdMomentum(n, 0.05f, 0.9f, dw, dg, dv);
        assertClose("sgd w n=" + n, want[0], be.download(dw), FLOAT_ATOL, FLOAT_RTOL);
        assertClose("sgd v n=" + n, want[1], be.download(dv), FLOAT_ATOL, FLOAT_RTOL);
      }
    }
  }

  // ---------------------------------------------------------------- random numbers

  @Test
  void fillGaussianIsPhiloxBitForBit() {
    long[][] cases = {{0, 0, 0, 1}, {42, 7, 3, 10}, {0x123456789ABCDEFL, 0xFEDCBA9876543210L, 1, 9001}};
    for (long[] cs : cases) {
      long seed = cs[0];
      long stream = cs[1];
      int offset = (int) cs[2];
      int count = (int) cs[3];
      float std = 0.37f;
      try (Tensor t = be.upload(nans(offset + count + 2), offset + count + 2)) {
        be.fillGaussian(t, offset, count, std, seed, stream);
        float[] got = be.download(t);
        for (int i = 0; i < offset; i++) {
          assertTrue(Float.isNaN(got[i]), "element before the region was written");
        }
        for (int i = 0; i < count; i++) {
          float want = (float) (std * Philox.gaussian(seed, stream, i));
          assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[offset + i]),
              "seed " + seed + " stream " + stream + " element " + i);
        }
        assertTrue(Float.isNaN(got[offset + count]), "element after the region was written");
      }
    }
  }

  // ---------------------------------------------------------------- ownership, bounds, lifecycle

  @Test
  void foreignAndClosedTensorsAreRejected() {
    Backend other = createBackend();
    try (Tensor mine = be.zeros(4); Tensor theirs = other.zeros(4)) {
      assertThrows(IllegalArgumentException.class, () -> be.axpy(4, 1f, theirs, mine));
      assertThrows(IllegalArgumentException.class, () -> be.copy(mine, 0, theirs, 0, 4));
      assertThrows(IllegalArgumentException.class, () -> be.download(theirs));
      Tensor closed = be.zeros(4);
      closed.close();
      assertTrue(closed.isClosed());
      assertFalse(mine.isClosed());
      assertThrows(IllegalArgumentException.class, () -> be.fill(closed, 0, 4, 1f));
      assertThrows(IllegalArgumentException.class, () -> be.axpy(4, 1f, closed, mine));
      assertThrows(IllegalArgumentException.class, () -> be.sgdMomentum(4, 0.1f, 0.9f, mine, closed, mine));
      assertThrows(IllegalArgumentException.class, () -> be.fillGaussian(closed, 0, 4, 1f, 1, 1));
    } finally {
      other.close();
    }
  }

  @Test
  void outOfBoundsExtentsAreRejected() {
    try (Tensor t = be.zeros(5); Tensor u = be.zeros(5)) {
      assertThrows(IllegalArgumentException.class, () -> be.fill(t, 3, 3, 0f));
      assertThrows(IllegalArgumentException.class, () -> be.fill(t, -1, 2, 0f));
      assertThrows(IllegalArgumentException.class, () -> be.copy(t, 0, u, 1, 5));
      assertThrows(IllegalArgumentException.class, () -> be.upload(new float[3], 0, t, 3, 3));
      assertThrows(IllegalArgumentException.class, () -> be.upload(new float[3], 1, t, 0, 3));
      assertThrows(IllegalArgumentException.class, () -> be.download(t, 4, new float[5], 0, 2));
      assertThrows(IllegalArgumentException.class, () -> be.axpy(6, 1f, t, u));
      assertThrows(IllegalArgumentException.class, () -> be.fillGaussian(t, 1, 5, 1f, 1, 1));
      assertThrows(IllegalArgumentException.class, () -> be.activationBackward(Activation.TANH, 6, t, u, u, t));
      assertThrows(IllegalArgumentException.class, () -> be.sgdMomentum(6, 0.1f, 0.9f, t, u, u));
      assertThrows(IllegalArgumentException.class, () -> be.columnSums(1, 2, 3, t, 0f, u));
      assertThrows(IllegalArgumentException.class, () -> be.upload(new float[4], 5));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.fill(t, 4, 2, 0f));
      assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
    }
  }

  @Test
  void everyBackendChecksItsArgumentsInTheSharedLayer() {
    // the uniform rules below hold because every backend extends CheckedBackend (where they are written once)
    assertTrue(be instanceof CheckedBackend, be.getClass().getName());
  }

  @Test
  void copyRejectsEveryOverlapOfOneTensorIncludingASelfCopy() {
    try (Tensor t = be.upload(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8)) {
      IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> be.copy(t, 2, t, 2, 3));
      assertTrue(same.getMessage().contains("copy") && same.getMessage().contains("overlap"), same.getMessage());
      IllegalArgumentException ahead = assertThrows(IllegalArgumentException.class, () -> be.copy(t, 0, t, 3, 4));
      assertTrue(ahead.getMessage().contains("[0, +4)") && ahead.getMessage().contains("[3, +4)"),
          ahead.getMessage());
      assertThrows(IllegalArgumentException.class, () -> be.copy(t, 4, t, 1, 4));
      be.copy(t, 0, t, 4, 4);  // adjacent regions do not overlap
      be.copy(t, 3, t, 3, 0);  // an empty region overlaps nothing
      assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, be.download(t));
    }
  }

  @Test
  void aliasingRulesAreEnforced() {
    try (Tensor a = be.zeros(4); Tensor b = be.zeros(4); Tensor c = be.zeros(4); Tensor bias = be.zeros(2);
         Tensor u = be.zeros(4)) {
      IllegalArgumentException dzz = assertThrows(IllegalArgumentException.class,
          () -> be.activationBackward(Activation.TANH, 4, a, b, c, b));
      assertTrue(dzz.getMessage().contains("dz may not alias z"), dzz.getMessage());
      IllegalArgumentException dzy = assertThrows(IllegalArgumentException.class,
          () -> be.activationBackward(Activation.TANH, 4, a, b, c, c));
      assertTrue(dzy.getMessage().contains("dz may not alias y"), dzy.getMessage());
      be.activationBackward(Activation.TANH, 4, a, b, c, a);  // dz may alias dy
      IllegalArgumentException yz = assertThrows(IllegalArgumentException.class,
          () -> be.biasActivationForward(Activation.TANH, 1, 2, 2, a, bias, a));
      assertTrue(yz.getMessage().contains("y may not alias z"), yz.getMessage());
      IllegalArgumentException yc = assertThrows(IllegalArgumentException.class,
          () -> be.gemmThenAxpy(false, false, 2, 2, 1, 1f, a, 0, b, 0, 0f, c, 4, 1, 1f, c));
      assertTrue(yc.getMessage().contains("y may not alias c"), yc.getMessage());
      IllegalArgumentException sparse = assertThrows(IllegalArgumentException.class,
          () -> be.gemmThenAxpy(false, false, 1, 2, 1, 1f, a, 0, b, 0, 0f, c, 3, 1, 1f, a));
      assertTrue(sparse.getMessage().contains("strideC 3"), sparse.getMessage());
      IllegalArgumentException dxv = assertThrows(IllegalArgumentException.class,
          () -> be.linearBackward(1, 1, 2, 2, a, b, 0, 0.5f, c, u, -1f, c));
      assertTrue(dxv.getMessage().contains("linearBackward: dx may not alias v"), dxv.getMessage());
      IllegalArgumentException wdz = assertThrows(IllegalArgumentException.class,
          () -> be.linearBackward(1, 1, 2, 2, a, b, 0, 0.5f, c, a, -1f, u));
      assertTrue(wdz.getMessage().contains("linearBackward: w may not alias dz"), wdz.getMessage());
      IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
          () -> be.linearBackward(1, 1, 2, 3, a, b, 0, 0.5f, c, u, -1f, bias));
      assertTrue(small.getMessage().contains("linearBackward: v: offset 0 + count 6"), small.getMessage());
    }
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    try (Tensor t = be.zeros(4); Tensor bias = be.zeros(2); Tensor u = be.zeros(4)) {
      assertMessage("upload: src is null", () -> be.upload(null, 0, t, 0, 1));
      assertMessage("upload: src is null", () -> be.upload((float[]) null, 4));
      assertMessage("download: dst is null", () -> be.download(t, 0, null, 0, 1));
      assertMessage("download: src is null", () -> be.download(null));
      assertMessage("fill: t is null", () -> be.fill(null, 0, 1, 0f));
      assertMessage("copy: dst is null", () -> be.copy(t, 0, null, 0, 1));
      assertMessage("gemm: b is null", () -> be.gemm(false, false, 2, 2, 1, 1f, t, 0, null, 0, 0f, u, 4, 1));
      assertMessage("axpy: x is null", () -> be.axpy(4, 1f, null, t));
      assertMessage("biasActivationForward: phi is null",
          () -> be.biasActivationForward(null, 1, 2, 2, t, bias, u));
      assertMessage("activationBackward: phi is null", () -> be.activationBackward(null, 4, t, t, u, t));
      assertMessage("activationBackward: z is null",
          () -> be.activationBackward(Activation.TANH, 4, t, null, u, t));
      assertMessage("sgdMomentum: v is null", () -> be.sgdMomentum(4, 0.1f, 0.9f, t, u, null));
      assertMessage("fillGaussian: t is null", () -> be.fillGaussian(null, 0, 1, 1f, 1, 1));
      assertMessage("zeros: shape is null", () -> be.zeros((int[]) null));
    }
  }

  @Test
  void messagesNameTheOffendingValues() {
    Backend other = createBackend();
    try (Tensor t = be.zeros(5); Tensor u = be.zeros(5); Tensor theirs = other.zeros(5)) {
      IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
          () -> be.axpy(5, 1f, t, theirs));
      assertTrue(foreign.getMessage().startsWith("axpy: y belongs to"), foreign.getMessage());
      assertMessage("columnSums: rows must be >= 1, got 0", () -> be.columnSums(1, 0, 5, t, 0f, u));
      assertMessage("gemm: k must be >= 1, got -2", () -> be.gemm(false, false, 1, 1, -2, 1f, t, 0, u, 0, 0f, u, 1, 1));
      assertMessage("gemm: strideC is 0 with batch 2", () -> be.gemm(false, false, 1, 1, 1, 1f, t, 1, u, 1, 0f, t, 0, 2));
      assertMessage("gemm: strides must be >= 0, got strideA 0, strideB -1, strideC 1",
          () -> be.gemm(false, false, 1, 1, 1, 1f, t, 0, u, -1, 0f, t, 1, 1));
      assertMessage("gemm: a (2x2): batch 2 with stride 2 needs 6 elements, the tensor has 5",
          () -> be.gemm(false, false, 2, 1, 2, 1f, t, 2, u, 0, 0f, u, 2, 2));
      assertMessage("fill: t: offset 4 + count 2 does not fit a tensor of 5 elements", () -> be.fill(t, 4, 2, 0f));
      assertMessage("fillGaussian: t: offset -1 + count 2 does not fit a tensor of 5 elements",
          () -> be.fillGaussian(t, -1, 2, 1f, 1, 1));
      assertMessage("upload: src: offset 2 + count 3 does not fit an array of 4 elements",
          () -> be.upload(new float[4], 2, t, 0, 3));
      assertMessage("softmaxCrossEntropy: stats: offset 0 + count 6 does not fit a tensor of 5 elements",
          () -> be.softmaxCrossEntropy(3, 1, 1, t, u, 1f, u, t));
    } finally {
      other.close();
    }
  }

  @Test
  void emptyRegionsAreCheckedThenSkipped() {
    try (Tensor t = be.upload(new float[] {1, 2, 3}, 3); Tensor u = be.zeros(3)) {
      be.fill(t, 3, 0, 9f);
      be.fillGaussian(t, 0, 0, 1f, 1, 1);
      be.axpy(0, 1f, t, u);
      be.sgdMomentum(0, 0.1f, 0.9f, t, u, u);
      be.activationBackward(Activation.TANH, 0, t, u, u, t);
      be.upload(new float[0], 0, t, 3, 0);
      be.download(t, 3, new float[0], 0, 0);
      assertArrayEquals(new float[] {1, 2, 3}, be.download(t));
      assertThrows(IllegalArgumentException.class, () -> be.fill(t, 4, 0, 9f));
      assertThrows(IllegalArgumentException.class, () -> be.axpy(-1, 1f, t, u));
    }
  }

  @Test
  void aClosedBackendRefusesEveryOp() {
    Backend other = createBackend();
    Tensor t = other.zeros(4);
    other.close();
    assertThrows(IllegalStateException.class, () -> other.zeros(2));
    assertThrows(IllegalStateException.class, () -> other.fill(t, 0, 4, 1f));
    assertThrows(IllegalStateException.class, () -> other.download(t, 0, new float[4], 0, 4));
    assertThrows(IllegalStateException.class, () -> other.axpy(4, 1f, t, t));
    assertThrows(IllegalStateException.class, () -> other.gemm(false, false, 2, 2, 1, 1f, t, 0, t, 0, 0f, t, 4, 1));
    assertThrows(IllegalStateException.class, other::synchronize);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fillGaussian(t, 0, 4, 1f, 1, 1));
    assertTrue(e.getMessage().contains(other.name()) && e.getMessage().contains("closed"), e.getMessage());
    t.close();
    other.close();
  }

  private static void assertMessage(String message, org.junit.jupiter.api.function.Executable op) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op);
    assertEquals(message, e.getMessage());
  }

  @Test
  void closingTwiceIsHarmless() {
    Tensor t = be.zeros(3);
    t.close();
    t.close();
    assertTrue(t.isClosed());
    Backend other = createBackend();
    assertFalse(other.name().isEmpty());
    assertTrue(other.kind().equals("cpu") || other.kind().equals("cuda"), other.kind());
    other.synchronize();
    other.close();
    other.close();
  }
}
