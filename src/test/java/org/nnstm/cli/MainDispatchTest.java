package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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
    assertEquals("nnstm: error: Unknown option: '--no-such-option' (see: nnstm kde --help)", err.toString().strip());
    StringWriter out = new StringWriter();
    cl = Main.commandLine("kde", "--help");
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("kde", "--help"));
    assertTrue(out.toString().startsWith("Usage: nnstm kde "), out.toString());
  }

  /**
   * Every usage error picocli reports, for every command and subcommand, on both command-line paths (the full
   * one and the one built for the named subcommand): an unknown option, each option whose value must be a
   * number given "x", and the required options left out. Each is one stderr line "nnstm: error: ..." that
   * ends by naming the command's help, exit code 2, nothing on stdout.
   */
  @Test
  void everyUsageErrorIsOneLineNamingTheHelp() {
    List<CommandLine> commands = new ArrayList<>();
    collect(Main.commandLine(), commands);
    int checked = 0;
    for (CommandLine c : commands) {
      List<String> path = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName(" ").split(" ")));
      path.remove(0);
      List<List<String>> cases = new ArrayList<>();
      cases.add(with(path, "--no-such-option"));
      boolean required = false;
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
        if (Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class)) {
          cases.add(with(path, o.longestName(), "x"));
        }
        required |= o.required();
      }
      if (required) {
        cases.add(path);
      }
      String help = "(see: " + c.getCommandSpec().qualifiedName() + " --help)";
      for (List<String> a : cases) {
        String[] args = a.toArray(new String[0]);
        for (boolean lazy : new boolean[] {false, true}) {
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          CommandLine cl = lazy ? Main.commandLine(args) : Main.commandLine();
          cl.setOut(new PrintWriter(out));
          cl.setErr(new PrintWriter(err));
          String what = String.join(" ", a) + (lazy ? " (lazy)" : "") + " -> " + err;
          assertEquals(Main.USER_ERROR, cl.execute(args), what);
          assertEquals("", out.toString(), what);
          List<String> lines = err.toString().lines().toList();
          assertEquals(1, lines.size(), what);
          assertTrue(lines.get(0).startsWith("nnstm: error: ") && lines.get(0).endsWith(" " + help), what);
          checked++;
        }
      }
    }
    assertTrue(checked > 60, "usage errors checked: " + checked);
  }

  @Test
  void oneLineJoinsTheLinesOfAMessage() {
    assertEquals("a; b; c", Main.oneLine("a\n  b\r\nc\n"));
    assertEquals("null", Main.oneLine(null));
  }

  private static List<String> with(List<String> path, String... more) {
    List<String> a = new ArrayList<>(path);
    a.addAll(List.of(more));
    return a;
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    for (var e : c.getSubcommands().entrySet()) {
      if (!e.getKey().equals("help")) {
        into.add(e.getValue());
        collect(e.getValue(), into);
      }
    }
  }
}
