package org.nnstm.backend.cuda;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendContractTest;

/** The backend contract suite run on the CUDA backend; skips (with the reason) where no GPU is usable. */
@org.junit.jupiter.api.extension.ExtendWith(RequiresCuda.class)
class CudaBackendTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return CudaTestSupport.openOrSkip();
  }
}
