package org.nnstm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal numeric CSV reader for the kde and js commands (package-private; org.nnstm.io.Csv may replace it).
 *
 * <p>Format: one row per line, comma-separated numbers (surrounding spaces ignored); blank lines and lines
 * starting with '#' are skipped; a first data line whose fields are all non-numeric is a header and is
 * skipped. Any other non-numeric field is an error naming file, line and column. All rows must have the same
 * number of columns.
 */
final class KdeCsv {
  private KdeCsv() {}

  static double[][] readMatrix(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    List<double[]> rows = new ArrayList<>();
    boolean first = true;
    for (int ln = 0; ln < lines.size(); ln++) {
      String line = lines.get(ln).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (first) {
        first = false;
        boolean header = true;
        for (String f : fields) {
          if (isNumber(f.trim())) {
            header = false;
            break;
          }
        }
        if (header) {
          continue;
        }
      }
      double[] row = new double[fields.length];
      for (int c = 0; c < fields.length; c++) {
        String f = fields[c].trim();
        if (!isNumber(f)) {
          throw new IllegalArgumentException(String.format("%s line %d column %d: not a number: '%s'",
              file, ln + 1, c + 1, f));
        }
        row[c] = Double.parseDouble(f);
        if (!Double.isFinite(row[c])) {
          throw new IllegalArgumentException(String.format("%s line %d column %d: not finite: '%s'",
              file, ln + 1, c + 1, f));
        }
      }
      if (!rows.isEmpty() && row.length != rows.get(0).length) {
        throw new IllegalArgumentException(String.format("%s line %d: %d columns, but earlier rows have %d",
            file, ln + 1, row.length, rows.get(0).length));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(file + ": no data rows");
    }
    return rows.toArray(new double[0][]);
  }

  /** A vector: a single column (one value per line) or a single row. */
  static double[] readVector(Path file) {
    double[][] m = readMatrix(file);
    if (m[0].length == 1) {
      double[] v = new double[m.length];
      for (int i = 0; i < m.length; i++) {
        v[i] = m[i][0];
      }
      return v;
    }
    if (m.length == 1) {
      return m[0];
    }
    throw new IllegalArgumentException(String.format(
        "%s: expected a single column or a single row, got %d rows x %d columns", file, m.length, m[0].length));
  }

  private static boolean isNumber(String f) {
    if (f.isEmpty()) {
      return false;
    }
    try {
      Double.parseDouble(f);
      // reject Java-only spellings such as "1d" or "0x1p3"
      char last = f.charAt(f.length() - 1);
      return Character.isDigit(last) || last == '.' || f.endsWith("Infinity") || f.equals("NaN");
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
