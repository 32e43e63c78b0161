package org.nnstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run manifest: written once, equal settings resume, differing ones are refused naming each difference. */
class RunManifestTest {
  @TempDir
  Path dir;

  static RunManifest manifest(String... kv) {
    Map<String, String> s = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      s.put(kv[i], kv[i + 1]);
    }
    return new RunManifest("grid", s, RunManifest.Provenance.current("cpu (test)", 1, List.of("grid", "--a b\nc")));
  }

  @Test
  void writesOnceResumesAndRefusesNamingEveryDifference() throws Exception {
    assertFalse(manifest("epochs", "5", "layout", "wide").open(dir), "new directory: written");
    assertTrue(manifest("epochs", "5", "layout", "wide").open(dir), "same settings: a resume");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> manifest("epochs", "4", "layout", "wide", "train-images", "512").open(dir));
    assertTrue(e.getMessage().contains("epochs: 5 there, 4 here; train-images: (unset) there, 512 here"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    Map<String, Map<String, String>> f = RunManifest.read(dir.resolve(RunManifest.FILE));
    assertEquals("nnstm grid '--a b\nc'", f.get("provenance").get("command_line"), "escaped and read back");
    assertEquals("5", f.get("settings").get("epochs"));
    assertTrue(f.get("provenance").get("git_commit").matches("[0-9a-f]{40}(-dirty)?|unknown \\(.*\\)"),
        f.get("provenance").get("git_commit"));
  }

  @Test
  void ofTwoRunsStartingTogetherWithOtherSettingsExactlyOneProceeds() throws Exception {
    for (int round = 0; round < 20; round++) {
      Path d = dir.resolve("r" + round);
      Files.createDirectories(d);
      CyclicBarrier start = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Boolean>> f = new ArrayList<>();
      for (String epochs : new String[] {"1", "2"}) {
        f.add(pool.submit(() -> {
          start.await();
          try {
            manifest("epochs", epochs).open(d);
            return true;
          } catch (IllegalArgumentException refused) {
            return false;
          }
        }));
      }
      int proceeded = (f.get(0).get() ? 1 : 0) + (f.get(1).get() ? 1 : 0);
      pool.shutdown();
      assertEquals(1, proceeded, "round " + round);
    }
  }
}
