package org.nnstm.backend.cuda;

import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/** A tensor in device memory of one {@link CudaBackend}; closing frees the memory, closing twice is harmless. */
final class CudaTensor extends Tensor {
  private final CudaBackend backend;
  final DeviceBuffer buffer;

  CudaTensor(CudaBackend backend, int[] shape, DeviceBuffer buffer) {
    super(shape);
    this.backend = backend;
    this.buffer = buffer;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public boolean isClosed() {
    return buffer.isClosed();
  }

  @Override
  public void close() {
    buffer.close();
  }
}
