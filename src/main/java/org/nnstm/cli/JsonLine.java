package org.nnstm.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * One-line JSON objects for machine-readable output: keys in the map's order; numbers printed with full
 * precision ({@link Double#toString}, integers without a fraction); non-finite numbers as null; strings
 * escaped; double[] and float[] as arrays.
 */
final class JsonLine {
  private JsonLine() {}

  /** The object of alternating keys (strings) and values: {@code of("r", 0.5, "density", 0.3)}. */
  public static String of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up, got " + keysAndValues.length + " items");
    }
    Map<String, Object> object = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!(keysAndValues[i] instanceof String key) || object.put(key, keysAndValues[i + 1]) != null) {
        throw new IllegalArgumentException("item " + i + " is not a new key: " + keysAndValues[i]);
      }
    }
    return of(object);
  }

  public static String of(Map<String, ?> object) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, ?> e : object.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      string(sb, e.getKey());
      sb.append(": ");
      value(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Double || v instanceof Float) {
      number(sb, ((Number) v).doubleValue());
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof double[] a) {
      array(sb, a.length, i -> a[i]);
    } else if (v instanceof float[] a) {
      array(sb, a.length, i -> a[i]);
    } else {
      string(sb, v.toString());
    }
  }

  private static void array(StringBuilder sb, int length, IntToDoubleFunction element) {
    sb.append('[');
    for (int i = 0; i < length; i++) {
      sb.append(i == 0 ? "" : ", ");
      number(sb, element.applyAsDouble(i));
    }
    sb.append(']');
  }

  private static void number(StringBuilder sb, double d) {
    if (!Double.isFinite(d)) {
      sb.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      sb.append(String.format(Locale.ROOT, "%.1f", d));
    } else {
      sb.append(d);
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
