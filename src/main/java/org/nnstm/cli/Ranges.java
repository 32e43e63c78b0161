package org.nnstm.cli;

import java.math.BigDecimal;

/**
 * Parses numeric grids given on the command line: a list {@code 1.0,1.5,2.0} or a range {@code a:b:s}
 * from a to b in steps of s, b included when it lies on the grid (within 1e-9 of a step):
 * {@code 1.0:3.0:0.05} is 41 values, {@code 10:70:3} is 21 values. Values are a + i s computed in
 * decimal, so 1.0:3.0:0.05 gives exactly 1.05, 1.1, ... as typed.
 */
final class Ranges {
  private Ranges() {}

  /** The values of a list or range; {@code option} names the option in error messages. */
  public static double[] doubles(String option, String text) {
    String t = text.trim();
    if (t.contains(":")) {
      String[] p = t.split(":", -1);
      if (p.length != 3) {
        throw new IllegalArgumentException(option + ": range '" + text + "' must be a:b:s");
      }
      BigDecimal a = decimal(option, p[0]);
      BigDecimal b = decimal(option, p[1]);
      BigDecimal s = decimal(option, p[2]);
      if (s.signum() <= 0) {
        throw new IllegalArgumentException(option + ": step of '" + text + "' must be > 0");
      }
      if (b.compareTo(a) < 0) {
        throw new IllegalArgumentException(option + ": range '" + text + "' ends below its start");
      }
      double steps = b.subtract(a).doubleValue() / s.doubleValue();
      long n = (long) Math.floor(steps + 1e-9) + 1;
      if (n > 1_000_000) {
        throw new IllegalArgumentException(option + ": range '" + text + "' has " + n + " values (max 1000000)");
      }
      double[] v = new double[(int) n];
      for (int i = 0; i < n; i++) {
        v[i] = a.add(s.multiply(BigDecimal.valueOf(i))).doubleValue();
      }
      return v;
    }
    String[] parts = t.split(",");
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = decimal(option, parts[i]).doubleValue();
    }
    return v;
  }

  /** Integer grid (e.g. depths); every value must be an integer. */
  public static int[] ints(String option, String text) {
    double[] d = doubles(option, text);
    int[] v = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(option + ": " + d[i] + " in '" + text + "' is not an integer");
      }
      v[i] = (int) d[i];
    }
    return v;
  }

  private static BigDecimal decimal(String option, String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + s.trim() + "' is not a number");
    }
  }
}
