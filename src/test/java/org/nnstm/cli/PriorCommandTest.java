package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/** {@code prior density} against the mpmath reference (refs/prior_reference.csv, config D3a) and its errors. */
class PriorCommandTest {
  @Test
  void densityMatchesMpmathReference() {
    // D3a: widths 3,4,4,2, sigma = 1.3, 0.8, 1.1 (variances 1.69, 0.64, 1.21), ||x||^2 = 5.25
    TrainCommandTest.Result r = TrainCommandTest.run("prior", "density", "--widths", "3,4,4,2",
        "--var-w", "1.69,0.64,1.21", "--x-norm", Double.toString(Math.sqrt(5.25)), "--at", "0.5,1e-06", "--json");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("{\"r\": 0.5, \"density\": "), lines.get(0));
    Tolerance.assertClose("log p(0.5)", -1.9653567300549524, field(lines.get(0), "log_density"), 0, 1e-10);
    Tolerance.assertClose("p(0.5)", 0.1401058977154827, field(lines.get(0), "density"), 0, 1e-10);
    Tolerance.assertClose("log p(1e-6)", -1.2802602794618052, field(lines.get(1), "log_density"), 0, 1e-10);
  }

  @Test
  void badInputIsAOneLineError() {
    String[][] cases = {
        {"prior", "density", "--widths", "3,0,2", "--var-w", "1", "--x-norm", "1", "--at", "1"},
        {"prior", "density", "--widths", "3,4,2", "--var-w", "-1", "--x-norm", "1", "--at", "1"},
        {"prior", "density", "--widths", "3,4,2", "--var-w", "1", "--x-norm", "1", "--at", "-0.5"},
        {"prior", "density", "--widths", "3,4,2", "--var-w", "1", "--x-norm", "1", "--at", "1", "--kind", "pdf"},
    };
    for (String[] c : cases) {
      TrainCommandTest.Result r = TrainCommandTest.run(c);
      assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
      assertTrue(r.err().startsWith("nnstm: error: ") && r.err().strip().lines().count() == 1, r.err());
    }
  }

  static double field(String json, String key) {
    return Double.parseDouble(json.replaceAll(".*\"" + key + "\": ([-0-9.eE]+).*", "$1"));
  }
}
