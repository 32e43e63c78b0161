package org.nnstm.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nnstm.tensor.BackendUnavailableException;

/** Opens the CUDA backend for a test, or skips the test visibly (with the reason) where no GPU is usable. */
final class CudaTestSupport {
  private CudaTestSupport() {}

  static CudaBackend openOrSkip() {
    try {
      return CudaBackend.open(0);
    } catch (BackendUnavailableException e) {
      Assumptions.assumeTrue(false, "no CUDA device: " + e.getMessage());
      throw new AssertionError("unreachable");
    }
  }
}
