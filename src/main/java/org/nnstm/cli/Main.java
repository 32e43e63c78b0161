package org.nnstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.nnstm.tensor.BackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The nnstm command line. The only place (with its command classes) that prints or exits. Errors a user
 * can fix (bad arguments, bad files, no GPU) end as one line {@code nnstm: error: ...} on stderr and
 * exit code 2 (a usage error names the help to read on the same line: {@code (see: nnstm kde --help)}); set
 * NNSTM_DEBUG=1 for stack traces. Other failures exit with 1.
 */
@Command(name = "nnstm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Statistical mechanics of neural networks: ensemble training on MNIST, exact priors, "
        + "mean-field criticality.",
    subcommands = {QuickstartCommand.class, TrainCommand.class, FetchMnistCommand.class, KdeCommand.class,
        JsCommand.class, PriorCommand.class, MeanfieldCommand.class, GridCommand.class, PlotCommand.class, AnalyzeCommand.class,
        BenchStepCommand.class, BenchPeakCommand.class, RegressCommand.class, CommandLine.HelpCommand.class})
public final class Main extends CommonOptions.Group {
  /** Exit code for a user error (bad input, missing data, no device). */
  public static final int USER_ERROR = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line with the process's standard streams; returns the exit code. */
  public static int execute(String... args) {
    return commandLine(args).execute(args);
  }

  /**
   * The command line for these arguments: where args[0] names one of our subcommands, a parent holding only
   * that one (picocli inspects every option of every subcommand it is given: about 0.3 s of CPU at start-up,
   * most of a short command's time); otherwise {@link #commandLine()}.
   */
  static CommandLine commandLine(String... args) {
    if (args.length > 0) {
      for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
        Command c = sub.getAnnotation(Command.class);
        if (sub.getPackage() == Main.class.getPackage() && c != null && c.name().equals(args[0])) {
          CommandLine.Model.CommandSpec parent = CommandLine.Model.CommandSpec.wrapWithoutInspection(new Main())
              .name("nnstm").mixinStandardHelpOptions(true).versionProvider(new Version());
          return configure(new CommandLine(parent).addSubcommand(new CommandLine(sub)));
        }
      }
    }
    return commandLine();
  }

  /** The configured picocli command line (for tests: set its out/err writers). */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new Main()));
  }

  private static CommandLine configure(CommandLine cl) {
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("nnstm: error: " + oneLine(ex.getMessage()) + " (see: "
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
      err.flush();
      return USER_ERROR;
    });
    return cl;
  }

  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean debug = System.getenv("NNSTM_DEBUG") != null;
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    int code;
    String msg;
    if (t instanceof IllegalArgumentException || t instanceof BackendUnavailableException
        || t instanceof UserException) {
      code = USER_ERROR;
      msg = t.getMessage();
    } else if (t instanceof NoSuchFileException) {
      code = USER_ERROR;
      msg = "no such file: " + t.getMessage();
    } else if (t instanceof AccessDeniedException) {
      code = USER_ERROR;
      msg = "permission denied: " + t.getMessage();
    } else if (t instanceof FileSystemException fs) {
      code = USER_ERROR;
      msg = fs.getFile() + ": " + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason());
    } else if (t instanceof IOException) {
      code = USER_ERROR;
      msg = t.getMessage();
    } else if (t instanceof OutOfMemoryError) {
      code = 1;
      msg = "out of Java heap memory; try fewer models per pass or a larger -Xmx (JAVA_OPTS)";
    } else {
      code = 1;
      msg = "internal error: " + t;
    }
    err.println("nnstm: error: " + oneLine(msg));
    if (debug || code == 1) {
      if (debug) {
        t.printStackTrace(err);
      } else {
        err.println("(set NNSTM_DEBUG=1 for the stack trace)");
      }
    }
    err.flush();
    return code;
  }

  /** The message on one line: its line breaks (and the blanks around them) become "; ". */
  static String oneLine(String message) {
    return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** A problem the user can fix, reported as one line. */
  static class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
      super(message);
    }

    public UserException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nnstm " + (v == null ? "(development build)" : v)};
    }
  }
}
