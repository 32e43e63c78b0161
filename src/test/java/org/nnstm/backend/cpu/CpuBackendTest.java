package org.nnstm.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendContractTest;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Tensor;

/** The contract suite on the OpenBLAS backend, plus CPU-specific checks. */
class CpuBackendTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new CpuBackend(1);
  }

  @Test
  void fillGaussianDoesNotDependOnThreadCount() {
    float[][] got = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      try (Backend b = new CpuBackend(threads); Tensor t = b.zeros(3, 4097)) {
        b.fillGaussian(t, 5, 3 * 4097 - 5, 1.5f, 99, 3);
        got[threads - 1] = b.download(t);
      }
    }
    assertArrayEquals(got[0], got[1]);
  }

  @Test
  void parallelGaussianFillEqualsTheSerialGenerator() {
    int count = (int) CpuBackend.PARALLEL_FILL + 4099; // above the parallel threshold, ragged tail
    try (Backend b = Backends.cpu(1); Tensor t = b.zeros(count + 3)) {
      b.fillGaussian(t, 3, count, 0.7f, 123, 9);
      float[] got = b.download(t);
      float[] expected = new float[count];
      org.nnstm.tensor.Philox.fillGaussian(expected, 0, count, 0.7f, 123, 9, 0);
      assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 3, count + 3));
      assertEquals(0f, got[0]);
    }
  }

  @Test
  void axpyRoundsEveryElementByOneRuleWhereverItSits() {
    // OpenBLAS gets whole multiples of 64 elements, NativeAxpy the rest: shifting the data by 37 places moves elements
    // between the two, and each must still come out as the probed rule says (FMA or two roundings)
    java.util.Random rnd = new java.util.Random(41);
    int n = 3 * NativeAxpy.BODY + 29;
    int shift = 37;
    float alpha = -0.0123457f;
    float[] x = new float[n + shift];
    float[] y = new float[n + shift];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextDouble() * 3 - 1.5);
      y[i] = (float) (rnd.nextDouble() - 0.5);
    }
    int differ = 0;
    try (Backend b = new CpuBackend(1); Tensor tx = b.upload(x, x.length); Tensor ty = b.upload(y, y.length);
         Tensor sx = b.upload(java.util.Arrays.copyOfRange(x, shift, n + shift), n);
         Tensor sy = b.upload(java.util.Arrays.copyOfRange(y, shift, n + shift), n)) {
      b.axpy(n + shift, alpha, tx, ty);
      b.axpy(n, alpha, sx, sy);
      float[] whole = b.download(ty);
      float[] shifted = b.download(sy);
      for (int i = 0; i < n; i++) {
        int at = i + shift;
        float fused = Math.fma(alpha, x[at], y[at]);
        float separate = y[at] + alpha * x[at];
        differ += fused != separate ? 1 : 0;
        float want = NativeAxpy.RULE == NativeAxpy.Rule.FMA ? fused : separate;
        assertEquals(want, whole[at], "element " + at + " of the whole vector");
        assertEquals(want, shifted[i], "element " + i + " of the shifted vector");
      }
    }
    assertTrue(differ > 0, "the data must tell the two rules apart");
  }

  @Test
  void nameKindAndSelection() {
    try (Backend b = Backends.cpu(1)) {
      assertEquals("cpu", b.kind());
      assertTrue(b.name().matches("cpu \\(OpenBLAS [0-9.]+ \\S+ kernels, 1 thread\\)"), b.name());
    }
    assertThrows(IllegalArgumentException.class, () -> new CpuBackend(0));
  }

  @Test
  void closedBackendRefusesWork() {
    Backend b = new CpuBackend(1);
    b.close();
    assertThrows(IllegalStateException.class, () -> b.zeros(2));
  }
}
