package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnstm.tensor.Activation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared options: the table's header and rows, the JSON rows, the activation names. */
class CommonOptionsTest {
  @Command(name = "t")
  static final class TableCommand implements Runnable {
    @Mixin
    CommonOptions.Output output;

    @Override
    public void run() {
      CommonOptions.Table t = output.table("%-6s %8.3f %s", "name", "value", "note");
      t.row("a", 1.5, "x");
      t.row("bb", Double.NaN, "y \"q\"");
    }
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new TableCommand());
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute(args));
    return out.toString().replace(System.lineSeparator(), "\n");
  }

  @Test
  void tableTextHasTheKeysAlignedAsTheValues() {
    assertEquals("name      value note\na         1.500 x\nbb          NaN y \"q\"\n", run());
  }

  @Test
  void tableJsonHasOneObjectPerRow() {
    assertEquals("{\"name\": \"a\", \"value\": 1.5, \"note\": \"x\"}\n"
        + "{\"name\": \"bb\", \"value\": null, \"note\": \"y \\\"q\\\"\"}\n", run("--json"));
  }

  @Test
  void headersOfTheCommandsTables() {
    assertEquals("var_w    var_b    q_star        chi_1         c_star        chi_c         xi_c          xi_q          phase",
        new CommonOptions.Table(null, "%-8s %-8s %-13.10g %-13.10g %-13.10g %-13.10g %-13.6g %-13.6g %s",
            new String[] {"var_w", "var_b", "q_star", "chi_1", "c_star", "chi_c", "xi_c", "xi_q", "phase"},
            new String[] {"var_w", "var_b", "q_star", "chi_1", "c_star", "chi_c", "xi_c", "xi_q", "phase"}).header());
    String[] epoch = {"var_w", "var_b", "depth", "seed", "epoch", "train_loss", "val_loss", "val_acc", "seconds"};
    assertEquals("var_w   var_b  depth  seed  epoch  train_loss  val_loss  val_acc  seconds",
        new CommonOptions.Table(null, "%-7.4g %-6.4g %5d %5d %6d  %10.5f  %8.5f  %7.4f  %7.1f", epoch, epoch)
            .header());
    String[] pct = {"gain", "share", "n"};
    assertEquals("  gain share%   n", new CommonOptions.Table(null, "%+6.1f %5.0f%% %03d", pct, pct).header());
    assertThrows(IllegalArgumentException.class,
        () -> new CommonOptions.Table(null, "%s %s", new String[] {"a", "b"}, new String[] {"a"}));
  }

  @Command(name = "g")
  static final class GridCommand implements Runnable {
    @Mixin
    CommonOptions.RequiredVarW varW;

    double[] values;

    @Override
    public void run() {
      values = varW.values();
    }
  }

  @Command(name = "o")
  static final class OptionalGridCommand implements Runnable {
    @Mixin
    CommonOptions.VarW varW;

    @Override
    public void run() {
      varW.values();
    }
  }

  @Test
  void varWGridRequiredOrOptional() {
    GridCommand g = new GridCommand();
    CommandLine cl = new CommandLine(g);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(0, cl.execute("--var-w", "1.0:2.0:0.5"));
    assertEquals(List.of(1.0, 1.5, 2.0), List.of(g.values[0], g.values[1], g.values[2]));
    assertEquals(2, cl.execute());
    assertTrue(err.toString().startsWith("Missing required option: '--var-w=LIST|A:B:S'"), err.toString());
    OptionalGridCommand o = new OptionalGridCommand();
    assertEquals(0, new CommandLine(o).parseArgs().errors().size());
    assertFalse(o.varW.given());
    assertThrows(IllegalArgumentException.class, () -> o.varW.values());
  }

  @Test
  void jsonKeysAndValuesMustPairUp() {
    assertEquals("{\"a\": 1.0, \"b\": [1.0, null], \"c\": true}",
        JsonLine.of("a", 1.0, "b", new double[] {1, Double.POSITIVE_INFINITY}, "c", true));
    assertThrows(IllegalArgumentException.class, () -> JsonLine.of("a", 1.0, "b"));
    assertThrows(IllegalArgumentException.class, () -> JsonLine.of("a", 1.0, "a", 2.0));
    assertThrows(IllegalArgumentException.class, () -> JsonLine.of(1, 2.0));
  }

  @Test
  void activationNamesAreTheEnumsLabels() {
    List<String> names = new ArrayList<>();
    new CommonOptions.ActivationOption.Names().forEach(names::add);
    List<String> labels = new ArrayList<>();
    for (Activation a : Activation.values()) {
      labels.add(a.label());
    }
    assertEquals(labels, names);
  }
}
