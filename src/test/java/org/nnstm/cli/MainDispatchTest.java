package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main.commandLine(args), which builds only the named subcommand, behaves as the full command line. */
class MainDispatchTest {
  @Test
  void eachSubcommandHasTheSameUsageAsInTheFullCommandLine() {
    CommandLine full = Main.commandLine();
    int lazy = 0;
    for (var e : full.getSubcommands().entrySet()) {
      CommandLine single = Main.commandLine(e.getKey());
      CommandLine sub = single.getSubcommands().get(e.getKey());
      if (e.getKey().equals("help")) {
        assertEquals(full.getSubcommands().keySet(), single.getSubcommands().keySet(), "help needs them all");
        continue;
      }
      assertEquals(1, single.getSubcommands().size(), e.getKey());
      assertEquals(e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF),
          sub.getUsageMessage(CommandLine.Help.Ansi.OFF), "usage of " + e.getKey());
      lazy++;
    }
    assertTrue(lazy >= 10, "subcommands built alone: " + lazy);
    assertEquals(full.getSubcommands().keySet(), Main.commandLine("--help").getSubcommands().keySet());
    assertEquals(full.getSubcommands().keySet(), Main.commandLine("no-such-command").getSubcommands().keySet());
  }

  @Test
  void badOptionsAndVersionThroughTheSingleCommandPath() {
    StringWriter err = new StringWriter();
    String[] args = {"kde", "--samples", "s.csv", "--points", "p.csv", "--no-such-option"};
    CommandLine cl = Main.commandLine(args);
    cl.setErr(new PrintWriter(err));
    assertEquals(Main.USER_ERROR, cl.execute(args));
    assertTrue(err.toString().startsWith("nnstm: error: Unknown option: '--no-such-option'")
        && err.toString().contains("(see: nnstm kde --help)"), err.toString());
    StringWriter out = new StringWriter();
    cl = Main.commandLine("kde", "--help");
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("kde", "--help"));
    assertTrue(out.toString().startsWith("Usage: nnstm kde "), out.toString());
  }
}
