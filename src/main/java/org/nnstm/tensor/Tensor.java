package org.nnstm.tensor;

import java.util.Arrays;

/**
 * A dense, row-major float32 array owned by one {@link Backend}. The data lives where the backend
 * keeps it (off-heap memory for the CPU, device memory for CUDA); it is reached only through the
 * backend's ops and explicit {@link Backend#upload}/{@link Backend#download} transfers.
 *
 * <p>Whoever allocates a tensor closes it; closing twice is harmless. Tensors of different backends
 * never mix: every op checks ownership and throws.
 */
public abstract class Tensor implements AutoCloseable {
  private final int[] shape;
  private final long size;

  protected Tensor(int[] shape) {
    this.shape = shape.clone();
    this.size = checkedSize(shape);
  }

  /** Number of elements of a shape; every extent must be at least 1. */
  public static long checkedSize(int... shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("a tensor needs at least one dimension");
    }
    long n = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("tensor extents must be >= 1, got " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The backend that owns this tensor's memory. */
  public abstract Backend backend();

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Extent of dimension {@code i}. */
  public int dim(int i) {
    return shape[i];
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Total number of elements. */
  public long size() {
    return size;
  }

  /** True once {@link #close()} has run. */
  public abstract boolean isClosed();

  /** Releases the memory; a second call does nothing. */
  @Override
  public abstract void close();

  @Override
  public String toString() {
    return backend().name() + " tensor " + Arrays.toString(shape);
  }
}
