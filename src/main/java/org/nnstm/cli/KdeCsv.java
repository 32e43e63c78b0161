package org.nnstm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Numeric CSV reader for the kde and js commands (package-private): one pass over the file's bytes.
 *
 * <p>Format: UTF-8 (a leading byte-order mark is dropped), one row per line ({@code \n} or {@code \r\n}),
 * comma-separated decimal numbers {@code [+-]digits[.digits][(e|E)[+-]digits]} with optional surrounding
 * spaces or tabs; blank lines and lines starting with '#' are skipped. Every row has the same number of
 * columns. Header: with {@link Header#AUTO} the first line is a header only if every field looks like a
 * name (starts with a letter or '_', or is a non-empty double-quoted string) and none is a spelling of NaN or
 * infinity; {@link Header#YES} always takes the first line as the header, {@link Header#NO} never. A header
 * must have as many fields as the data rows. Every other field that is not a finite decimal number is an
 * error naming the file, line, column and the text (one line, control characters escaped).
 *
 * <p>Numbers are exactly rounded, identical to {@link Double#parseDouble}: see {@link DecimalParser}.
 */
final class KdeCsv {
  private KdeCsv() {}

  /** Whether the first line is a header. */
  enum Header {
    AUTO, YES, NO;

    /** Parses the --header option value. */
    static Header parse(String option, String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown " + option + " '" + value + "': use auto, yes or no");
      }
    }
  }

  /** Reads an n x d matrix (n >= 1 rows, d >= 1 columns); see the class comment for the format. */
  static double[][] readMatrix(Path file, Header header) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + describe(e));
    }
    return parseMatrix(data, file.toString(), header);
  }

  /** {@link #readMatrix(Path, Header)} with automatic header detection. */
  static double[][] readMatrix(Path file) {
    return readMatrix(file, Header.AUTO);
  }

  /** A vector: a single column (one value per line) or a single row. */
  static double[] readVector(Path file, Header header) {
    double[][] m = readMatrix(file, header);
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

  /** {@link #readVector(Path, Header)} with automatic header detection. */
  static double[] readVector(Path file) {
    return readVector(file, Header.AUTO);
  }

  /**
   * Parses the bytes of a CSV file (not modified); {@code name} is used in error messages.
   *
   * @return rows x columns, each row a new array
   * @throws IllegalArgumentException one line naming name, line, column and text of the first bad field
   */
  static double[][] parseMatrix(byte[] data, String name, Header header) {
    int len = data.length;
    int pos = 0;
    if (len >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB && (data[2] & 0xff) == 0xBF) {
      pos = 3;
    } else if (len >= 2 && ((data[0] & 0xff) == 0xFE && (data[1] & 0xff) == 0xFF
        || (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xFE)) {
      throw new IllegalArgumentException(name + ": UTF-16 byte-order mark; save the file as UTF-8");
    }
    Values values = new Values(Math.max(16, len / 8));
    int cols = -1;
    int rows = 0;
    int headerFields = -1;
    int headerLine = 0;
    boolean headerDecided = header == Header.NO;
    int line = 0;
    while (pos < len) {
      line++;
      int end = pos;
      while (end < len && data[end] != '\n') {
        end++;
      }
      int next = end + 1;
      if (end > pos && data[end - 1] == '\r') {
        end--;
      }
      int s = skipBlank(data, pos, end);
      pos = next;
      if (s == end || data[s] == '#') {
        continue;
      }
      if (!headerDecided) {
        headerDecided = true;
        if (header == Header.YES || isHeader(data, s, end)) {
          headerFields = fields(data, s, end, (a, b) -> true);
          headerLine = line;
          continue;
        }
      }
      int rowStart = values.count;
      int lineNumber = line;
      int col = fields(data, s, end, (a, b) -> {
        double v = DecimalParser.parse(data, a, b);
        if (!Double.isFinite(v)) {
          throw badField(name, lineNumber, values.count - rowStart + 1, data, a, b, v);
        }
        values.add(v);
        return true;
      });
      if (cols < 0) {
        cols = col;
        if (headerFields >= 0 && headerFields != cols) {
          throw new IllegalArgumentException(String.format("%s line %d: %d columns, but the header (line %d) has %d",
              name, line, cols, headerLine, headerFields));
        }
      } else if (col != cols) {
        throw new IllegalArgumentException(String.format("%s line %d: %d columns, but earlier rows have %d",
            name, line, col, cols));
      }
      rows++;
    }
    if (rows == 0) {
      throw new IllegalArgumentException(name + ": no data rows"
          + (len == 0 ? " (empty file)" : headerFields >= 0 ? " (only a header, line " + headerLine + ")" : ""));
    }
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = Arrays.copyOfRange(values.values, r * cols, (r + 1) * cols);
    }
    return out;
  }

  /** The values read so far, in a growing array. */
  private static final class Values {
    double[] values;
    int count;

    Values(int capacity) {
      values = new double[capacity];
    }

    void add(double v) {
      if (count == values.length) {
        values = Arrays.copyOf(values, 2 * count);
      }
      values[count++] = v;
    }
  }

  /** What is done with one field [a, b) of a line; false stops the line. */
  private interface FieldVisitor {
    boolean field(int a, int b);
  }

  /**
   * Visits the comma-separated fields of the line [s, e) in order, each without its surrounding blanks: the
   * number of fields, or -1 when the visitor stopped early.
   */
  private static int fields(byte[] data, int s, int e, FieldVisitor visitor) {
    int n = 0;
    int f = s;
    while (true) {
      int comma = f;
      while (comma < e && data[comma] != ',') {
        comma++;
      }
      int a = skipBlank(data, f, comma);
      int b = comma;
      while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t')) {
        b--;
      }
      n++;
      if (!visitor.field(a, b)) {
        return -1;
      }
      if (comma == e) {
        return n;
      }
      f = comma + 1;
    }
  }

  private static int skipBlank(byte[] data, int from, int to) {
    while (from < to && (data[from] == ' ' || data[from] == '\t')) {
      from++;
    }
    return from;
  }

  /** Every field of the line [s, e) is a name: starts with a letter (any non-ASCII byte) or '_', or is quoted. */
  private static boolean isHeader(byte[] data, int s, int e) {
    return fields(data, s, e, (a, b) -> isName(data, a, b)) >= 0;
  }

  private static boolean isName(byte[] data, int a, int b) {
    if (b - a >= 3 && data[a] == '"' && data[b - 1] == '"') {
      return true;
    }
    if (a == b) {
      return false;
    }
    int c = data[a];
    boolean letter = c < 0 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      return false;
    }
    String text = new String(data, a, b - a, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    return !(text.equals("nan") || text.equals("inf") || text.equals("infinity"));
  }

  private static IllegalArgumentException badField(String name, int line, int col, byte[] data, int a, int b,
      double v) {
    String text = new String(data, a, b - a, StandardCharsets.UTF_8);
    String reason;
    if (a == b) {
      reason = "empty field";
    } else if (Double.isInfinite(v)) {
      reason = "beyond the double range: '" + printable(text) + "'";
    } else {
      String t = text.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
      boolean nonFinite = t.equals("nan") || t.equals("inf") || t.equals("infinity");
      reason = (nonFinite ? "not finite: '" : "not a number: '") + printable(text) + "'";
    }
    return new IllegalArgumentException(String.format("%s line %d column %d: %s", name, line, col, reason));
  }

  /** The text with control and format characters (BOM, CR, NUL) written as \\uXXXX, at most 40 characters. */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown == 40) {
        return sb.append("...").toString();
      }
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
      shown++;
    }
    return sb.toString();
  }

  private static String describe(IOException e) {
    String reason = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return reason == null ? e.getClass().getSimpleName() : reason;
  }
}
