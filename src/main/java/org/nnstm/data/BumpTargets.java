package org.nnstm.data;

/**
 * MNIST classes as regression targets: class y becomes a discretised Gaussian bump centred at y with
 * standard deviation s on B equally spaced points t_j = 9 j / (B - 1) spanning [0, 9], normalised to sum 1:
 *
 * <pre>
 *   T_y[j] = exp(-(t_j - y)^2 / (2 s^2)) / sum_k exp(-(t_k - y)^2 / (2 s^2)).
 * </pre>
 *
 * The end classes 0 and 9 sit on the ends of the grid, so their bumps are half bumps (the other half falls
 * outside [0, 9]); normalised to sum 1 like the others, their peak is about twice as high. This is the
 * original project's encoding, kept on purpose. Immutable.
 */
public final class BumpTargets {
  /** Number of classes (digits 0..9). */
  public static final int CLASSES = 10;

  /**
   * The most grid points accepted: the table holds 10 B floats, and a network's readout B x n_hidden and its
   * outputs (rows x B per model) must also fit (a CPU tensor holds at most 2^29 floats).
   */
  public static final int MAX_BINS = 1_000_000;

  private final int bins;
  private final double std;
  private final float[][] table;

  /**
   * @param bins B grid points over [0, 9], {@code 10 <= B <=} {@value #MAX_BINS}
   * @param std bump standard deviation s > 0, in class units
   */
  public BumpTargets(int bins, double std) {
    if (bins < 10) {
      throw new IllegalArgumentException("bins must be >= 10 (one point per class at least), got " + bins);
    }
    if (bins > MAX_BINS) {
      throw new IllegalArgumentException("bins must be <= " + MAX_BINS + ", got " + bins);
    }
    if (!(std > 0) || Double.isInfinite(std)) {
      throw new IllegalArgumentException("target std must be finite and > 0, got " + std);
    }
    this.bins = bins;
    this.std = std;
    table = new float[CLASSES][bins];
    for (int y = 0; y < CLASSES; y++) {
      double[] v = new double[bins];
      double sum = 0;
      for (int j = 0; j < bins; j++) {
        double d = position(j) - y;
        v[j] = Math.exp(-d * d / (2 * std * std));
        sum += v[j];
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("target std " + std + " is too narrow for " + bins
            + " bins: the bump of class " + y + " misses every grid point");
      }
      for (int j = 0; j < bins; j++) {
        table[y][j] = (float) (v[j] / sum);
      }
    }
  }

  /** Grid point t_j = 9 j / (B - 1). */
  public double position(int j) {
    return 9.0 * j / (bins - 1);
  }

  /** Grid positions t_0..t_{B-1}. */
  public double[] grid() {
    double[] g = new double[bins];
    for (int j = 0; j < bins; j++) {
      g[j] = position(j);
    }
    return g;
  }

  public int bins() {
    return bins;
  }

  public double std() {
    return std;
  }

  /** T_y (a copy), length B. */
  public float[] target(int y) {
    return table[check(y)].clone();
  }

  /** The bin where T_y peaks (the grid point nearest y; the first of ties). */
  public int peakBin(int y) {
    float[] t = table[check(y)];
    int best = 0;
    for (int j = 1; j < bins; j++) {
      if (t[j] > t[best]) {
        best = j;
      }
    }
    return best;
  }

  /** Writes T_{labels[r]} into rows r of out (rows x B, row-major) for {@code r < rows}. Modifies out. */
  public void fill(int[] labels, int[] index, int from, int rows, float[] out) {
    for (int r = 0; r < rows; r++) {
      int y = labels[index == null ? from + r : index[from + r]];
      System.arraycopy(table[check(y)], 0, out, r * bins, bins);
    }
  }

  private static int check(int y) {
    if (y < 0 || y >= CLASSES) {
      throw new IllegalArgumentException("class " + y + " is not a digit 0..9");
    }
    return y;
  }
}
