package org.nnstm.backend.cpu;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Tensor;

/**
 * A tensor of the {@link CpuBackend}: zero-initialised, 64-byte aligned native memory (malloc through
 * {@link OpenBlas}), seen from Java as a native-order direct {@link FloatBuffer} and from OpenBLAS by its
 * address. Closing frees the memory at once; a second close does nothing.
 */
final class CpuTensor extends Tensor {
  private final CpuBackend owner;
  private final AtomicReference<OpenBlas.NativeBlock> block;
  private final FloatBuffer data;
  private final long address;

  CpuTensor(CpuBackend owner, int[] shape) {
    super(shape);
    long bytes = Math.multiplyExact(size(), (long) Float.BYTES);
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "cpu tensor of " + size() + " floats exceeds the " + (Integer.MAX_VALUE / Float.BYTES) + "-float limit");
    }
    this.owner = owner;
    OpenBlas.NativeBlock b = OpenBlas.allocate(bytes);
    this.block = new AtomicReference<>(b);
    this.data = b.buffer.asFloatBuffer();
    this.address = b.address;
  }

  @Override
  public Backend backend() {
    return owner;
  }

  /** The data; valid only while open (callers check {@link #isClosed()} first). */
  FloatBuffer data() {
    return data;
  }

  /** Native address of element 0 (bytes). */
  long address() {
    return address;
  }

  @Override
  public boolean isClosed() {
    return block.get() == null;
  }

  @Override
  public void close() {
    OpenBlas.NativeBlock b = block.getAndSet(null);
    if (b != null) {
      b.free();
    }
  }
}
