package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnstm.testing.Tolerance.DOUBLE_ATOL;
import static org.nnstm.testing.Tolerance.DOUBLE_RTOL;
import static org.nnstm.testing.Tolerance.assertClose;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.prior.GaussianKde;
import picocli.CommandLine;

class KdeCommandTest {
  @TempDir
  Path dir;

  /** Runs a command that must succeed, returning stdout. */
  static String run(Object command, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    Throwable[] thrown = new Throwable[1];
    cl.setExecutionExceptionHandler((e, c, p) -> {
      thrown[0] = e;
      return 2;
    });
    int rc = cl.execute(args);
    assertEquals(0, rc, () -> "exit code, exception: " + thrown[0]);
    return out.toString();
  }

  /** Runs a command that must fail with IllegalArgumentException (Main maps it to exit code 2); returns it. */
  static IllegalArgumentException runFailing(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(new StringWriter()));
    Throwable[] thrown = new Throwable[1];
    cl.setExecutionExceptionHandler((e, c, p) -> {
      thrown[0] = e;
      return 2;
    });
    assertEquals(2, cl.execute(args), "exit code");
    assertTrue(thrown[0] instanceof IllegalArgumentException, () -> "thrown: " + thrown[0]);
    return (IllegalArgumentException) thrown[0];
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void printsOneDensityPerLineAndJson() throws IOException {
    Path s = write("s.csv", "x,y\n0,0\n1,0.5\n-1,2\n0.3,-1\n2,1\n");
    Path p = write("p.csv", "0,0\n1,1\n5,-3\n");
    double[][] samples = {{0, 0}, {1, 0.5}, {-1, 2}, {0.3, -1}, {2, 1}};
    double[][] pts = {{0, 0}, {1, 1}, {5, -3}};
    double[] expected = new GaussianKde(samples, GaussianKde.Bandwidth.silverman(), null).pdf(pts);
    String text = run(new KdeCommand(), "--samples", s.toString(), "--points", p.toString(), "--bw", "silverman");
    String[] lines = text.trim().split("\\R");
    assertEquals(3, lines.length);
    double[] got = new double[3];
    for (int j = 0; j < 3; j++) {
      got[j] = Double.parseDouble(lines[j]);
    }
    assertClose("cli pdf", expected, got, DOUBLE_ATOL, DOUBLE_RTOL);
    String json = run(new KdeCommand(), "--samples", s.toString(), "--points", p.toString(), "--bw", "silverman",
        "--json");
    assertEquals("{\"density\": [" + expected[0] + ", " + expected[1] + ", " + expected[2] + "]}", json.trim());
  }

  @Test
  void backendPathAgreesToFloatPrecision() throws IOException {
    Path s = write("s.csv", "x,y\n0,0\n1,0.5\n-1,2\n0.3,-1\n2,1\n");
    Path p = write("p.csv", "0,0\n1,1\n5,-3\n");
    double[][] samples = {{0, 0}, {1, 0.5}, {-1, 2}, {0.3, -1}, {2, 1}};
    double[][] pts = {{0, 0}, {1, 1}, {5, -3}};
    double[] expected = new GaussianKde(samples).pdf(pts);
    String text = run(new KdeCommand(), "--samples", s.toString(), "--points", p.toString(), "--backend", "cpu");
    String[] lines = text.trim().split("\\R");
    double[] got = new double[3];
    for (int j = 0; j < 3; j++) {
      got[j] = Double.parseDouble(lines[j]);
    }
    assertClose("cli pdf on the cpu backend", expected, got, 1e-9, 1e-4);
    runFailing(new KdeCommand(), "--samples", s.toString(), "--points", p.toString(), "--backend", "tpu");
  }

  @Test
  void weightsAndFactor() throws IOException {
    Path s = write("s.csv", "0.5\n1.5\n-0.25\n");
    Path w = write("w.csv", "1\n2\n3\n");
    Path p = write("p.csv", "0.1\n");
    double expected = new GaussianKde(new double[][] {{0.5}, {1.5}, {-0.25}}, GaussianKde.Bandwidth.factor(0.7),
        new double[] {1, 2, 3}).pdf(new double[] {0.1})[0];
    String text = run(new KdeCommand(), "--samples", s.toString(), "--points", p.toString(), "--bw", "0.7",
        "--weights", w.toString());
    assertClose("weighted", expected, Double.parseDouble(text.trim()), DOUBLE_ATOL, DOUBLE_RTOL);
  }

  @Test
  void badInputGivesClearErrors() throws IOException {
    Path s = write("s.csv", "1,2\n3,4\n5,x7\n");
    Path p = write("p.csv", "1,2\n");
    IllegalArgumentException e = runFailing(new KdeCommand(), "--samples", s.toString(), "--points", p.toString());
    assertTrue(e.getMessage().contains("line 3 column 2") && e.getMessage().contains("x7"), e.getMessage());
    Path s2 = write("s2.csv", "1,2\n3,4\n5,7\n");
    Path p3 = write("p3.csv", "1,2,3\n");
    e = runFailing(new KdeCommand(), "--samples", s2.toString(), "--points", p3.toString());
    assertTrue(e.getMessage().contains("3 columns") && e.getMessage().contains("has 2"), e.getMessage());
    Path ragged = write("r.csv", "1,2\n3\n");
    e = runFailing(new KdeCommand(), "--samples", ragged.toString(), "--points", p.toString());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    Path w = write("w.csv", "1\n2\n");
    e = runFailing(new KdeCommand(), "--samples", s2.toString(),
        "--points", p.toString(), "--weights", w.toString());
    assertTrue(e.getMessage().contains("2 weights"), e.getMessage());
    e = runFailing(new KdeCommand(), "--samples", s2.toString(),
        "--points", p.toString(), "--bw", "wide");
    assertTrue(e.getMessage().contains("wide"), e.getMessage());
    e = runFailing(new KdeCommand(), "--samples",
        dir.resolve("missing.csv").toString(), "--points", p.toString());
    assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());
  }
}
