package org.nnstm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference notebooks' HDF5 layout (read with h5py): per model, with tag = round(100 sigma_w^2) and
 * an optional {@code -s{seed}} suffix:
 * <ul>
 *   <li>{@code acc-{tag}-{depth}.hdf5}: float64 scalars {@code var_weight}, {@code var_bias}, int64 scalar
 *       {@code depth}, float32 {@code accuracies} (one per epoch so far; rewritten after every epoch);</li>
 *   <li>{@code {prefix}-para-{tag}-{depth}.hdf5}: the scalars and {@code W0..W{L-1}} (out x in),
 *       {@code B0..B{L-1}};</li>
 *   <li>{@code {prefix}-hooks-{tag}-{depth}.hdf5}: the scalars and {@code in-0..in-{L-1}}, the
 *       pre-activations (samples x width) fed to each activation.</li>
 * </ul>
 * The prefixes are the notebook's (Gaussian_Feedforward {@code fit}): {@code e{k}} is the network after
 * 0-based epoch k, written for k = 0 and k = E-1 (every k with {@code everyEpoch}); {@code init} is the
 * untrained network (nnstm's addition; the notebook has no file for it). A plain writer: the run layer's
 * {@code org.nnstm.run.ReferenceFiles} decides when to write which file (init files before training, e{k}
 * files after epochs, the accuracy file after every epoch) and hands the numbers over. Differences from the notebook that remain: its hooks hold the last validation batch of the epoch
 * (the model is hooked on the last forward pass), nnstm's the first N validation images; both analyses use the last row.
 */
public final class ReferenceLayout {
  private final Path dir;
  private final boolean seedSuffix;
  private final Map<String, Object> attributes;

  /**
   * @param seedSuffix append {@code -s{seed}} to every file name (several seeds per sigma_w^2)
   * @param attributes root attributes of every file written (provenance, {@link RunManifest.Provenance#attributes()});
   *     the datasets are unchanged
   */
  public ReferenceLayout(Path dir, boolean seedSuffix, Map<String, Object> attributes) {
    this.dir = dir;
    this.seedSuffix = seedSuffix;
    this.attributes = new LinkedHashMap<>(attributes);
  }

  /** tag = round(100 sigma_w^2), e.g. 105 for 1.05. */
  public static long tag(double varW) {
    return Math.round(100 * varW);
  }

  /** "{tag}-{depth}" or "{tag}-{depth}-s{seed}". */
  public static String stem(double varW, long seed, int depth, boolean seedSuffix) {
    return tag(varW) + "-" + depth + (seedSuffix ? "-s" + seed : "");
  }

  public static Path accuracyFile(Path dir, double varW, long seed, int depth, boolean seedSuffix) {
    return dir.resolve("acc-" + stem(varW, seed, depth, seedSuffix) + ".hdf5");
  }

  public static Path paramFile(Path dir, String prefix, double varW, long seed, int depth, boolean seedSuffix) {
    return dir.resolve(prefix + "-para-" + stem(varW, seed, depth, seedSuffix) + ".hdf5");
  }

  public static Path hookFile(Path dir, String prefix, double varW, long seed, int depth, boolean seedSuffix) {
    return dir.resolve(prefix + "-hooks-" + stem(varW, seed, depth, seedSuffix) + ".hdf5");
  }

  /** The notebook's prefix of the network after 1-based epoch {@code epoch}: e{epoch - 1}. */
  public static String epochPrefix(int epoch) {
    return "e" + (epoch - 1);
  }

  static Map<String, Object> scalars(double varW, double varB, int depth) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("var_weight", varW);
    d.put("var_bias", varB);
    d.put("depth", (long) depth);
    return d;
  }

  /** acc-{stem}.hdf5 of one model: its validation accuracy after each epoch so far. */
  public void writeAccuracies(double varW, double varB, long seed, int depth, float[] accuracies) {
    Map<String, Object> d = scalars(varW, varB, depth);
    d.put("accuracies", accuracies);
    write(accuracyFile(dir, varW, seed, depth, seedSuffix), d);
  }

  /**
   * {prefix}-para-{stem}.hdf5 of one model of widths n_0..n_L: weights[l] is layer l's (out x in) row-major,
   * biases[l] its biases.
   */
  public void writeParams(String prefix, double varW, double varB, long seed, int[] widths, float[][] weights,
                          float[][] biases) {
    int depth = widths.length - 1;
    Map<String, Object> d = scalars(varW, varB, depth);
    for (int l = 0; l < depth; l++) {
      d.put("W" + l, reshape(weights[l], widths[l + 1], widths[l]));
    }
    for (int l = 0; l < depth; l++) {
      d.put("B" + l, biases[l]);
    }
    write(paramFile(dir, prefix, varW, seed, depth, seedSuffix), d);
  }

  /**
   * {prefix}-hooks-{stem}.hdf5 of one model of widths n_0..n_L: preActivations[l] holds layer l's
   * pre-activations of {@code samples} images (samples x n_{l+1}, row-major).
   */
  public void writeHooks(String prefix, double varW, double varB, long seed, int[] widths, int samples,
                         float[][] preActivations) {
    int depth = widths.length - 1;
    Map<String, Object> d = scalars(varW, varB, depth);
    for (int l = 0; l < depth; l++) {
      d.put("in-" + l, reshape(preActivations[l], samples, widths[l + 1]));
    }
    write(hookFile(dir, prefix, varW, seed, depth, seedSuffix), d);
  }

  /** Row-major flat array as rows x cols. */
  public static float[][] reshape(float[] flat, int rows, int cols) {
    if ((long) rows * cols != flat.length) {
      throw new IllegalArgumentException("reshape: " + flat.length + " values are not " + rows + " x " + cols);
    }
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, m[r], 0, cols);
    }
    return m;
  }

  private void write(Path file, Map<String, Object> datasets) {
    try {
      Hdf5.write(file, datasets, attributes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
