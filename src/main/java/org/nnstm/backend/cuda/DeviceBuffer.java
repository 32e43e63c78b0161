package org.nnstm.backend.cuda;

import java.util.concurrent.atomic.AtomicReference;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * One cuMemAlloc'd region of device memory. Closing frees it (cuMemFree); closing twice is harmless
 * (the pointer is taken with getAndSet(null)).
 */
final class DeviceBuffer implements AutoCloseable {
  private final AtomicReference<CUdeviceptr> ptr;
  private final long bytes;
  private final CudaBackend owner;

  DeviceBuffer(CudaBackend owner, CUdeviceptr ptr, long bytes) {
    this.owner = owner;
    this.ptr = new AtomicReference<>(ptr);
    this.bytes = bytes;
  }

  long bytes() {
    return bytes;
  }

  boolean isClosed() {
    return ptr.get() == null;
  }

  /** The device address of float element {@code offset}; throws if closed. */
  CUdeviceptr at(long offset) {
    CUdeviceptr p = ptr.get();
    if (p == null) {
      throw new IllegalArgumentException("CUDA tensor is closed");
    }
    return offset == 0 ? p : p.withByteOffset(offset * Float.BYTES);
  }

  @Override
  public void close() {
    CUdeviceptr p = ptr.getAndSet(null);
    if (p != null && !owner.isClosed()) {
      owner.makeCurrent();
      CudaBackend.check(JCudaDriver.cuMemFree(p), "cuMemFree");
    }
  }
}
