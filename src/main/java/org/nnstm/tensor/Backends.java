package org.nnstm.tensor;

import java.util.Locale;
import java.util.function.Consumer;
import org.nnstm.backend.cpu.CpuBackend;
import org.nnstm.backend.cuda.CudaBackend;

/**
 * Chooses a {@link Backend} once, at the edge. {@code cpu} is OpenBLAS on this machine; {@code cuda} is
 * the first CUDA device (an error if none initialises); {@code auto} tries CUDA and falls back to the
 * CPU, reporting which one it took and why through {@code notice}.
 */
public final class Backends {
  private Backends() {}

  /** The CPU backend running its ops on {@code threads} threads (results do not depend on the count). */
  public static Backend cpu(int threads) {
    return new CpuBackend(threads);
  }

  /** The CPU backend on every available processor. */
  public static Backend cpu() {
    return new CpuBackend();
  }

  /** The CUDA backend on device {@code device}; throws {@link BackendUnavailableException} if it cannot start. */
  public static Backend cuda(int device) {
    return CudaBackend.open(device);
  }

  /**
   * Opens a backend by name: {@code cpu}, {@code cuda} or {@code auto}.
   *
   * @param threads threads of the CPU backend
   * @param notice receives, for {@code auto}, one short line saying why it chose what it chose (may be null)
   * @throws BackendUnavailableException when {@code cuda} is asked for and no device initialises
   * @throws IllegalArgumentException for an unknown name
   */
  public static Backend open(String name, int threads, Consumer<String> notice) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "cpu":
        return cpu(threads);
      case "cuda":
        return cuda(0);
      case "auto":
        try {
          Backend b = cuda(0);
          if (notice != null) {
            notice.accept("auto: a CUDA device initialised");
          }
          return b;
        } catch (BackendUnavailableException e) {
          Backend b = cpu(threads);
          if (notice != null) {
            notice.accept("auto: " + e.getMessage());
          }
          return b;
        }
      default:
        throw new IllegalArgumentException("unknown backend '" + name + "': use cpu, cuda or auto");
    }
  }
}
