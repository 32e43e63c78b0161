package org.nnstm.backend.cpu;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendProvider;

/** The {@code cpu} kind for {@link org.nnstm.tensor.Backends}: {@link CpuBackend} on the given number of threads. */
public final class CpuBackendProvider implements BackendProvider {
  @Override
  public String kind() {
    return "cpu";
  }

  @Override
  public Backend open(int threads) {
    return new CpuBackend(threads);
  }
}
