package org.nnstm.experiment;

import org.nnstm.run.Listener;
import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.cli.Main;
import org.nnstm.cli.TestData;
import org.nnstm.data.Mnist;
import org.nnstm.data.MnistFetcher;
import org.nnstm.io.Hdf5;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/**
 * Shards take whole depth groups balanced by cost; a cell's result does not depend on the ensemble (or shard)
 * that trained it; two processes on one directory share the work.
 */
class GridShardTest {
  @TempDir
  Path dir;

  static CriticalityGrid.Plan plan(double[] varW, int[] depths, String layout, int shard, int shards) {
    return new CriticalityGrid.Plan(varW, depths, 0.05, 0, 1, layout, 1, EnsembleTrainer.Config.reference(), shard,
        shards, 6);
  }

  /** The activation is carried into every network and the manifest (tanh grids keep the manifest they had). */
  @Test
  void theActivationIsCarriedIntoTheNetworksAndTheManifest() {
    CriticalityGrid.Plan tanh = plan(new double[] {1, 2}, new int[] {3}, "wide", 1, 1);
    assertEquals(org.nnstm.tensor.Activation.TANH, tanh.spec(3).hidden());
    assertFalse(CriticalityGrid.settings(tanh, 100, "v").containsKey("activation"));
    CriticalityGrid.Plan linear = new CriticalityGrid.Plan(new double[] {1, 2}, new int[] {3}, 0.05, 0, 1, "wide", 1,
        EnsembleTrainer.Config.reference(), 1, 1, 6, org.nnstm.tensor.Activation.IDENTITY);
    assertEquals(org.nnstm.tensor.Activation.IDENTITY, linear.spec(3).hidden());
    assertEquals(org.nnstm.tensor.Activation.IDENTITY, linear.spec(3).output());
    java.util.Map<String, String> s = CriticalityGrid.settings(linear, 100, "v");
    assertEquals("identity", s.get("activation"));
    assertEquals(org.nnstm.tensor.Activation.IDENTITY, CriticalityGrid.plan(s, 1, 1, 6).activation());
    assertEquals(org.nnstm.tensor.Activation.TANH,
        CriticalityGrid.plan(CriticalityGrid.settings(tanh, 100, "v"), 1, 1, 6).activation());
  }

  @Test
  void shardsTakeWholeDepthGroupsLargestFirstToTheLeastLoaded() {
    // wide costs grow with depth: 5 -> shard 1, 4 -> shard 2, 3 -> shard 2 (its load 4 < 5)
    assertArrayEquals(new int[] {2, 2, 1}, CriticalityGrid.shardOfDepth(plan(new double[] {1, 2}, new int[] {3, 4, 5},
        "wide", 1, 2)));
    // the reference grid on 4 shards: every depth in exactly one shard, loads within one group's cost of each other
    int[] depths = new int[21];
    for (int i = 0; i < 21; i++) {
      depths[i] = 10 + 3 * i;
    }
    CriticalityGrid.Plan p = plan(new double[] {1, 2, 3}, depths, "wide", 1, 4);
    int[] of = CriticalityGrid.shardOfDepth(p);
    double[] load = new double[4];
    List<Integer> seen = new ArrayList<>();
    for (int s = 1; s <= 4; s++) {
      for (CriticalityGrid.Cell c : CriticalityGrid.shard(p.withShard(s, 4))) {
        seen.add(c.depth());
      }
    }
    assertEquals(21 * 3, seen.size(), "every cell in exactly one shard");
    for (int i = 0; i < 21; i++) {
      load[of[i] - 1] += CriticalityGrid.cost(p, depths[i]);
    }
    double spread = Arrays.stream(load).max().getAsDouble() - Arrays.stream(load).min().getAsDouble();
    assertTrue(spread <= CriticalityGrid.cost(p, 70), "loads " + Arrays.toString(load));
    // more shards than depths: the extra shards are empty
    assertEquals(List.of(), CriticalityGrid.shard(plan(new double[] {1}, new int[] {3, 4}, "wide", 3, 3)));
  }

  @Test
  void aCellsResultDoesNotDependOnItsEnsemble() throws Exception {
    TestData.mnist();
    Mnist m = Mnist.load(MnistFetcher.dataDir(null));
    LabelledImages train = m.train(256);
    LabelledImages val = Mnist.slice(m.validation(), 0, 500);
    try (Backend b = Backends.cpu(1)) {
      CriticalityGrid.run(b, plan(new double[] {2.0}, new int[] {4}, "decimated", 1, 1), train, val,
          dir.resolve("alone"), line -> { }, Listener.none());
      CriticalityGrid.run(b, plan(new double[] {1.0, 2.0, 3.0}, new int[] {3, 4}, "decimated", 1, 1), train, val,
          dir.resolve("together"), line -> { }, Listener.none());
    }
    Path a = dir.resolve("alone/acc-200-4.hdf5");
    Path t = dir.resolve("together/acc-200-4.hdf5");
    assertArrayEquals(Hdf5.vector(Hdf5.read(a), "accuracies", a), Hdf5.vector(Hdf5.read(t), "accuracies", t));
  }

  @Test
  void twoProcessesOnOneDirectoryShareTheWork() throws Exception {
    Path out = dir.resolve("shared");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "grid", "--data",
        TestData.mnist().toString(), "--backend", "cpu", "--var-w", "1.0,2.0", "--depth", "3,4", "--layout",
        "decimated", "--epochs", "1", "--train-limit", "256", "--out", out.toString()));
    Process p1 = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log1").toFile()).start();
    Process p2 = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log2").toFile()).start();
    assertTrue(p1.waitFor(120, TimeUnit.SECONDS) && p2.waitFor(120, TimeUnit.SECONDS));
    String l1 = Files.readString(dir.resolve("log1"));
    String l2 = Files.readString(dir.resolve("log2"));
    assertEquals(0, p1.exitValue(), l1);
    assertEquals(0, p2.exitValue(), l2);
    assertEquals(4, trained(l1) + trained(l2), "every cell trained once:\n" + l1 + "\n" + l2);
    assertEquals(4, GridResults.read(out).size());
    assertTrue(Files.exists(out.resolve("grid.csv")), "the last process to finish writes grid.csv");
  }

  static int trained(String log) {
    Matcher m = Pattern.compile("this run trained (\\d+) cells").matcher(log);
    assertTrue(m.find(), log);
    return Integer.parseInt(m.group(1));
  }
}
