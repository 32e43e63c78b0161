package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnstm.testing.Tolerance.assertClose;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile input to {@code nnstm kde} and {@code nnstm js} through Main: exit codes and one-line messages. */
class KdeCommandInputTest {
  /** scipy 1.10.1 gaussian_kde([1, 2, 3.5, -0.5, 0.25]).evaluate([0, 1.5]). */
  private static final double[] SCIPY_DENSITY = {0.1958600061097975, 0.1957898700975434};
  private static final double SCIPY_RTOL = 1e-12;

  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {}

  private static Result main(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine(args); // the path Main.execute takes: only the named subcommand built
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private Path write(String name, String text) throws IOException {
    return write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static double[] numbers(String text) {
    String[] lines = text.trim().split("\\R");
    double[] v = new double[lines.length];
    for (int i = 0; i < lines.length; i++) {
      v[i] = Double.parseDouble(lines[i]);
    }
    return v;
  }

  /** The issue's case: a UTF-8 byte-order mark before the first sample no longer drops it. */
  @Test
  void byteOrderMarkKeepsTheFirstSample() throws IOException {
    byte[] body = "1\n2\n3.5\n-0.5\n0.25\n".getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[body.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, bom, 3, body.length);
    Path s = write("s.csv", bom);
    Path p = write("p.csv", "0\n1.5\n");
    Result r = main("kde", "--samples", s.toString(), "--points", p.toString());
    assertEquals(0, r.code, r.err);
    assertClose("kde of a BOM file vs scipy", SCIPY_DENSITY, numbers(r.out), 0, SCIPY_RTOL);
    Path headed = write("h.csv", "\uFEFFx\n1\n2\n3.5\n-0.5\n0.25\n");
    r = main("kde", "--samples", headed.toString(), "--points", p.toString());
    assertEquals(0, r.code, r.err);
    assertClose("kde of a BOM file with header vs scipy", SCIPY_DENSITY, numbers(r.out), 0, SCIPY_RTOL);
  }

  /** The parallel block formatting of the densities against a plain sequential loop. */
  @Test
  void formatIsTheSequentialJoin() {
    java.util.Random rng = new java.util.Random(19);
    for (int n : new int[] {1, 2, 2047, 2048, 2049, 5000}) {
      double[] v = new double[n];
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < n; i++) {
        v[i] = Math.exp(-40 * rng.nextDouble()) * (i % 7 == 0 ? 0 : 1);
        expected.append(i == 0 ? "" : "\n").append(Double.toString(v[i]));
      }
      assertEquals(expected.toString(), KdeCommand.format(v, "\n"), "n = " + n);
    }
  }

  static Stream<Arguments> badRuns() {
    List<Arguments> cases = new ArrayList<>();
    // {samples text, points text, weights text or null, extra args, message fragments}
    cases.add(Arguments.of("typo in the first sample", "1.o\n2\n3.5\n", "0\n", null, List.of(),
        List.of("s.csv line 1 column 1: not a number: '1.o'")));
    cases.add(Arguments.of("typo in the first point", "1\n2\n3.5\n", "O.5\n1\n", null, List.of("--header", "no"),
        List.of("p.csv line 1 column 1: not a number: 'O.5'")));
    cases.add(Arguments.of("NaN sample", "1\nnan\n3\n", "0\n", null, List.of(),
        List.of("s.csv line 2 column 1: not finite: 'nan'")));
    cases.add(Arguments.of("infinite point", "1\n2\n3\n", "0\n-Infinity\n", null, List.of(),
        List.of("p.csv line 2 column 1: not finite: '-Infinity'")));
    cases.add(Arguments.of("overflowing sample", "1\n2e400\n3\n", "0\n", null, List.of(),
        List.of("s.csv line 2 column 1: beyond the double range")));
    cases.add(Arguments.of("ragged samples", "1,2\n3,4\n5\n", "0,0\n", null, List.of(),
        List.of("s.csv line 3: 1 columns, but earlier rows have 2")));
    cases.add(Arguments.of("empty samples", "", "0\n", null, List.of(), List.of("s.csv: no data rows (empty file)")));
    cases.add(Arguments.of("header-only points", "1\n2\n", "x\n", null, List.of(),
        List.of("p.csv: no data rows (only a header, line 1)")));
    cases.add(Arguments.of("one sample", "1\n", "0\n", null, List.of(),
        List.of("s.csv: KDE needs at least 2 samples")));
    cases.add(Arguments.of("points of another dimension", "1,2\n3,4\n5,7\n", "1,2,3\n", null, List.of(),
        List.of("p.csv has 3 columns but", "s.csv has 2")));
    cases.add(Arguments.of("weights of another length", "1\n2\n3\n", "0\n", "1\n2\n", List.of(),
        List.of("w.csv has 2 weights but", "3 samples")));
    cases.add(Arguments.of("NaN weight", "1\n2\n3\n", "0\n", "1\nNaN\n2\n", List.of(),
        List.of("w.csv line 2 column 1: not finite")));
    cases.add(Arguments.of("unknown --header", "1\n2\n", "0\n", null, List.of("--header", "maybe"),
        List.of("unknown --header 'maybe'")));
    cases.add(Arguments.of("header declared, data wider", "x\n1,2\n3,4\n", "0,0\n", null, List.of("--header", "yes"),
        List.of("s.csv line 2: 2 columns, but the header (line 1) has 1")));
    cases.add(Arguments.of("constant samples", "5\n5\n5\n", "0\n", null, List.of(),
        List.of("s.csv: data covariance is singular: all 3 samples are equal")));
    cases.add(Arguments.of("collinear samples", "1,2\n2,4\n3,6\n", "0,0\n", null, List.of(),
        List.of("s.csv: data covariance is singular")));
    cases.add(Arguments.of("negative weight", "1\n2\n3\n", "0\n", "1\n-2\n3\n", List.of(),
        List.of("w.csv: weight 2 (of 3) must be > 0, got -2.0")));
    cases.add(Arguments.of("zero weight", "1\n2\n3\n", "0\n", "0\n2\n3\n", List.of(),
        List.of("w.csv: weight 1 (of 3) must be > 0, got 0.0")));
    cases.add(Arguments.of("zero bandwidth", "1\n2\n3\n", "0\n", null, List.of("--bw", "0"),
        List.of("bandwidth factor must be finite and > 0, got 0.0")));
    cases.add(Arguments.of("NaN bandwidth", "1\n2\n3\n", "0\n", null, List.of("--bw", "NaN"),
        List.of("bandwidth must be scott, silverman or a positive number, got 'NaN'")));
    cases.add(Arguments.of("unknown backend", "1\n2\n3\n", "0\n", null, List.of("--backend", "tpu"),
        List.of("unknown --backend 'tpu'")));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRuns")
  void kdeRejectsBadInputInOneLine(String what, String samples, String points, String weights, List<String> extra,
      List<String> fragments) throws IOException {
    List<String> args = new ArrayList<>(List.of("kde", "--samples", write("s.csv", samples).toString(),
        "--points", write("p.csv", points).toString()));
    if (weights != null) {
      args.add("--weights");
      args.add(write("w.csv", weights).toString());
    }
    args.addAll(extra);
    Result r = main(args.toArray(new String[0]));
    assertOneLineUserError(what, r, fragments);
  }

  @Test
  void unreadableInputIsNamed() throws IOException {
    Path p = write("p.csv", "0\n");
    Result r = main("kde", "--samples", dir.toString(), "--points", p.toString());
    assertOneLineUserError("directory as samples", r, List.of("cannot read " + dir));
    r = main("kde", "--samples", dir.resolve("missing.csv").toString(), "--points", p.toString());
    assertOneLineUserError("missing samples", r,
        List.of("cannot read " + dir.resolve("missing.csv") + ": no such file"));
  }

  @Test
  void jsRejectsBadInputInOneLine() throws IOException {
    Path good = write("q.csv", "1\n2\n3\n");
    Result r = main("js", "--p", write("p.csv", "1.o\n2\n3\n").toString(), "--q", good.toString());
    assertOneLineUserError("js typo", r, List.of("p.csv line 1 column 1: not a number: '1.o'"));
    r = main("js", "--p", write("p2.csv", "1\ninf\n3\n").toString(), "--q", good.toString());
    assertOneLineUserError("js inf", r, List.of("p2.csv line 2 column 1: not finite: 'inf'"));
    r = main("js", "--p", write("p3.csv", "").toString(), "--q", good.toString());
    assertOneLineUserError("js empty", r, List.of("p3.csv: no data rows (empty file)"));
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1', '\n', '2', '\n', '3', '\n'};
    r = main("js", "--p", write("p4.csv", bom).toString(), "--q", good.toString());
    assertEquals(0, r.code, r.err);
    assertEquals(0.0, Double.parseDouble(r.out.trim()), "js of identical distributions (BOM dropped)");
  }

  private static void assertOneLineUserError(String what, Result r, List<String> fragments) {
    assertEquals(2, r.code, () -> what + ": exit code; stderr: " + r.err);
    assertEquals("", r.out, what + ": nothing on stdout");
    String err = r.err.strip();
    assertTrue(err.startsWith("nnstm: error: ") && !err.contains("\n"), () -> what + ": not one line: " + err);
    assertTrue(!err.contains("Exception") && !err.contains("\tat "), () -> what + ": stack trace: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), () -> what + ": '" + err + "' lacks '" + f + "'");
    }
  }
}
