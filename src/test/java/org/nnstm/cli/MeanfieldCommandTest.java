package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;
import org.nnstm.testing.Tolerance;

class MeanfieldCommandTest {
  @Test
  void jsonLinesHaveTheDocumentedKeysAndTheRangeIncludesItsEnd() {
    TrainCommandTest.Result r = TrainCommandTest.run("meanfield", "--var-w", "1.0:3.0:0.5", "--var-b", "0.05", "--json");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(5, lines.size(), r.out());
    for (String l : lines) {
      assertTrue(l.matches("\\{\"var_w\": [0-9.]+, \"var_b\": 0.05, \"q_star\": .*, \"chi_1\": .*, \"c_star\": .*, "
          + "\"chi_c\": .*, \"xi_c\": .*, \"xi_q\": .*, \"phase\": \"(ordered|chaotic)\"}"), l);
    }
    assertTrue(lines.get(4).startsWith("{\"var_w\": 3.0,"), lines.get(4));
    assertTrue(lines.get(1).endsWith("\"phase\": \"ordered\"}") && lines.get(2).endsWith("\"phase\": \"chaotic\"}"));
  }

  @Test
  void reluBeyondItsCriticalLineIsARowSayingUnbounded() {
    // relu: q* = sigma_b^2 / (1 - sigma_w^2 / 2), finite only below sigma_w^2 = 2 (or at 2 with sigma_b^2 = 0)
    TrainCommandTest.Result r = TrainCommandTest.run("meanfield", "--var-w", "1.0,2.0,2.5", "--var-b", "0",
        "--activation", "relu", "--json");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(lines.get(1).endsWith("\"phase\": \"ordered\"}"), lines.get(1));
    assertEquals("{\"var_w\": 2.5, \"var_b\": 0.0, \"q_star\": null, \"chi_1\": null, \"c_star\": null, "
        + "\"chi_c\": null, \"xi_c\": null, \"xi_q\": null, \"phase\": \"unbounded\"}", lines.get(2));
    // the same for a linear network beyond sigma_w^2 = 1 (an error before the rows existed)
    r = TrainCommandTest.run("meanfield", "--var-w", "1.5", "--var-b", "0.05", "--activation", "linear");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().strip().endsWith("unbounded"), r.out());
    r = TrainCommandTest.run("meanfield", "--var-w", "1.0", "--var-b", "0.5", "--activation", "relu", "--json");
    Tolerance.assertClose("relu q* = 0.5 / (1 - 1/2)", 1.0, PriorCommandTest.field(r.out(), "q_star"), 0, 1e-12);
  }

  @Test
  void criticalPoint() {
    TrainCommandTest.Result r = TrainCommandTest.run("meanfield", "critical", "--var-b", "0.05", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{\"var_b\": 0.05, \"var_w\": "), r.out());
    Tolerance.assertClose("critical sigma_w^2", 1.7609546396067391473, PriorCommandTest.field(r.out(), "var_w"), 0, 1e-9);
    Tolerance.assertClose("q* there", 0.57004788164076416534, PriorCommandTest.field(r.out(), "q_star"), 0, 1e-9);
  }

  @Test
  void badInput() {
    for (String[] c : new String[][] {
        {"meanfield", "--var-w", "-1"}, {"meanfield"}, {"meanfield", "--var-w", "1", "--activation", "relu6"},
        {"meanfield", "--var-w", "1e16"}, {"meanfield", "critical", "--var-b", "-0.1"}}) {
      TrainCommandTest.Result r = TrainCommandTest.run(c);
      assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
      assertTrue(r.err().startsWith("nnstm: error: ") && r.err().strip().lines().count() == 1, r.err());
    }
  }

  /** The help lists every activation of the library, and each one runs through the table and critical. */
  @Test
  void everyActivationIsListedAndRuns() {
    TrainCommandTest.Result help = TrainCommandTest.run("meanfield", "--help");
    TrainCommandTest.Result criticalHelp = TrainCommandTest.run("meanfield", "critical", "--help");
    for (Activation a : Activation.values()) {
      assertTrue(help.out().contains(a.label()) && criticalHelp.out().contains(a.label()), a + ": " + help.out());
      TrainCommandTest.Result table = TrainCommandTest.run("meanfield", "--var-w", "0.5", "--activation", a.label());
      assertEquals(0, table.code(), a + ": " + table.err());
      assertEquals(2, table.out().lines().count(), table.out());
      TrainCommandTest.Result critical = TrainCommandTest.run("meanfield", "critical", "--activation", a.label(), "--json");
      assertEquals(0, critical.code(), a + ": " + critical.err());
      assertTrue(critical.out().startsWith("{\"var_b\": 0.05, \"var_w\": "), critical.out());
    }
  }

  /** Linear phi: chi_1 = sigma_w^2, so critical at 1, where q* = sigma_b^2 / (1 - 1) is unbounded (null), 0 without bias. */
  @Test
  void linearCriticalPoint() {
    TrainCommandTest.Result r = TrainCommandTest.run("meanfield", "critical", "--activation", "linear", "--json");
    assertEquals("{\"var_b\": 0.05, \"var_w\": 1.0, \"q_star\": null}", r.out().strip(), r.err());
    r = TrainCommandTest.run("meanfield", "critical", "--activation", "identity", "--var-b", "0");
    assertEquals("var_b 0.0  critical var_w 1.00000000000000  q_star 0.00000000000000", r.out().strip(), r.err());
  }
}
