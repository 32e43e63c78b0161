package org.nnstm.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnstm.testing.Tolerance.FLOAT_ATOL;
import static org.nnstm.testing.Tolerance.FLOAT_RTOL;
import static org.nnstm.testing.Tolerance.FLOAT_SUM_ATOL;
import static org.nnstm.testing.Tolerance.FLOAT_SUM_RTOL;
import static org.nnstm.testing.Tolerance.assertClose;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Philox;
import org.nnstm.tensor.Tensor;

/**
 * Every op on the CUDA backend against the CPU backend on the same seeded random inputs, including the
 * training shapes (batch of K = 41 models, 64 rows) and odd sizes. Tolerances: GEMM and reductions
 * FLOAT_SUM (different summation order); activations FLOAT (tanhf and erff are within 2 ulp, the CPU
 * float tanh and erf within 4.5e-7); fill and the bias add
 * exact; fillGaussian bit-identical to {@link Philox}. Skips where no GPU is usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RequiresCuda.class)
class CudaVsCpuTest {
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

  private static float[] gaussian(Random rnd, long n) {
    float[] x = new float[(int) n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /** Runs gemm on both backends from the same inputs and compares C. */
  private void checkGemm(Random rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                         int batch, boolean broadcastA, boolean broadcastB) {
    long sa = broadcastA ? 0 : (long) m * k;
    long sb = broadcastB ? 0 : (long) k * n;
    long sc = (long) m * n;
    float[] a = gaussian(rnd, broadcastA ? (long) m * k : sa * batch);
    float[] b = gaussian(rnd, broadcastB ? (long) k * n : sb * batch);
    float[] c = gaussian(rnd, sc * batch);
    if (beta == 0f) {
      java.util.Arrays.fill(c, Float.NaN);
    }
    float[][] out = new float[2][];
    Backend[] both = {cpu, gpu};
    for (int i = 0; i < 2; i++) {
      Backend be = both[i];
      try (Tensor ta0 = be.upload(a, a.length); Tensor tb0 = be.upload(b, b.length); Tensor tc = be.upload(c, c.length)) {
        be.gemm(ta, tb, m, n, k, alpha, ta0, sa, tb0, sb, beta, tc, sc, batch);
        out[i] = be.download(tc);
      }
    }
    String what = "gemm ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + " batch=" + batch;
    // scale the absolute tolerance by sqrt(k): a sum of k unit-variance products
    assertClose(what, toDouble(out[0]), out[1], FLOAT_SUM_ATOL * Math.sqrt(k) * 10, FLOAT_SUM_RTOL);
  }

  @Test
  void gemmMatchesCpuForAllTransposesAndShapes() {
    Random rnd = new Random(11);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        checkGemm(rnd, ta, tb, 1, 1, 1, 1f, 0f, 1, false, false);
        checkGemm(rnd, ta, tb, 7, 5, 3, 0.5f, 0.25f, 3, false, false);
        checkGemm(rnd, ta, tb, 64, 97, 131, 1f, 0f, 41, true, false);    // K = 41 models, shared input (64x64 kernel)
        checkGemm(rnd, ta, tb, 33, 9, 64, 1f, 1f, 41, false, true);      // shared B, accumulate
        checkGemm(rnd, ta, tb, 130, 129, 67, -1f, 0f, 70, false, false); // 128x128 kernel on a 132-SM GPU
        checkGemm(rnd, ta, tb, 513, 515, 9, 1f, 0.5f, 22, false, false); // 128x128 kernel on a 132-SM GPU
      }
    }
  }

  @Test
  void trainingShapeGemmMatchesCpu() {
    Random rnd = new Random(12);
    checkGemm(rnd, false, true, 64, 784, 784, 1f, 0f, 41, true, false);  // forward, K = 41
    checkGemm(rnd, true, false, 784, 784, 64, 1f, 0f, 41, false, false); // weight gradient
  }

  @Test
  void biasActivationForwardMatchesCpu() {
    Random rnd = new Random(13);
    int[][] shapes = {{1, 1, 1}, {41, 64, 33}, {3, 5, 784}};
    for (Activation phi : Activation.values()) {
      for (int[] s : shapes) {
        int batch = s[0];
        int rows = s[1];
        int cols = s[2];
        float[] z = gaussian(rnd, (long) batch * rows * cols);
        for (int i = 0; i < z.length; i++) {
          z[i] *= 3f;
        }
        float[] bias = gaussian(rnd, (long) batch * cols);
        float[][] zs = new float[2][];
        float[][] ys = new float[2][];
        Backend[] both = {cpu, gpu};
        for (int i = 0; i < 2; i++) {
          Backend be = both[i];
          try (Tensor tz = be.upload(z, z.length); Tensor tb = be.upload(bias, bias.length);
               Tensor ty = be.zeros(z.length)) {
            be.biasActivationForward(phi, batch, rows, cols, tz, tb, ty);
            zs[i] = be.download(tz);
            ys[i] = be.download(ty);
          }
        }
        assertArrayEquals(zs[0], zs[1], "pre-activations (z + bias) must be exact, " + phi);
        assertClose("biasActivationForward " + phi, toDouble(ys[0]), ys[1], FLOAT_ATOL, FLOAT_RTOL);
      }
    }
  }

  @Test
  void activationBackwardMatchesCpuInPlaceToo() {
    Random rnd = new Random(14);
    int n = 41 * 64 * 7 + 3;
    float[] dy = gaussian(rnd, n);
    float[] z = gaussian(rnd, n);
    for (Activation phi : Activation.values()) {
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        y[i] = (float) phi.value(z[i]);
      }
      float[][] out = new float[2][];
      Backend[] both = {cpu, gpu};
      for (int i = 0; i < 2; i++) {
        Backend be = both[i];
        try (Tensor tdy = be.upload(dy, n); Tensor tz = be.upload(z, n); Tensor ty = be.upload(y, n)) {
          be.activationBackward(phi, n, tdy, tz, ty, tdy); // dz aliases dy
          out[i] = be.download(tdy);
        }
      }
      assertClose("activationBackward " + phi, toDouble(out[0]), out[1], FLOAT_ATOL, FLOAT_RTOL);
    }
  }

  @Test
  void columnSumsMatchCpu() {
    Random rnd = new Random(15);
    int[][] shapes = {{1, 1, 1}, {41, 64, 784}, {2, 301, 5}};
    for (float beta : new float[] {0f, 0.5f}) {
      for (int[] s : shapes) {
        float[] dz = gaussian(rnd, (long) s[0] * s[1] * s[2]);
        float[] db = gaussian(rnd, (long) s[0] * s[2]);
        if (beta == 0f) {
          java.util.Arrays.fill(db, Float.NaN);
        }
        float[][] out = new float[2][];
        Backend[] both = {cpu, gpu};
        for (int i = 0; i < 2; i++) {
          Backend be = both[i];
          try (Tensor tdz = be.upload(dz, dz.length); Tensor tdb = be.upload(db, db.length)) {
            be.columnSums(s[0], s[1], s[2], tdz, beta, tdb);
            out[i] = be.download(tdb);
          }
        }
        assertClose("columnSums beta=" + beta, toDouble(out[0]), out[1],
            FLOAT_SUM_ATOL * Math.sqrt(s[1]) * 10, FLOAT_SUM_RTOL);
      }
    }
  }

  @Test
  void softmaxCrossEntropyMatchesCpu() {
    Random rnd = new Random(16);
    int[][] shapes = {{1, 1, 1}, {41, 64, 10}, {3, 17, 37}};
    for (int[] s : shapes) {
      int batch = s[0];
      int rows = s[1];
      int classes = s[2];
      float[] logits = gaussian(rnd, (long) batch * rows * classes);
      for (int i = 0; i < logits.length; i++) {
        logits[i] *= 4f;
      }
      float[] labels = new float[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = rnd.nextInt(classes);
      }
      float[][] grads = new float[2][];
      float[][] stats = new float[2][];
      Backend[] both = {cpu, gpu};
      for (int i = 0; i < 2; i++) {
        Backend be = both[i];
        try (Tensor tl = be.upload(logits, logits.length); Tensor tlab = be.upload(labels, rows);
             Tensor tg = be.zeros(logits.length); Tensor ts = be.zeros(batch, 2)) {
          be.softmaxCrossEntropy(batch, rows, classes, tl, tlab, 1f / rows, tg, ts);
          grads[i] = be.download(tg);
          stats[i] = be.download(ts);
        }
      }
      assertClose("softmax CE grad", toDouble(grads[0]), grads[1], FLOAT_ATOL, FLOAT_SUM_RTOL);
      for (int p = 0; p < batch; p++) {
        assertClose("softmax CE loss of model " + p, stats[0][2 * p], stats[1][2 * p],
            FLOAT_SUM_ATOL * rows, FLOAT_SUM_RTOL);
        assertEquals(stats[0][2 * p + 1], stats[1][2 * p + 1], "correct count of model " + p);
      }
    }
  }

  @Test
  void sgdMomentumAxpyAndFillMatchCpu() {
    Random rnd = new Random(17);
    int n = 784 * 784 + 13;
    float[] w = gaussian(rnd, n);
    float[] g = gaussian(rnd, n);
    float[] v = gaussian(rnd, n);
    float[][] ws = new float[2][];
    float[][] vs = new float[2][];
    float[][] ys = new float[2][];
    float[][] fs = new float[2][];
    Backend[] both = {cpu, gpu};
    for (int i = 0; i < 2; i++) {
      Backend be = both[i];
      try (Tensor tw = be.upload(w, n); Tensor tg = be.upload(g, n); Tensor tv = be.upload(v, n)) {
        be.sgdMomentum(n, 0.01f, 0.9f, tw, tg, tv);
        be.sgdMomentum(n, 0.01f, 0.9f, tw, tg, tv);
        ws[i] = be.download(tw);
        vs[i] = be.download(tv);
        be.axpy(n - 1, -0.375f, tg, tv);
        ys[i] = be.download(tv);
        be.fill(tw, 5, n - 7, 2.5f);
        fs[i] = be.download(tw);
      }
    }
    assertClose("sgd momentum w", toDouble(ws[0]), ws[1], FLOAT_ATOL, FLOAT_RTOL);
    assertClose("sgd momentum v", toDouble(vs[0]), vs[1], FLOAT_ATOL, FLOAT_RTOL);
    assertClose("axpy", toDouble(ys[0]), ys[1], FLOAT_ATOL, FLOAT_RTOL);
    assertArrayEquals(fs[0], fs[1], "fill");
  }

  @Test
  void fillGaussianIsBitIdenticalToPhilox() {
    long[][] cases = {{1, 0, 0}, {1001, -7L, 3}, {4097, 0x123456789ABCDEFL, 0xFEDCBA9876543210L}};
    for (long[] cs : cases) {
      int count = (int) cs[0];
      int offset = 3;
      float[] expected = new float[offset + count + 2];
      Philox.fillGaussian(expected, offset, count, 0.7f, cs[1], cs[2], 0);
      try (Tensor t = gpu.zeros(expected.length)) {
        gpu.fillGaussian(t, offset, count, 0.7f, cs[1], cs[2]);
        float[] got = gpu.download(t);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
              "fillGaussian element " + i + " (seed " + cs[1] + ", stream " + cs[2] + "): expected " + expected[i]
                  + ", got " + got[i]);
        }
      }
    }
  }

  @Test
  void mixingACpuTensorIntoACudaOpThrows() {
    try (Tensor c = cpu.zeros(4); Tensor g = gpu.zeros(4)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.axpy(4, 1f, c, g));
      assertTrue(e.getMessage().contains("cpu"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> gpu.copy(g, 0, c, 0, 4));
    }
  }

  @Test
  void closingTwiceIsHarmlessAndClosedTensorsAreRejected() {
    Tensor t = gpu.zeros(3);
    t.close();
    t.close();
    assertTrue(t.isClosed());
    assertThrows(IllegalArgumentException.class, () -> gpu.fill(t, 0, 3, 1f));
  }

  @Test
  void outOfMemoryNamesTheRequestedBytes() {
    long bytes = 1L << 40;
    DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> gpu.zeros(1 << 28, 1 << 10));
    assertEquals(bytes, e.requestedBytes());
    assertTrue(e.getMessage().contains(Long.toString(bytes)), e.getMessage());
  }
}
