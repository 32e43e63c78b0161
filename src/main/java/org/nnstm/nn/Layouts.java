package org.nnstm.nn;

import java.util.Arrays;
import java.util.Locale;

/** The reference layouts: lists of widths n_0..n_L for MNIST (784 inputs, 10 classes). */
public final class Layouts {
  public static final int INPUT = 784;
  public static final int CLASSES = 10;

  private Layouts() {}

  /**
   * {@code wide}: 784 repeated depth-1 times, then 400, then 10; depth linear layers, depth >= 3. E.g.
   * depth 3 gives 784, 784, 400, 10.
   */
  public static int[] wide(int depth) {
    if (depth < 3) {
      throw new IllegalArgumentException("layout wide needs depth >= 3, got depth " + depth);
    }
    int[] w = new int[depth + 1];
    Arrays.fill(w, 0, depth - 1, INPUT);
    w[depth - 1] = 400;
    w[depth] = CLASSES;
    return w;
  }

  /**
   * {@code decimated}: n_i = 784 - floor(774/depth) * i for i in [0, depth), then 10; {@code 1 <= depth <= 774}.
   */
  public static int[] decimated(int depth) {
    if (depth < 1 || depth > 774) {
      throw new IllegalArgumentException("layout decimated needs 1 <= depth <= 774, got depth " + depth);
    }
    int step = 774 / depth;
    int[] w = new int[depth + 1];
    for (int i = 0; i < depth; i++) {
      w[i] = INPUT - step * i;
    }
    w[depth] = CLASSES;
    return w;
  }

  /** Parses "784,300,100,10"; every width >= 1, at least two of them. */
  public static int[] parse(String widths) {
    String[] parts = widths.split(",");
    int[] w = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        w[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("widths: '" + parts[i].trim() + "' is not an integer in '" + widths + "'");
      }
      if (w[i] < 1) {
        throw new IllegalArgumentException("widths must be >= 1, got " + w[i] + " in '" + widths + "'");
      }
    }
    if (w.length < 2) {
      throw new IllegalArgumentException("widths needs at least input and output, got '" + widths + "'");
    }
    return w;
  }

  /** A named layout (wide or decimated) at the given depth. */
  public static int[] named(String layout, int depth) {
    switch (layout.toLowerCase(Locale.ROOT)) {
      case "wide": return wide(depth);
      case "decimated": return decimated(depth);
      default: throw new IllegalArgumentException("unknown layout '" + layout + "': use wide or decimated");
    }
  }
}
