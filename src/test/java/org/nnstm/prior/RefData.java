package org.nnstm.prior;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the reference files under src/test/resources/org/nnstm/prior (CSV with a header, JSON snippets). */
final class RefData {
  private RefData() {}

  static String text(String name) {
    try (InputStream in = RefData.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows of a CSV resource, skipping '#' lines and the header. */
  static List<String[]> csv(String name) {
    List<String[]> rows = new ArrayList<>();
    boolean header = true;
    for (String line : text(name).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      rows.add(line.trim().split(","));
    }
    return rows;
  }

  static double[][] numeric(String name) {
    List<String[]> rows = csv(name);
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      String[] r = rows.get(i);
      out[i] = new double[r.length];
      for (int k = 0; k < r.length; k++) {
        out[i][k] = Double.parseDouble(r[k]);
      }
    }
    return out;
  }

  static double[][] columns(double[][] rows, int from, int to) {
    double[][] out = new double[rows.length][to - from];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], from, out[i], 0, to - from);
    }
    return out;
  }

  static double[] column(double[][] rows, int k) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][k];
    }
    return out;
  }

  /** The JSON value after the first occurrence of {@code "key":} following {@code section}. */
  static String jsonValue(String json, String section, String key) {
    int at = json.indexOf("\"" + section + "\"");
    if (at < 0) {
      throw new IllegalStateException("no section " + section);
    }
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}\\s]+)")
        .matcher(json);
    if (!m.find(at)) {
      throw new IllegalStateException("no key " + key + " after " + section);
    }
    return m.group(1);
  }

  /** All numbers of a (possibly nested) JSON array value, flattened in order. */
  static double[] jsonNested(String json, String section, String key) {
    int at = json.indexOf("\"" + key + "\"", json.indexOf("\"" + section + "\""));
    int start = json.indexOf('[', at);
    int depth = 0;
    int end = start;
    do {
      char ch = json.charAt(end++);
      depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
    } while (depth > 0);
    Matcher m = Pattern.compile("-?[0-9][0-9.eE+-]*").matcher(json.substring(start, end));
    List<Double> vals = new ArrayList<>();
    while (m.find()) {
      vals.add(Double.parseDouble(m.group()));
    }
    return vals.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double jsonNumber(String json, String section, String key) {
    return Double.parseDouble(jsonValue(json, section, key).replace("\"", ""));
  }

  static double[] jsonArray(String json, String section, String key) {
    String v = jsonValue(json, section, key);
    String[] parts = v.substring(1, v.length() - 1).split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i].trim().replace("\"", ""));
    }
    return out;
  }
}
