package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnstm.testing.Tolerance.assertClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsCommandTest {
  @TempDir
  Path dir;

  @Test
  void printsScipyDistance() throws IOException {
    // pair 2 of refs/js_vectors.csv as a column (p) and as a single row (q)
    Path p = dir.resolve("p.csv");
    Files.writeString(p, "p\n0.05\n0.02\n0.08\n0.1\n0.04\n0.06\n0.03\n0.07\n0.05\n0.05\n0.02\n0.09\n0.04\n0.06\n"
        + "0.03\n0.05\n0.04\n0.06\n0.02\n0.04\n");
    Path q = dir.resolve("q.csv");
    Files.writeString(q, "0.04,0.05,0.06,0.05,0.05,0.04,0.06,0.05,0.05,0.05,0.06,0.04,0.05,0.05,0.06,0.04,0.05,"
        + "0.05,0.05,0.05\n");
    String text = KdeCommandTest.run(new JsCommand(), "--p", p.toString(), "--q", q.toString());
    assertClose("js", 0.17560821212123598, Double.parseDouble(text.trim()), 0, 1e-12);
    String json = KdeCommandTest.run(new JsCommand(), "--p", p.toString(), "--q", q.toString(), "--base", "2",
        "--json");
    assertTrue(json.trim().startsWith("{\"js_distance\": ") && json.trim().endsWith("}"), json);
    double v = Double.parseDouble(json.trim().substring(16, json.trim().length() - 1));
    assertClose("js bits", 0.2109269587457408, v, 0, 1e-12);
  }

  @Test
  void badInput() throws IOException {
    Path p = dir.resolve("p.csv");
    Files.writeString(p, "1\n2\n3\n");
    Path q = dir.resolve("q.csv");
    Files.writeString(q, "1\n2\n");
    IllegalArgumentException e = KdeCommandTest.runFailing(new JsCommand(), "--p", p.toString(), "--q", q.toString());
    assertTrue(e.getMessage().contains("3 values") && e.getMessage().contains("2"), e.getMessage());
    Path m = dir.resolve("m.csv");
    Files.writeString(m, "1,2\n3,4\n5,6\n");
    e = KdeCommandTest.runFailing(new JsCommand(), "--p", m.toString(), "--q", p.toString());
    assertTrue(e.getMessage().contains("3 rows x 2 columns"), e.getMessage());
    Path neg = dir.resolve("n.csv");
    Files.writeString(neg, "1\n-2\n3\n");
    e = KdeCommandTest.runFailing(new JsCommand(), "--p", neg.toString(), "--q", p.toString());
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }
}
