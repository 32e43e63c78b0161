package org.nnstm.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;

/** The CPU float activation kernels: the float erf against the double erf, and every kernel's dispatch. */
class CpuActivationTest {
  @Test
  void floatErfWithinStatedBounds() {
    // every 64th float in [0, 6] (about 1.7e7 points; erf is odd and the formula is odd), plus tiny x
    double worstAbs = 0;
    double worstRel = 0;
    int start = Float.floatToIntBits(Float.MIN_VALUE);
    int end = Float.floatToIntBits(6f);
    for (int bits = start; bits <= end; bits += 64) {
      float x = Float.intBitsToFloat(bits);
      double want = Activation.erf(x);
      float got = CpuActivation.erf(x);
      double err = Math.abs(got - want);
      worstAbs = Math.max(worstAbs, err);
      boolean ok = err <= 4.5e-7 && got <= 1f && CpuActivation.erf(-x) == -got;
      if (want < Float.MIN_NORMAL) {
        // the stated relative error plus rounding to float's subnormal spacing
        ok &= err <= 3.7e-7 * want + 0.5 * Float.MIN_VALUE;
      } else if (x <= 1f) {
        worstRel = Math.max(worstRel, err / want);
        ok &= err <= 3.7e-7 * want;
      }
      if (!ok) {
        fail("erf(" + x + ") = " + got + " (erf(-x) = " + CpuActivation.erf(-x) + "), double " + want
            + ": error " + err);
      }
    }
    assertTrue(worstAbs > 1e-7 && worstRel > 1e-7, "the scan measures the approximation: " + worstAbs);
    assertEquals(1f, CpuActivation.erf(Float.POSITIVE_INFINITY));
    assertEquals(-1f, CpuActivation.erf(-1e30f));
    assertTrue(Float.isNaN(CpuActivation.erf(Float.NaN)));
  }

  @Test
  void kernelsMatchDoubleMath() {
    int n = 1001;
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = -5f + 10f * i / (n - 1) + 1e-3f;
    }
    for (Activation phi : Activation.values()) {
      float[] y = new float[n];
      CpuActivation.forward(phi, z, y, n);
      float[] g = new float[n];
      java.util.Arrays.fill(g, 1.5f);
      float[] buf = new float[n];
      CpuActivation.backward(phi, g, FloatBuffer.wrap(z), FloatBuffer.wrap(y), 0, buf, n);
      for (int i = 0; i < n; i++) {
        assertEquals(phi.value(z[i]), y[i], 4.5e-7 + 1e-7 * Math.abs(phi.value(z[i])), phi + " phi(" + z[i] + ")");
        // tanh's derivative comes from the float output: 2 |y| (error of y) <= 1e-6
        assertEquals(1.5 * phi.first(z[i]), g[i], 1.5e-6, phi + " phi'(" + z[i] + ")");
      }
    }
    float[] nan = {Float.NaN};
    float[] out = new float[1];
    CpuActivation.forward(Activation.RELU, nan, out, 1);
    assertTrue(Float.isNaN(out[0]), "relu propagates NaN");
  }
}
