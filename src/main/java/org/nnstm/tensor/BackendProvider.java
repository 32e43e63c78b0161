package org.nnstm.tensor;

/**
 * A kind of {@link Backend}, found by {@link Backends} through {@link java.util.ServiceLoader}: an implementation
 * lists its provider class in {@code META-INF/services/org.nnstm.tensor.BackendProvider}, so that the
 * {@code tensor} package never names its implementations. A provider must be cheap to construct (no native
 * library is loaded before {@link #open}).
 */
public interface BackendProvider {

  /** The kind of the backends it opens, {@code "cpu"} or {@code "cuda"}: {@link Backend#kind()} of each. */
  String kind();

  /**
   * Opens a backend. For {@code cpu}, {@code threadsOrDevice} is the number of threads (>= 1); for {@code cuda},
   * the device index (>= 0).
   *
   * @throws IllegalArgumentException for a bad {@code threadsOrDevice}
   * @throws BackendUnavailableException when the backend cannot start here (the message says why)
   */
  Backend open(int threadsOrDevice);
}
