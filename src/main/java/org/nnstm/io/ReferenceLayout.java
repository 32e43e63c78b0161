package org.nnstm.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.TrainingRun;

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
 * untrained network (nnstm's addition; the notebook has no file for it). As a {@link TrainingRun.Listener}
 * it writes the init files before training, the e{k} files after epochs, and the accuracy file after every
 * epoch. Differences from the notebook that remain: its hooks hold the last validation batch of the epoch
 * (the model is hooked on the last forward pass), nnstm's the first {@code hookData.size()} validation
 * images; both analyses use the last row.
 */
public final class ReferenceLayout implements TrainingRun.Listener {
  private final Path dir;
  private final boolean seedSuffix;
  private final boolean params;
  private final TrainingRun.Data hookData;
  private final int epochs;
  private final Map<String, Object> attributes;
  private final boolean everyEpoch;
  private final Map<Integer, List<Double>> accuracies = new LinkedHashMap<>();

  /**
   * @param hookData images whose pre-activations are recorded, or null for no hook files
   */
  public ReferenceLayout(Path dir, boolean seedSuffix, boolean params, TrainingRun.Data hookData, int epochs) {
    this(dir, seedSuffix, params, hookData, epochs, false);
  }

  /**
   * @param hookData images whose pre-activations are recorded, or null for no hook files
   * @param everyEpoch write e{k} files after every epoch, not only k = 0 and E-1
   */
  public ReferenceLayout(Path dir, boolean seedSuffix, boolean params, TrainingRun.Data hookData, int epochs,
                         boolean everyEpoch) {
    this(dir, seedSuffix, params, hookData, epochs, everyEpoch, Map.of());
  }

  /**
   * @param attributes root attributes of every file written (provenance, {@link RunManifest.Provenance#attributes()});
   *     the datasets are unchanged
   */
  public ReferenceLayout(Path dir, boolean seedSuffix, boolean params, TrainingRun.Data hookData, int epochs,
                         boolean everyEpoch, Map<String, Object> attributes) {
    this.attributes = new LinkedHashMap<>(attributes);
    this.everyEpoch = everyEpoch;
    this.dir = dir;
    this.seedSuffix = seedSuffix;
    this.params = params;
    this.hookData = hookData;
    this.epochs = epochs;
  }

  /** tag = round(100 sigma_w^2), e.g. 105 for 1.05. */
  public static long tag(double varW) {
    return Math.round(100 * varW);
  }

  /** "{tag}-{depth}" or "{tag}-{depth}-s{seed}". */
  public static String stem(ModelInit m, int depth, boolean seedSuffix) {
    return tag(m.varW()) + "-" + depth + (seedSuffix ? "-s" + m.seed() : "");
  }

  public static Path accuracyFile(Path dir, ModelInit m, int depth, boolean seedSuffix) {
    return dir.resolve("acc-" + stem(m, depth, seedSuffix) + ".hdf5");
  }

  public static Path paramFile(Path dir, String prefix, ModelInit m, int depth, boolean seedSuffix) {
    return dir.resolve(prefix + "-para-" + stem(m, depth, seedSuffix) + ".hdf5");
  }

  public static Path hookFile(Path dir, String prefix, ModelInit m, int depth, boolean seedSuffix) {
    return dir.resolve(prefix + "-hooks-" + stem(m, depth, seedSuffix) + ".hdf5");
  }

  /** The notebook's prefix of the network after 1-based epoch {@code epoch}: e{epoch - 1}. */
  public static String epochPrefix(int epoch) {
    return "e" + (epoch - 1);
  }

  static Map<String, Object> scalars(ModelInit m, int depth) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("var_weight", m.varW());
    d.put("var_bias", m.varB());
    d.put("depth", (long) depth);
    return d;
  }

  @Override
  public void started(Ensemble net, EnsembleTrainer trainer) {
    if (params) {
      writeParams(net, "init");
    }
    writeHooks(net, trainer, "init");
  }

  @Override
  public void epochDone(Ensemble net, EnsembleTrainer trainer, TrainingRun.EpochReport report) {
    int depth = net.spec().depth();
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      List<Double> acc = accuracies.computeIfAbsent(k, x -> new java.util.ArrayList<>());
      acc.add(report.validation().accuracy()[k]);
      float[] a = new float[acc.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = acc.get(i).floatValue();
      }
      Map<String, Object> d = scalars(m, depth);
      d.put("accuracies", a);
      write(accuracyFile(dir, m, depth, seedSuffix), d);
    }
    if (everyEpoch || report.epoch() == 1 || report.epoch() == epochs) {
      String prefix = epochPrefix(report.epoch());
      if (params) {
        writeParams(net, prefix);
      }
      writeHooks(net, trainer, prefix);
    }
  }

  private void writeParams(Ensemble net, String prefix) {
    int depth = net.spec().depth();
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      Map<String, Object> d = scalars(m, depth);
      for (int l = 0; l < depth; l++) {
        d.put("W" + l, reshape(net.weights(k, l), net.spec().width(l + 1), net.spec().width(l)));
      }
      for (int l = 0; l < depth; l++) {
        d.put("B" + l, net.biases(k, l));
      }
      write(paramFile(dir, prefix, m, depth, seedSuffix), d);
    }
  }

  private void writeHooks(Ensemble net, EnsembleTrainer trainer, String prefix) {
    if (hookData == null) {
      return;
    }
    int depth = net.spec().depth();
    float[][][] z = trainer.preActivations(hookData.images(), hookData.size());
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      Map<String, Object> d = scalars(m, depth);
      for (int l = 0; l < depth; l++) {
        d.put("in-" + l, reshape(z[k][l], hookData.size(), net.spec().width(l + 1)));
      }
      write(hookFile(dir, prefix, m, depth, seedSuffix), d);
    }
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
      throw new java.io.UncheckedIOException(e);
    }
  }
}
