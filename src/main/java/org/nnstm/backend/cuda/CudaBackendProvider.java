package org.nnstm.backend.cuda;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendProvider;

/**
 * The {@code cuda} kind for {@link org.nnstm.tensor.Backends}: {@link CudaBackend#open} on the given device.
 * Constructing the provider loads no JCuda class; {@link #open} does.
 */
public final class CudaBackendProvider implements BackendProvider {
  @Override
  public String kind() {
    return "cuda";
  }

  @Override
  public Backend open(int device) {
    return CudaBackend.open(device);
  }
}
