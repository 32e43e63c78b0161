package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.data.BumpTargets;
import org.nnstm.data.Mnist;
import org.nnstm.io.Hdf5;

/** regress end to end on a small MNIST slice, the test-prediction pairing in its files, and bad input. */
class RegressCommandTest {
  @TempDir
  Path dir;

  @Test
  void gSweepOnASliceWritesHistoryCurvesAndTestPanels() throws IOException {
    Path data = TestData.mnist();
    Path out = dir.resolve("rg");
    TrainCommandTest.Result r = TrainCommandTest.run("regress", "--backend", "cpu", "--data", data.toString(),
        "--epochs", "1", "--train-limit", "2000", "--widths", "64", "--bins", "100", "--g", "0,0.2",
        "--test-digits", "3", "--json", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out()); // 2 models x epochs 0 and 1
    for (String key : List.of("epoch", "train_mse", "train_l2", "train_kl", "train_acc_decoded", "train_acc_bin",
        "val_mse", "val_l2", "val_kl", "val_acc_decoded", "val_acc_bin", "seconds")) {
      assertTrue(lines.get(3).contains("\"" + key + "\": "), key + " in " + lines.get(3));
    }
    double acc = Double.parseDouble(lines.get(3).replaceAll(".*\"val_acc_decoded\": ([0-9.eE-]+).*", "$1"));
    assertTrue(acc > 0.3, "decoded validation accuracy after one epoch on 2000 images: " + acc);
    for (String f : List.of("history.hdf5", "curves-g0.0.png", "curves-g0.2.png", "g-sweep.png", "test-00000.png",
        "test-00002.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    Path h5 = out.resolve("history.hdf5");
    Map<String, Object> h = Hdf5.read(h5);
    assertEquals(2, Hdf5.matrix(h, "val_acc_decoded", h5).length);
    assertEquals(2, Hdf5.matrix(h, "val_acc_decoded", h5)[0].length);
    // the panels pair test image i with the target of test label i
    Mnist mnist = Mnist.load(data);
    double[] labels = Hdf5.vector(h, "test_labels", h5);
    float[][] targets = Hdf5.matrix(h, "test_targets", h5);
    BumpTargets bumps = new BumpTargets(100, 0.1);
    for (int i = 0; i < 3; i++) {
      assertEquals(mnist.test().labels()[i], (int) labels[i], "test label " + i);
      float[] expect = bumps.target(mnist.test().labels()[i]);
      for (int j = 0; j < 100; j++) {
        assertEquals(expect[j], targets[i][j], "target of test image " + i);
      }
    }
    assertEquals(6, Hdf5.matrix(h, "test_predictions", h5).length); // 2 models x 3 images
  }

  @Test
  void badInputIsOneLineExitTwoAndNoOutput() {
    String[][] cases = {
        {"--target-std", "0"},
        {"--target-std", "-0.1"},
        {"--bins", "9"},
        {"--g", "0.2,x"},
        {"--init", "he"},
        {"--var-w", "-1"},
        {"--widths", "0"},
        {"--lr", "0"},
        {"--l2", "-1"},
        {"--epochs", "0"},
        {"--g", "0.2,0.2"},
        {"--g", "0,-0"},
        {"--readout-var", "-1"},
        {"--readout-var", "NaN"},
        {"--test-digits", "-1"},
    };
    TrainCommandTest.assertRejected(dir.resolve("bad"), new String[] {"regress", "--backend", "cpu"}, cases);
  }

  @Test
  void refusalsNameTheOptionAndTheValue() {
    String[][] cases = {
        {"--g", "0.2,0.2", "--g values must be distinct, got 0.2 twice"},
        {"--readout-var", "-1", "--readout-var must be finite and >= 0, got -1.0"},
        {"--var-w", "-1", "--var-w values must be finite and >= 0, got -1.0"},
    };
    for (String[] c : cases) {
      Path out = dir.resolve("named");
      TrainCommandTest.Result r = TrainCommandTest.run("regress", "--backend", "cpu", c[0], c[1], "--out",
          out.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().startsWith("nnstm: error: " + c[2]), c[0] + " " + c[1] + " -> " + r.err());
      assertFalse(Files.exists(out), "nothing written for " + c[0] + " " + c[1]);
    }
  }

  @Test
  void aDivergingGIsReportedWithExitThree() throws IOException {
    Path data = TestData.mnist();
    Path out = dir.resolve("div");
    TrainCommandTest.Result r = TrainCommandTest.run("regress", "--backend", "cpu", "--data", data.toString(),
        "--epochs", "1", "--train-limit", "500", "--widths", "32", "--bins", "50", "--g", "0,1e4",
        "--readout-var", "1", "--lr", "0.05", "--test-digits", "1", "--out", out.toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("nnstm: error: g = 10000.0 diverged at epoch 1"), r.err());
    assertTrue(Files.exists(out.resolve("history.hdf5")), "the other model's history is written");
  }
}
