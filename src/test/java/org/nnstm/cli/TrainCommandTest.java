package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.data.MnistFetcher;
import org.nnstm.io.Hdf5;
import picocli.CommandLine;

/** The train command end to end on a 5,000-image slice, and its one-line errors on bad input. */
class TrainCommandTest {
  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code prefix + c + --out out} for each case c and checks the bad-input contract: exit code 2, one
   * line "nnstm: error: ...", nothing on stdout, and no output directory.
   */
  static void assertRejected(Path out, String[] prefix, String[]... cases) {
    for (String[] c : cases) {
      List<String> args = new java.util.ArrayList<>(List.of(prefix));
      args.addAll(List.of(c));
      args.add("--out");
      args.add(out.toString());
      Result r = run(args.toArray(new String[0]));
      String what = String.join(" ", args);
      assertEquals(2, r.code(), what + " -> " + r.err());
      assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
      assertTrue(errorLine(r).startsWith("nnstm: error: "), r.err());
      assertEquals("", r.out(), what);
      assertFalse(Files.exists(out), what + " created " + out);
    }
  }

  static Path mnistOrSkip() throws IOException {
    return TestData.mnist();
  }

  @Test
  void trainsWellAboveChanceOnA5000ImageSliceAndWritesTheReferenceFiles() throws IOException {
    Path data = mnistOrSkip();
    Path out = dir.resolve("run");
    Result r = run("train", "--backend", "cpu", "--data", data.toString(), "--depth", "3", "--var-w", "1.5,2.5",
        "--seeds", "2", "--epochs", "1", "--train-limit", "5000", "--params", "--hooks", "--hook-samples", "16",
        "--json", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    for (String line : lines) {
      assertTrue(line.startsWith("{\"var_w\": ") && line.contains("\"epoch\": 1"), line);
      double acc = Double.parseDouble(line.replaceAll(".*\"val_acc\": ([0-9.eE-]+).*", "$1"));
      assertTrue(acc > 0.6, "validation accuracy " + acc + " after one epoch on 5000 images: " + line);
    }
    Path acc = out.resolve("acc-150-3-s1.hdf5");
    Map<String, Object> f = Hdf5.read(acc);
    assertEquals(1.5, Hdf5.number(f, "var_weight", acc));
    assertEquals(3.0, Hdf5.number(f, "depth", acc));
    assertEquals(1, Hdf5.vector(f, "accuracies", acc).length);
    Path para = out.resolve("e0-para-250-3-s0.hdf5");
    Map<String, Object> p = Hdf5.read(para);
    assertEquals(784, Hdf5.matrix(p, "W0", para).length);
    assertEquals(784, Hdf5.matrix(p, "W0", para)[0].length);
    assertEquals(10, Hdf5.matrix(p, "W2", para).length);
    assertEquals(400, Hdf5.vector(p, "B1", para).length);
    Path hooks = out.resolve("init-hooks-150-3-s0.hdf5");
    Map<String, Object> h = Hdf5.read(hooks);
    assertEquals(16, Hdf5.matrix(h, "in-2", hooks).length);
    assertEquals(10, Hdf5.matrix(h, "in-2", hooks)[0].length);
    try (Stream<Path> s = Files.list(out)) {
      // 4 models x (acc + init/e0 para + init/e0 hooks), and the run manifest
      assertEquals(4 * 5 + 1, s.count());
    }
  }

  @Test
  void badInputIsOneLineExitTwoAndNoOutputFiles() throws IOException {
    Path out = dir.resolve("never");
    String[][] cases = {
        {"train", "--depth", "2", "--layout", "wide", "--var-w", "1", "--out", out.toString()},
        {"train", "--depth", "3", "--var-w", "-1", "--out", out.toString()},
        {"train", "--depth", "3", "--var-w", "1:0:0.1", "--out", out.toString()},
        {"train", "--depth", "3", "--var-w", "abc", "--out", out.toString()},
        {"train", "--depth", "3", "--var-w", "1", "--lr", "0", "--out", out.toString()},
        {"train", "--widths", "784,0,10", "--var-w", "1", "--out", out.toString()},
        {"train", "--depth", "3", "--var-w", "1", "--backend", "tpu", "--out", out.toString()},
    };
    for (String[] c : cases) {
      Result r = run(c);
      assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
      assertTrue(errorLine(r).startsWith("nnstm: error: "), r.err());
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(out), "no output directory for rejected arguments");
  }

  /** --activation takes any activation's name and rejects only unknown ones, naming them (train and grid). */
  @Test
  void anUnknownActivationIsNamedAndRefused() {
    Path out = dir.resolve("never");
    for (String cmd : new String[] {"train", "grid"}) {
      Result r = run(cmd, "--depth", "3", "--var-w", "1", "--activation", "frob", "--out", out.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(errorLine(r).contains("unknown activation 'frob'"), r.err());
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void corruptMnistIsAClearError() throws IOException {
    Path data = dir.resolve("mnist");
    Files.createDirectories(data);
    for (String name : org.nnstm.data.Mnist.FILES) {
      Files.write(data.resolve(name), new byte[] {0x50, 0x4b, 3, 4, 0, 0, 0, 0});
    }
    Path out = dir.resolve("o");
    Result r = run("train", "--backend", "cpu", "--data", data.toString(), "--depth", "3", "--var-w", "1",
        "--epochs", "1", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("train-images-idx3-ubyte: not an IDX image file"), r.err());
    assertFalse(Files.exists(out), "no output directory when the data is bad");
  }

  @Test
  void unwritableOutputIsAClearError() throws IOException {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    Result r = run("train", "--backend", "cpu", "--depth", "3", "--var-w", "1", "--out",
        blocker.resolve("sub").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(errorLine(r).startsWith("nnstm: error: cannot create output directory"), r.err());
  }

  @Test
  void cudaWithoutAGpuIsAClearErrorAndAutoFallsBackWithANotice() {
    boolean gpu;
    try (org.nnstm.tensor.Backend b = org.nnstm.tensor.Backends.cuda(0)) {
      gpu = true;
    } catch (org.nnstm.tensor.BackendUnavailableException e) {
      gpu = false;
    }
    Assumptions.assumeFalse(gpu, "a CUDA device is present: the no-GPU behaviour cannot be checked here");
    Result cuda = run("bench-step", "--backend", "cuda", "--depth", "3", "--steps", "1", "--repeats", "1");
    assertEquals(2, cuda.code(), cuda.err());
    assertTrue(cuda.err().startsWith("nnstm: error: no CUDA device")
        || cuda.err().startsWith("nnstm: error: no NVIDIA driver"), cuda.err());
    assertEquals(1, cuda.err().strip().lines().count(), cuda.err());
    Result auto = run("bench-step", "--backend", "auto", "--depth", "3", "--steps", "1", "--repeats", "1",
        "--warmup", "0", "--json");
    assertEquals(0, auto.code(), auto.err());
    assertTrue(auto.err().startsWith("nnstm: backend: cpu") && (auto.err().contains("(auto: no CUDA device")
        || auto.err().contains("(auto: no NVIDIA driver")),
        auto.err());
    assertTrue(auto.out().contains("\"ms_per_step\""), auto.out());
  }

  /** stderr without the backend banner ({@code nnstm: backend: ...}) that a command prints once it opens its backend. */
  private static String errorLine(Result r) {
    return r.err().lines().filter(l -> !l.startsWith("nnstm: backend: ")).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
