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
    assertEquals(5, lines.size(), r.out()); // the reference, then 2 models x epochs 0 and 1
    assertTrue(lines.get(0).startsWith("{\"reference\": \"least_squares\", \"lambda\": "), lines.get(0));
    double refMse = number(lines.get(0), "train_mse");
    double refAcc = number(lines.get(0), "val_acc_decoded");
    assertTrue(refAcc > 0.7, "least-squares reference on 2000 images decodes " + refAcc);
    for (String key : List.of("epoch", "train_mse", "train_l2", "train_kl", "train_acc_decoded", "train_acc_bin",
        "val_mse", "val_l2", "val_kl", "val_acc_decoded", "val_acc_bin", "train_objective", "objective_gap",
        "seconds")) {
      assertTrue(lines.get(4).contains("\"" + key + "\": "), key + " in " + lines.get(4));
    }
    double acc = number(lines.get(4), "val_acc_decoded");
    assertTrue(acc > 0.3, "decoded validation accuracy after one epoch on 2000 images: " + acc);
    for (int i = 1; i < 5; i++) {
      String line = lines.get(i);
      double objective = number(line, "train_mse") + number(line, "train_l2");
      assertEquals(objective, number(line, "train_objective"), 1e-15 * objective, line);
      assertEquals(objective - refMse, number(line, "objective_gap"), 1e-15 * objective, line);
      // the least-squares map minimises the training MSE over linear maps; l2 adds to the objective
      assertTrue(number(line, "objective_gap") > 0, "gap of a linear model to the least-squares floor: " + line);
    }
    try (var entries = Files.list(out)) {
      assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left in " + out);
    }
    for (String f : List.of("history.hdf5", "curves-g0.0.png", "curves-g0.2.png", "g-sweep.png", "test-00000.png",
        "test-00002.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    Path h5 = out.resolve("history.hdf5");
    Map<String, Object> h = Hdf5.read(h5);
    Map<String, Object> provenance = Hdf5.attributes(h5);
    assertTrue(String.valueOf(provenance.get("command_line")).startsWith("nnstm regress"), provenance.toString());
    assertTrue(String.valueOf(provenance.get("backend")).startsWith("cpu"), provenance.toString());
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
    assertEquals(refMse, Hdf5.number(h, "reference_train_mse", h5));
    assertEquals(refAcc, Hdf5.number(h, "reference_val_acc_decoded", h5));
    assertEquals(number(lines.get(4), "objective_gap"), ((double[][]) h.get("objective_gap"))[1][1],
        "history.hdf5 keeps the gap in double");
  }

  private static double number(String jsonLine, String key) {
    String v = jsonLine.replaceAll(".*\"" + key + "\": ([-0-9.eE]+|NaN).*", "$1");
    return Double.parseDouble(v);
  }

  @Test
  void referenceAlonePrintsOneLineAndWritesNothing() throws IOException {
    Path data = TestData.mnist();
    TrainCommandTest.Result r = TrainCommandTest.run("regress", "--reference", "--data", data.toString(),
        "--train-limit", "1000", "--bins", "50");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("reference (closed-form least-squares linear map"), lines.get(0));
    assertTrue(lines.get(0).contains("not a bound"), lines.get(0));
    assertTrue(number(lines.get(0).replaceAll(".*val_dec ([0-9.]+).*", "\"x\": $1"), "x") > 0.6, lines.get(0));
  }

  @Test
  void withoutOutOrReferenceItRefuses() {
    TrainCommandTest.Result r = TrainCommandTest.run("regress", "--backend", "cpu");
    assertEquals(2, r.code(), r.err());
    assertEquals("nnstm: error: regress needs --out DIR (or --reference, which writes nothing)", r.err().strip());
  }

  @Test
  void aRunThatFailsAfterCreatingItsDirectoryRemovesItAgain() throws IOException {
    Path data = TestData.mnist();
    Path out = dir.resolve("failed");
    // a batch of 2e6 rows cannot be allocated (784 x 2e6 floats): refused after --out was created
    TrainCommandTest.Result r = TrainCommandTest.run("regress", "--backend", "cpu", "--data", data.toString(),
        "--train-limit", "100", "--bins", "20", "--widths", "8", "--batch", "2000000", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("nnstm: error: ")).count(), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(out), "the empty directory the run created is gone");
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
        {"--hidden-activation", "relu"},
        {"--bins", "100000000"},
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
