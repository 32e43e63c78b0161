package org.nnstm.backend.cpu;

/** Placeholder: replaced by the OpenBLAS implementation. */
public final class CpuBackend {
  public CpuBackend(int blasThreads) {
    throw new UnsupportedOperationException("not yet");
  }
}
