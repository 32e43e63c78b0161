package org.nnstm.tensor;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Chooses a {@link Backend} once, at the edge. {@code cpu} is OpenBLAS on this machine; {@code cuda} is
 * the first CUDA device (an error if none initialises); {@code auto} tries CUDA and falls back to the
 * CPU, reporting which one it took and why through {@code notice}.
 *
 * <p>The implementations are found through {@link ServiceLoader} ({@link BackendProvider}s listed in
 * {@code META-INF/services/org.nnstm.tensor.BackendProvider}), once per class loader, so this package does not
 * depend on them. Every backend they open extends {@link CheckedBackend}.
 */
public final class Backends {
  private Backends() {}

  /** The providers on the class path by kind, loaded on first use. */
  private static final class Registry {
    static final Map<String, BackendProvider> PROVIDERS = load();

    private static Map<String, BackendProvider> load() {
      Map<String, BackendProvider> byKind = new TreeMap<>();
      for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
        BackendProvider before = byKind.putIfAbsent(p.kind(), p);
        if (before != null) {
          throw new IllegalStateException("two backend providers of kind '" + p.kind() + "' on the class path: "
              + before.getClass().getName() + " and " + p.getClass().getName());
        }
      }
      return Collections.unmodifiableMap(byKind);
    }
  }

  /** The kinds of backend on the class path, sorted (normally {@code [cpu, cuda]}). */
  public static Set<String> kinds() {
    return Registry.PROVIDERS.keySet();
  }

  /** The provider of {@code kind}, or null when none is on the class path. */
  private static BackendProvider provider(String kind) {
    return Registry.PROVIDERS.get(kind);
  }

  /** The CPU backend running its ops on {@code threads} threads (results do not depend on the count). */
  public static Backend cpu(int threads) {
    BackendProvider p = provider("cpu");
    if (p == null) {
      throw new IllegalStateException("no cpu backend on the class path (no BackendProvider of kind 'cpu' in "
          + "META-INF/services/" + BackendProvider.class.getName() + ")");
    }
    return p.open(threads);
  }

  /** The CPU backend on every available processor. */
  public static Backend cpu() {
    return cpu(Runtime.getRuntime().availableProcessors());
  }

  /** The CUDA backend on device {@code device}; throws {@link BackendUnavailableException} if it cannot start. */
  public static Backend cuda(int device) {
    BackendProvider p = provider("cuda");
    if (p == null) {
      throw new BackendUnavailableException("no cuda backend on the class path (no BackendProvider of kind 'cuda' "
          + "in META-INF/services/" + BackendProvider.class.getName() + ")", null);
    }
    return p.open(device);
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
    if (name == null) {
      throw new IllegalArgumentException("backend name is null: use cpu, cuda or auto");
    }
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
