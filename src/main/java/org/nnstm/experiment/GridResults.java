package org.nnstm.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.Hdf5;

/**
 * The accuracy files of a grid directory, ours or the reference notebooks' ({@code acc-{tag}-{depth}.hdf5},
 * optionally {@code -s{seed}}), read back into cells, and the summary {@code grid.csv}.
 */
public final class GridResults {
  private static final Pattern NAME = Pattern.compile("acc-(\\d+)-(\\d+)(?:-s(-?\\d+))?\\.hdf5");

  private GridResults() {}

  /** One trained cell: its hyperparameters and the validation accuracy after each epoch. */
  public record Cell(double varW, double varB, int depth, long seed, double[] accuracies) {
    /** Accuracy after the last epoch. */
    public double finalAccuracy() {
      return accuracies.length == 0 ? Double.NaN : accuracies[accuracies.length - 1];
    }
  }

  /** Every readable accuracy file in dir (sorted by depth, sigma_w^2, seed); unreadable ones are an error. */
  public static List<Cell> read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir + " (no such directory)");
    }
    List<Cell> cells = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        Map<String, Object> f = Hdf5.read(p);
        long seed = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        cells.add(new Cell(Hdf5.number(f, "var_weight", p), Hdf5.number(f, "var_bias", p),
            (int) Hdf5.number(f, "depth", p), seed, Hdf5.vector(f, "accuracies", p)));
      }
    }
    cells.sort(Comparator.comparingInt(Cell::depth).thenComparingDouble(Cell::varW).thenComparingLong(Cell::seed));
    return cells;
  }

  /** Writes grid.csv: var_w, var_b, depth, seed, val_acc (final), acc_e1..acc_eE (blank where a cell has fewer). */
  public static void writeCsv(Path file, List<Cell> cells) throws IOException {
    int epochs = cells.stream().mapToInt(c -> c.accuracies().length).max().orElse(0);
    StringBuilder sb = new StringBuilder("var_w,var_b,depth,seed,val_acc");
    for (int e = 1; e <= epochs; e++) {
      sb.append(",acc_e").append(e);
    }
    sb.append('\n');
    for (Cell c : cells) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s", c.varW(), c.varB(), c.depth(), c.seed(),
          (float) c.finalAccuracy()));
      for (int e = 0; e < epochs; e++) {
        sb.append(',');
        if (e < c.accuracies().length) {
          sb.append((float) c.accuracies()[e]);
        }
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }
}
