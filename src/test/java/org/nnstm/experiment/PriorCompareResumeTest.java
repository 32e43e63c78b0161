package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.cli.Main;

/**
 * Kills `prior compare` with SIGKILL after some passes are kept, re-runs it, and checks that it resumed (fewer
 * passes computed), that the numbers equal an uninterrupted run's, and that the parts directory is gone.
 */
class PriorCompareResumeTest {
  @TempDir
  Path dir;

  static String[] args(Path out) {
    return new String[] {"prior", "compare", "--backend", "cpu", "--widths", "400,300,5", "--var-w", "1.0",
        "--x-norm", "3", "--networks", "3000", "--memory", "0.05", "--out", out.toString()};
  }

  @Test
  void sigkillThenResumeGivesTheUninterruptedNumbers() throws Exception {
    Path out = dir.resolve("killed");
    Path parts = out.resolve(".parts");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args(out)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (partFiles(parts) < 2 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(p.isAlive(), "the run finished before it could be killed: " + Files.readString(dir.resolve("log")));
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    int kept = partFiles(parts);
    assertTrue(kept >= 2, "passes kept before the kill: " + kept);
    assertFalse(Files.exists(out.resolve("js.csv")), "no final files from a killed run");

    assertEquals(0, GridResumeTest.quiet(args(out)));
    assertFalse(Files.exists(parts), "the parts directory is removed once the run is complete");
    Path whole = dir.resolve("whole");
    assertEquals(0, GridResumeTest.quiet(args(whole)));
    assertEquals(Files.readString(whole.resolve("js.csv")), Files.readString(out.resolve("js.csv")));
    assertEquals(Files.readString(whole.resolve("radial.csv")), Files.readString(out.resolve("radial.csv")));
  }

  static int partFiles(Path parts) throws Exception {
    if (!Files.isDirectory(parts)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(parts)) {
      return (int) s.filter(x -> x.getFileName().toString().endsWith(".f32")).count();
    }
  }
}
