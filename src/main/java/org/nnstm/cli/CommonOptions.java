package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nnstm.data.Mnist;
import org.nnstm.nn.Layouts;
import org.nnstm.tensor.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that several commands share, as picocli mixins ({@code @Mixin CommonOptions.Output output;}):
 * one declaration, one help text and one validation each. Each mixin's accessors return the parsed value, so
 * a command never re-parses option text itself. Where commands differ in a default, the command creates the
 * mixin with its default (picocli shows a mixin field's initial value as its default):
 * {@code @Mixin CommonOptions.Memory memory = new CommonOptions.Memory(4);}. Options that belong together are
 * grouped ({@link MnistEnsemble}: the MNIST ensembles of train and grid).
 */
final class CommonOptions {
  private CommonOptions() {}

  /**
   * A command that only groups subcommands: run without one, it prints its usage (exit code 0). Extend it and
   * name the subcommands in the {@code @Command} annotation.
   */
  abstract static class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** No option: the command's stdout and stderr, for a command that prints (picocli's writers, which tests set). */
  @Command
  static class Streams {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The command's standard output. */
    public PrintWriter out() {
      return command.commandLine().getOut();
    }

    /** The command's standard error. */
    public PrintWriter err() {
      return command.commandLine().getErr();
    }
  }

  /**
   * {@code --json}, and the command's stdout and stderr. Results go out as rows: with --json one JSON object a
   * line ({@link JsonLine}), else a text line; a command lists its JSON keys in its own description.
   */
  static class Output extends Streams {
    @Option(names = "--json", description = "Print JSON, one object per line (keys: see above), instead of text.")
    boolean json;

    /** Whether --json was given. */
    public boolean json() {
      return json;
    }

    /** One result: with --json the object of these keys and values ({@link JsonLine#of(Object...)}), else text. */
    public void row(String text, Object... keysAndValues) {
      PrintWriter out = out();
      out.println(json ? JsonLine.of(keysAndValues) : text);
      out.flush();
    }

    /**
     * A table whose rows are {@code format} (printf, {@link Locale#ROOT}) of the values and whose JSON keys are
     * {@code keys}, in order; the text header gets the keys aligned as the format aligns the values.
     */
    public Table table(String format, String... keys) {
      return new Table(this, format, keys, keys);
    }
  }

  /**
   * Rows with one value per column: a text header line (not with --json) before the first row, then one line a
   * row, flushed. The header's labels are the JSON keys unless {@link #labels} names others.
   */
  static final class Table {
    private final Output output;
    private final String format;
    private final String[] keys;
    private final String[] labels;
    private boolean started;

    Table(Output output, String format, String[] keys, String[] labels) {
      if (labels.length != keys.length) {
        throw new IllegalArgumentException(labels.length + " labels for " + keys.length + " columns");
      }
      this.output = output;
      this.format = format;
      this.keys = keys.clone();
      this.labels = labels.clone();
    }

    /** The same table with other labels in the text header (the JSON keys stay). */
    public Table labels(String... headerLabels) {
      return new Table(output, format, keys, headerLabels);
    }

    /**
     * The text header: each label in its column's width and alignment ({@code %-13.10g} gives {@code %-13s},
     * {@code %+8.1f} gives {@code %8s}); {@code %%} and {@code %n} stay.
     */
    String header() {
      Matcher m = CONVERSION.matcher(format);
      StringBuilder labelFormat = new StringBuilder();
      while (m.find()) {
        String c = m.group().equals("%%") || m.group().equals("%n") ? m.group()
            : "%" + (m.group(1).contains("-") ? "-" : "") + m.group(2) + "s";
        m.appendReplacement(labelFormat, Matcher.quoteReplacement(c));
      }
      m.appendTail(labelFormat);
      return String.format(Locale.ROOT, labelFormat.toString(), (Object[]) labels);
    }

    /** A printf conversion: flags, width, precision, conversion character; or %% or %n. */
    private static final Pattern CONVERSION = Pattern.compile("%%|%n|%([-#+ 0,(]*)(\\d*)(\\.\\d+)?[a-zA-Z]");

    /** Prints one row (and the header first, for text output). */
    public void row(Object... values) {
      if (values.length != keys.length) {
        throw new IllegalArgumentException(values.length + " values for " + keys.length + " columns");
      }
      PrintWriter out = output.out();
      if (output.json) {
        Object[] kv = new Object[2 * keys.length];
        for (int i = 0; i < keys.length; i++) {
          kv[2 * i] = keys[i];
          kv[2 * i + 1] = values[i];
        }
        out.println(JsonLine.of(kv));
      } else {
        if (!started) {
          out.println(header());
        }
        out.println(String.format(Locale.ROOT, format, values));
      }
      started = true;
      out.flush();
    }

    /** Prints the text header now even if no row follows (nothing with --json). */
    public void start() {
      if (!started && !output.json) {
        output.out().println(header());
        output.out().flush();
      }
      started = true;
    }
  }

  /** {@code --header} of the CSV readers (whether the first line of each file is a header), and the readers. */
  static final class CsvHeader {
    @Option(names = "--header", defaultValue = "auto", paramLabel = "auto|yes|no",
        description = "auto (default): the first line is a header only if every field starts with a letter or '_' "
            + "or is quoted; yes: the first line is a header; no: no header")
    String header;

    KdeCsv.Header header() {
      return KdeCsv.Header.parse("--header", header);
    }

    /** The file as a matrix ({@link KdeCsv#readMatrix}) under this --header. */
    double[][] matrix(Path file) {
      return KdeCsv.readMatrix(file, header());
    }

    /** The file as a vector ({@link KdeCsv#readVector}) under this --header. */
    double[] vector(Path file) {
      return KdeCsv.readVector(file, header());
    }
  }

  /**
   * {@code --var-w}: weight variances sigma_w^2 as a list or a range a:b:s ({@link Ranges}); what they vary (a grid,
   * one per layer) the command says. Take {@link VarW} (optional, with a default where a command gives it one:
   * {@code new CommonOptions.VarW("8")}) or {@link RequiredVarW} (picocli's usage error when missing).
   */
  abstract static class VarWValues {
    static final String LABEL = "LIST|A:B:S";
    static final String HELP = "Weight variance(s) sigma_w^2: a list 1.0,1.5,2.0 or a range 1.0:3.0:0.05 (B "
        + "included); see above for what they vary.";

    /** The text given (or the default), or null. */
    abstract String text();

    /** Whether --var-w was given (or has a default). */
    public boolean given() {
      return text() != null;
    }

    /** The values; an error when --var-w was not given. */
    public double[] values() {
      return required(null);
    }

    /** The values; when --var-w is missing, an error naming the command that needs it (or none: null). */
    double[] required(String command) {
      if (text() == null) {
        throw new IllegalArgumentException(command == null ? "--var-w is required" : command + " needs --var-w");
      }
      return Ranges.doubles("--var-w", text());
    }
  }

  /** {@link VarWValues}, optional: for a command that can run without it, or that gives it a default. */
  static final class VarW extends VarWValues {
    @Option(names = "--var-w", paramLabel = LABEL, description = HELP)
    String varW;

    VarW() {}

    VarW(String defaultText) {
      varW = defaultText;
    }

    @Override
    String text() {
      return varW;
    }
  }

  /** {@link VarWValues}, required (picocli's usage error when missing). */
  static final class RequiredVarW extends VarWValues {
    @Option(names = "--var-w", required = true, paramLabel = LABEL, description = HELP)
    String varW;

    @Override
    String text() {
      return varW;
    }
  }

  /** {@code --var-b}: the bias variance sigma_b^2 (default 0.05). */
  static final class VarB {
    @Option(names = "--var-b", paramLabel = "V", description = "Bias variance sigma_b^2 (default: ${DEFAULT-VALUE}).")
    double varB = 0.05;

    public double value() {
      return varB;
    }
  }

  /** {@code --widths N0,..,NL} (required): every layer width of a network, input first. */
  static final class Widths {
    @Option(names = "--widths", required = true, paramLabel = "N0,..,NL",
        description = "Widths: input n_0, hidden n_1..n_{L-1}, output n_L.")
    String widths;

    /** The widths ({@link Layouts#parse}). */
    public int[] values() {
      return Layouts.parse(widths);
    }
  }

  /** {@code --networks M}: how many random networks, its default by construction. */
  static final class Networks {
    @Option(names = "--networks", paramLabel = "M", description = "Random networks drawn (default: ${DEFAULT-VALUE}).")
    int count;

    Networks(int count) {
      this.count = count;
    }
  }

  /**
   * {@code --x-norm R}: the input norm ||x|| of a deep linear network's prior. Take {@link XNorm} (optional) or
   * {@link RequiredXNorm} (picocli's usage error when missing).
   */
  abstract static class InputNorm {
    static final String HELP = "Input norm ||x|| (> 0): the input x = R (1, .., 1) / sqrt(n_0) (only ||x|| enters "
        + "the prior).";

    Double xNorm;

    /** Whether --x-norm was given. */
    boolean given() {
      return xNorm != null;
    }

    /** R; an error unless it is finite and > 0. */
    double value() {
      if (!(xNorm > 0) || Double.isInfinite(xNorm)) {
        throw new IllegalArgumentException("--x-norm must be finite and > 0, got " + xNorm);
      }
      return xNorm;
    }
  }

  /** {@link InputNorm}, optional. */
  static final class XNorm extends InputNorm {
    @Option(names = "--x-norm", paramLabel = "R", description = HELP)
    void set(Double r) {
      xNorm = r;
    }
  }

  /** {@link InputNorm}, required. */
  static final class RequiredXNorm extends InputNorm {
    @Option(names = "--x-norm", required = true, paramLabel = "R", description = HELP)
    void set(Double r) {
      xNorm = r;
    }
  }

  /** {@code --widths} and per-layer {@code --var-w} of a deep linear network (both required). */
  static final class LinearLayers {
    @Mixin
    Widths widths;

    @Option(names = "--var-w", required = true, paramLabel = "S1,..,SL", description = "Weight variances sigma_l^2 "
        + "(W_l entries N(0, sigma_l^2/n_{l-1})): one for all layers or one per layer.")
    String varW;

    public int[] widths() {
      return widths.values();
    }

    public double[] varW() {
      return Ranges.doubles("--var-w", varW);
    }

    /** The two options as given, to name them in an error message. */
    public String given() {
      return "--widths " + widths.widths + " --var-w " + varW;
    }
  }

  /** {@code --activation}: a constant of {@link Activation}, by name; the help lists them all. */
  static final class ActivationOption {
    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "NAME", completionCandidates = Names.class,
        description = "Activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String activation;

    public Activation phi() {
      return Activation.named(activation);
    }

    /** The labels of every {@link Activation} constant, for the help. */
    static final class Names implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (Activation a : Activation.values()) {
          names.add(a.label());
        }
        return names.iterator();
      }
    }
  }

  /** {@code --threads}: CPU threads, by default every available processor. */
  static final class Threads {
    static {
      System.setProperty("nnstm.processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: every available processor, "
        + "here ${sys:nnstm.processors}). The CPU backend's results are bit-identical for every thread count.")
    Integer threads;

    /** --threads, else every available processor; an error below 1. */
    public int count() {
      if (threads != null && threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      }
      return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }
  }

  /** {@code --seed}: the random seed; network k of a run gets seed + k. */
  static final class Seed {
    @Option(names = "--seed", description = "Random seed; where there are several networks, the first one's, each "
        + "next one seed + 1 (default: ${DEFAULT-VALUE}).")
    long seed;

    public long value() {
      return seed;
    }
  }

  /** {@code --seeds}: models per setting. */
  static final class Seeds {
    @Option(names = "--seeds", description = "Seeds per sigma_w^2 (cell): seed, seed+1, ... (default: "
        + "${DEFAULT-VALUE}).")
    int seeds = 1;
  }

  /** {@code --epochs}, its default by construction: {@code new CommonOptions.Epochs(5)}. */
  static final class Epochs {
    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    Epochs() {}

    Epochs(int epochs) {
      this.epochs = epochs;
    }

    /** The epochs; an error below 1. */
    int atLeastOne() {
      if (epochs < 1) {
        throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
      }
      return epochs;
    }
  }

  /** {@code --lr} and {@code --batch} of plain SGD, defaults by construction. */
  static final class Sgd {
    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--batch", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    Sgd() {}

    Sgd(float lr, int batch) {
      this.lr = lr;
      this.batch = batch;
    }
  }

  /** {@code --train-limit}. */
  static final class TrainLimit {
    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
    Integer trainLimit;

    /** The training images used: N, at most the 50,000 of the training split. */
    int images() {
      return trainLimit == null ? Mnist.TRAIN : Math.min(trainLimit, Mnist.TRAIN);
    }
  }

  /** {@code --memory}, its default by construction: {@code new CommonOptions.Memory(4)}. */
  static final class Memory {
    @Option(names = "--memory", paramLabel = "GiB", description = "Backend memory one pass of networks may use, in "
        + "GiB (default: ${DEFAULT-VALUE}).")
    double memoryGiB;

    Memory() {}

    Memory(double memoryGiB) {
      this.memoryGiB = memoryGiB;
    }
  }

  /** {@code --out DIR}, optional (the command says when it is needed). */
  static final class Out {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;
  }

  /** {@code --out DIR} with a default, by construction: {@code new CommonOptions.DefaultOut("runs/x")}. */
  static final class DefaultOut {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    DefaultOut(String dir) {
      out = Path.of(dir);
    }
  }

  /** {@code --out DIR}, required: the directory a run writes its results into. */
  static final class RequiredOut {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;
  }

  /**
   * The MNIST ensembles of train and grid: the networks ({@code --layout}, {@code --activation}, {@code --var-w},
   * {@code --var-b}), the seeds, {@code --epochs} (default 5), {@code --train-limit} and {@code --memory}
   * (default 6 GiB).
   */
  static final class MnistEnsemble {
    @Option(names = "--layout", paramLabel = "wide|decimated", description = "Width layout (default: "
        + "${DEFAULT-VALUE}): wide = 784 x (L-1), 400, 10; decimated = 784 - floor(774/L) i, then 10.")
    String layout = "wide";

    @Mixin
    ActivationOption activation;

    @Mixin
    VarW varW;

    @Mixin
    VarB varB;

    @Mixin
    Epochs epochs = new Epochs(5);

    @Mixin
    Seed seed;

    @Mixin
    Seeds seeds;

    @Mixin
    TrainLimit trainLimit;

    @Mixin
    Memory memory = new Memory(6);
  }
}
