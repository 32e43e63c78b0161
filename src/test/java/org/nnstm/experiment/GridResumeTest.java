package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Kills a grid run with SIGKILL while it trains, re-runs it, and checks that every cell is present
 * exactly once, readable and complete, and that no temporary file is left; also that two shards
 * together cover the grid and --collect rebuilds the summary from their files.
 */
class GridResumeTest {
  @TempDir
  Path dir;

  static final String[] GRID = {"--var-w", "1.0,2.0,3.0", "--depth", "3,4,5", "--epochs", "1", "--train-limit", "2000",
      "--backend", "cpu"};

  String[] args(Path out, String... extra) throws Exception {
    List<String> a = new ArrayList<>(List.of("grid", "--data", org.nnstm.cli.TestData.mnist().toString()));
    a.addAll(List.of(GRID));
    a.addAll(List.of("--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void sigkillThenResumeGivesEveryCellOnce() throws Exception {
    Path out = dir.resolve("grid");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args(out)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (accFiles(out) < 3 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the grid finished before it could be killed: " + Files.readString(dir.resolve("log")));
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    int before = accFiles(out);
    assertTrue(before >= 3 && before < 9, "killed mid-run with " + before + " of 9 cells");

    assertEquals(0, quiet(args(out)));
    List<GridResults.Cell> cells = GridResults.read(out);
    assertEquals(9, cells.size());
    assertEquals(9, accFiles(out));
    for (GridResults.Cell c : cells) {
      assertEquals(1, c.accuracies().length, "cell " + c);
      assertTrue(c.finalAccuracy() > 0.1 && c.finalAccuracy() <= 1, "cell " + c);
    }
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
    }
    assertTrue(Files.readString(out.resolve("grid.csv")).lines().count() == 10);
  }

  @Test
  void shardsCoverTheGridAndCollectRebuildsTheSummary() throws Exception {
    Path out = dir.resolve("sharded");
    assertEquals(0, quiet(args(out, "--shard", "1/2")));
    int first = accFiles(out);
    assertEquals(3, first, "shard 1/2 takes the costliest depth group (5), shard 2/2 depths 4 and 3");
    assertFalse(Files.exists(out.resolve("grid.csv")), "a shard does not summarise an incomplete grid");
    assertEquals(0, quiet(args(out, "--shard", "2/2")));
    assertTrue(Files.exists(out.resolve("grid.csv")), "the shard that completes the grid summarises it");
    Files.delete(out.resolve("grid.csv"));
    assertEquals(0, quiet("grid", "--collect", out.toString()));
    List<GridResults.Cell> cells = GridResults.read(out);
    assertEquals(9, cells.size());
    assertArrayEquals(new int[] {3, 3, 3, 4, 4, 4, 5, 5, 5}, cells.stream().mapToInt(GridResults.Cell::depth).toArray());
    assertTrue(Files.size(out.resolve("phase-diagram.png")) > 1000);
    assertEquals(10, Files.readString(out.resolve("grid.csv")).lines().count());
  }

  /** Runs the CLI in-process with its output captured (tests print nothing on success). */
  static int quiet(String... args) {
    picocli.CommandLine cl = Main.commandLine();
    java.io.StringWriter sink = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(sink));
    cl.setErr(new java.io.PrintWriter(sink));
    return cl.execute(args);
  }

  static int accFiles(Path out) throws Exception {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(out)) {
      return (int) s.filter(x -> x.getFileName().toString().matches("acc-.*\\.hdf5")).count();
    }
  }
}
