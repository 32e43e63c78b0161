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
import org.nnstm.data.Mnist;
import org.nnstm.io.Hdf5;

/** prior compare end to end (small widths) and its one-line errors. */
class PriorCompareCommandTest {
  @TempDir
  Path dir;

  @Test
  void xNormRunWritesCsvHdf5AndFiguresWithShrinkingDistances() throws IOException {
    Path out = dir.resolve("pc");
    TrainCommandTest.Result r = TrainCommandTest.run("prior", "compare", "--backend", "cpu", "--widths", "30,8,4",
        "--var-w", "1.0,1.5", "--x-norm", "2.0", "--networks", "2000", "--json", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(6, lines.size(), r.out()); // 2 kinds x (100, 1000, 2000)
    for (String kind : List.of("radial", "marginal")) {
      List<Double> js = lines.stream().filter(l -> l.contains("\"kind\": \"" + kind + "\""))
          .map(l -> Double.parseDouble(l.replaceAll(".*\"js_distance\": ([0-9.eE-]+).*", "$1"))).toList();
      assertEquals(3, js.size());
      assertTrue(js.get(2) < js.get(0), kind + " JS shrinks from M = 100 to 2000: " + js);
    }
    for (String f : List.of("js.csv", "radial.csv", "marginal.csv", "radial.png", "marginal.png",
        "prior-compare.hdf5")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    Path h5 = out.resolve("prior-compare.hdf5");
    Map<String, Object> h = Hdf5.read(h5);
    Map<String, Object> provenance = Hdf5.attributes(h5);
    assertTrue(String.valueOf(provenance.get("command_line")).startsWith("nnstm prior compare"), provenance.toString());
    assertTrue(String.valueOf(provenance.get("backend")).startsWith("cpu"), provenance.toString());
    assertEquals(2000, Hdf5.matrix(h, "outputs_prior", h5).length);
    assertEquals(4, Hdf5.matrix(h, "outputs_prior", h5)[0].length);
    assertEquals(2.0, Hdf5.number(h, "x_norm", h5), 1e-6);
    assertEquals(Hdf5.vector(h, "radial_grid", h5).length, Hdf5.vector(h, "radial_kde_prior_2000", h5).length);
    assertEquals("r,exact,prior_100,prior_1000,prior_2000",
        Files.readAllLines(out.resolve("radial.csv")).get(0));
  }

  @Test
  void mnistInputWithTrainingAndLangevin() throws IOException {
    Path data = TestData.mnist();
    Path out = dir.resolve("pm");
    TrainCommandTest.Result r = TrainCommandTest.run("prior", "compare", "--backend", "cpu", "--data",
        data.toString(), "--widths", "784,16,10", "--var-w", "1.0", "--input", "mnist:0", "--networks", "300",
        "--train-epochs", "1", "--train-networks", "20", "--train-limit", "500", "--langevin-beta", "0",
        "--steps", "5", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("trained") && r.out().contains("langevin"), r.out());
    Path h5 = out.resolve("prior-compare.hdf5");
    Map<String, Object> h = Hdf5.read(h5);
    assertEquals(20, Hdf5.matrix(h, "outputs_trained", h5).length);
    assertEquals(20, Hdf5.matrix(h, "outputs_langevin", h5).length);
    float[] x = (float[]) h.get("input");
    float[] first = Mnist.load(data).train(1).images();
    assertEquals(784, x.length);
    for (int i = 0; i < 784; i++) {
      assertEquals(first[i], x[i], 0f, "input pixel " + i + " is training image 0");
    }
  }

  @Test
  void badInputIsOneLineExitTwoAndNoOutput() {
    String[][] cases = {
        {"--widths", "3,0,2", "--var-w", "1", "--x-norm", "1"},
        {"--widths", "3,4,2", "--var-w", "-1", "--x-norm", "1"},
        {"--widths", "3,4,2", "--var-w", "1,1,1", "--x-norm", "1"},
        {"--widths", "3,4,2", "--var-w", "1", "--x-norm", "-2"},
        {"--widths", "3,4,2", "--var-w", "1"},
        {"--widths", "3,4,2", "--var-w", "1", "--x-norm", "1", "--input", "mnist:0"},
        {"--widths", "784,4,10", "--var-w", "1", "--input", "cifar:3"},
        {"--widths", "3,4,2", "--var-w", "1", "--x-norm", "1", "--networks", "1"},
        {"--widths", "3,4,2", "--var-w", "1", "--x-norm", "1", "--train-epochs", "1"},
        {"--widths", "784,4,10", "--var-w", "1", "--x-norm", "1", "--langevin-beta", "-1"},
        {"--widths", "784,4,10", "--var-w", "1", "--x-norm", "1", "--train-epochs", "1", "--train-networks", "50",
            "--networks", "20"},
    };
    TrainCommandTest.assertRejected(dir.resolve("bad"), new String[] {"prior", "compare", "--backend", "cpu"}, cases);
  }
}
