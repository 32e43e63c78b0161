package org.nnstm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Backend selection: the implementations are found through ServiceLoader (this package names none of them), the
 * names and the {@code auto} fallback behave as documented, and what comes back is a {@link CheckedBackend}.
 */
class BackendsTest {
  @Test
  void providersComeFromTheServicesFile() throws IOException {
    assertEquals(Set.of("cpu", "cuda"), Backends.kinds());
    String file = "META-INF/services/" + BackendProvider.class.getName();
    try (InputStream in = Backends.class.getClassLoader().getResourceAsStream(file)) {
      assertTrue(in != null, file + " is missing");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(text.contains("org.nnstm.backend.cpu.CpuBackendProvider"), text);
      assertTrue(text.contains("org.nnstm.backend.cuda.CudaBackendProvider"), text);
    }
  }

  @Test
  void cpuByEveryRoute() {
    for (Backend b : new Backend[] {Backends.cpu(1), Backends.cpu(), Backends.open("cpu", 2, null),
        Backends.open("CPU", 1, null)}) {
      try (b) {
        assertEquals("cpu", b.kind());
        assertTrue(b instanceof CheckedBackend, b.getClass().getName());
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.cpu(0));
    assertEquals("threads must be >= 1, got 0", e.getMessage());
  }

  @Test
  void unknownAndMissingNamesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", 1, null));
    assertEquals("unknown backend 'tpu': use cpu, cuda or auto", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Backends.open(null, 1, null));
    assertThrows(IllegalArgumentException.class, () -> Backends.cuda(-1));
  }

  @Test
  void autoTakesCudaOrFallsBackToTheCpuWithOneNoticeLine() {
    List<String> notices = new ArrayList<>();
    try (Backend b = Backends.open("auto", 1, notices::add)) {
      assertEquals(1, notices.size(), notices.toString());
      String notice = notices.get(0);
      assertTrue(notice.startsWith("auto: ") && !notice.contains("\n"), notice);
      assertTrue(b instanceof CheckedBackend, b.getClass().getName());
      if (b.kind().equals("cuda")) {
        assertEquals("auto: a CUDA device initialised", notice);
      } else {
        assertEquals("cpu", b.kind());
        // the same reason that cuda gives when asked for directly
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.cuda(0));
        assertEquals("auto: " + e.getMessage(), notice);
      }
    }
  }
}
