package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.io.Hdf5;
import org.nnstm.io.RunManifest;

/**
 * The grid's run manifest: a rerun with the same settings resumes, one with other result-determining settings is
 * refused naming them and leaves the directory as it was; the hostile inputs of the grid's file tags, empty
 * shards and oversized networks are refused (or succeed) up front.
 */
class GridManifestTest {
  @TempDir
  Path dir;

  static TrainCommandTest.Result grid(Path out, String... extra) throws Exception {
    List<String> a = new ArrayList<>(List.of("grid", "--data", TestData.mnist().toString(), "--backend", "cpu",
        "--var-w", "1.0,2.0", "--depth", "3", "--out", out.toString()));
    a.addAll(List.of(extra));
    for (String[] d : new String[][] {{"--epochs", "1"}, {"--train-limit", "512"}}) {
      if (!a.contains(d[0])) {
        a.addAll(List.of(d));
      }
    }
    return TrainCommandTest.run(a.toArray(new String[0]));
  }

  static void assertOneLineError(TrainCommandTest.Result r, String... fragments) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("nnstm: error: "), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
    }
  }

  @Test
  void sameSettingsResumeOtherSettingsAreRefusedNamingThem() throws Exception {
    Path out = dir.resolve("g");
    TrainCommandTest.Result first = grid(out);
    assertEquals(0, first.code(), first.err());
    Map<String, String> s = RunManifest.readSettings(out);
    assertEquals("grid", s.get("command"));
    assertEquals("512", s.get("train-images"));
    assertEquals("1.0,2.0", s.get("var-w"));
    Path acc = out.resolve("acc-100-3.hdf5");
    Map<String, Object> attrs = Hdf5.attributes(acc);
    assertTrue(String.valueOf(attrs.get("command_line")).startsWith("nnstm grid --data"), attrs.toString());
    assertTrue(String.valueOf(attrs.get("backend")).startsWith("cpu"), attrs.toString());
    assertEquals(List.of("accuracies", "depth", "var_bias", "var_weight"),
        Hdf5.read(acc).keySet().stream().sorted().toList(), "datasets unchanged by the attributes");
    FileTime t = Files.getLastModifiedTime(acc);
    String manifest = Files.readString(out.resolve(RunManifest.FILE));

    TrainCommandTest.Result again = grid(out);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("2 already complete, 0 to train"), again.err());

    assertOneLineError(grid(out, "--train-limit", "1024"), "train-images: 512 there, 1024 here");
    assertOneLineError(grid(out, "--layout", "decimated"), "layout: wide there, decimated here");
    assertOneLineError(grid(out, "--epochs", "2", "--var-b", "0.1"), "epochs: 1 there, 2 here",
        "var-b: 0.05 there, 0.1 here");
    assertEquals(t, Files.getLastModifiedTime(acc), "a refused run leaves the cells alone");
    assertEquals(manifest, Files.readString(out.resolve(RunManifest.FILE)));

    // the directory of one command is refused to another
    TrainCommandTest.Result train = TrainCommandTest.run("train", "--data", TestData.mnist().toString(), "--backend",
        "cpu", "--depth", "3", "--var-w", "1.0", "--epochs", "1", "--train-limit", "512", "--out", out.toString());
    assertOneLineError(train, "holds the output of 'grid', not 'train'");
  }

  @Test
  void trainRegressAndPriorCompareResumeTheSameSettingsAndRefuseOthers() throws Exception {
    String data = TestData.mnist().toString();
    Path t = dir.resolve("train");
    String[] train = {"train", "--backend", "cpu", "--data", data, "--depth", "3", "--var-w", "1.0", "--epochs", "1",
        "--train-limit", "256", "--out", t.toString()};
    assertEquals(0, TrainCommandTest.run(train).code());
    assertEquals(0, TrainCommandTest.run(train).code(), "same settings: rerun allowed");
    assertOneLineError(TrainCommandTest.run(concat(train, "--lr", "0.01")), "lr: 0.005 there, 0.01 here");
    assertOneLineError(TrainCommandTest.run(concat(train, "--test")), "evaluation: validation");
    assertEquals("train", RunManifest.readSettings(t).get("command"));

    Path r = dir.resolve("regress");
    String[] regress = {"regress", "--backend", "cpu", "--data", data, "--epochs", "1", "--train-limit", "256",
        "--widths", "16", "--bins", "20", "--g", "0", "--test-digits", "0", "--out", r.toString()};
    TrainCommandTest.Result first = TrainCommandTest.run(regress);
    assertEquals(0, first.code(), first.err());
    assertOneLineError(TrainCommandTest.run(concat(regress, "--seed", "7")), "seed: 0 there, 7 here");

    Path p = dir.resolve("prior");
    String[] prior = {"prior", "compare", "--backend", "cpu", "--widths", "12,6,3", "--var-w", "1.0", "--x-norm",
        "2.0", "--networks", "200", "--out", p.toString()};
    assertEquals(0, TrainCommandTest.run(prior).code());
    assertEquals(0, TrainCommandTest.run(prior).code(), "same settings: rerun allowed");
    assertOneLineError(TrainCommandTest.run(concat(prior, "--seed", "3")), "seed=0 there, 3 here".replace("=", ": "));
    assertTrue(Files.readString(p.resolve(RunManifest.FILE)).contains("command = prior compare"));
  }

  @Test
  void fileTagCollisionsAndOverflowAreRefusedBeforeTraining() throws Exception {
    Path out = dir.resolve("never");
    String[] prefix = {"grid", "--backend", "cpu", "--depth", "3", "--epochs", "1"};
    TrainCommandTest.Result r = TrainCommandTest.run(concat(prefix, "--var-w", "1.001,1.004", "--out", out.toString()));
    assertOneLineError(r, "1.001", "1.004", "tag 100");
    r = TrainCommandTest.run(concat(prefix, "--var-w", "1e17", "--out", out.toString()));
    assertOneLineError(r, "1.0E17", "overflows");
    r = TrainCommandTest.run("train", "--backend", "cpu", "--depth", "3", "--var-w", "1e17,2e17", "--out",
        out.toString());
    assertOneLineError(r, "1.0E17", "overflows");
    r = TrainCommandTest.run("train", "--backend", "cpu", "--depth", "3", "--var-w", "2.0,2.001", "--out",
        out.toString());
    assertOneLineError(r, "2.0", "2.001", "tag 200");
    assertFalse(Files.exists(out));
  }

  @Test
  void anEmptyShardSucceedsDoingNothing() throws Exception {
    Path out = dir.resolve("empty");
    TrainCommandTest.Result r = grid(out, "--shard", "5/5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("shard 5/5 has no cells"), r.err());
    assertFalse(Files.exists(out.resolve("grid.csv")));
    assertEquals("", r.out());
  }

  @Test
  void aNetworkTooLargeForMemoryIsRefusedUpFrontWithTheEstimate() throws Exception {
    Path out = dir.resolve("huge");
    TrainCommandTest.Result r = TrainCommandTest.run("train", "--backend", "cpu", "--depth", "100000", "--var-w", "1",
        "--epochs", "1", "--data", TestData.mnist().toString(), "--out", out.toString());
    // weights and velocities 8 (784^2 + 784) x 99,998 layers + the last two: 458.5 GiB; activations
    // 4 x 64 x (2 (99,998 x 784 + 410) + 2 x 784) + 4 x 64 x 784 bytes: 37.4 GiB
    assertOneLineError(r, "needs about 495.9 GiB", "parameters and velocities 458.5 GiB", "activations 37.4 GiB",
        "--memory");
    r = TrainCommandTest.run("grid", "--backend", "cpu", "--depth", "100000", "--var-w", "1", "--epochs", "1",
        "--data", TestData.mnist().toString(), "--out", out.toString());
    assertOneLineError(r, "needs about 495.9 GiB");
    assertFalse(Files.exists(out));
  }

  static String[] concat(String[] a, String... b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(new String[0]);
  }
}
