package org.nnstm.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whole-file HDF5 writes and reads through jHDF, readable by h5py. A file is written in one go from an
 * ordered map of dataset names to values: {@code Double} (float64 scalar), {@code Long}/{@code Integer}
 * (int64/int32 scalar), {@code float[]}, {@code double[]} (1-D), {@code float[][]} (2-D). Writes are
 * atomic ({@link AtomicFiles}); jHDF does not truncate, so the temporary file is always new.
 */
public final class Hdf5 {
  private Hdf5() {}

  /** Writes {@code datasets} as the top-level datasets of a new file at {@code target}. */
  public static void write(Path target, Map<String, Object> datasets) throws IOException {
    write(target, datasets, Map.of());
  }

  /**
   * Writes {@code datasets} as the top-level datasets of a new file at {@code target} and {@code attributes}
   * (e.g. provenance strings, {@link RunManifest.Provenance#attributes()}) as attributes of its root group;
   * the datasets are the same as without attributes.
   */
  public static void write(Path target, Map<String, Object> datasets, Map<String, Object> attributes)
      throws IOException {
    AtomicFiles.write(target, tmp -> {
      try (WritableHdfFile f = HdfFile.write(tmp)) {
        for (Map.Entry<String, Object> e : datasets.entrySet()) {
          f.putDataset(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
          f.putAttribute(e.getKey(), e.getValue());
        }
      } catch (RuntimeException e) {
        throw new IOException("writing HDF5 " + target + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * Reads every top-level dataset of a file: scalars as their boxed values, arrays as Java arrays
   * (float32 -> float[]/float[][], float64 -> double[]/double[][], integers as long/int arrays).
   *
   * @throws IOException naming the file when it is not readable HDF5
   */
  public static Map<String, Object> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try (HdfFile f = new HdfFile(file)) {
      for (Map.Entry<String, Node> e : f.getChildren().entrySet()) {
        if (e.getValue() instanceof Dataset d) {
          out.put(e.getKey(), d.getData());
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /** The root group's attributes of a file (strings as String, numbers boxed or as arrays). */
  public static Map<String, Object> attributes(Path file) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    try (HdfFile f = new HdfFile(file)) {
      for (Map.Entry<String, io.jhdf.api.Attribute> e : f.getAttributes().entrySet()) {
        out.put(e.getKey(), e.getValue().getData());
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /** A number from a scalar (or one-element) dataset. */
  public static double number(Map<String, Object> file, String name, Path where) throws IOException {
    Object v = file.get(name);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v != null && v.getClass().isArray() && java.lang.reflect.Array.getLength(v) == 1) {
      Object x = java.lang.reflect.Array.get(v, 0);
      if (x instanceof Number n) {
        return n.doubleValue();
      }
    }
    throw new IOException(where + ": missing or non-scalar dataset '" + name + "'");
  }

  /** A 1-D numeric dataset as doubles. */
  public static double[] vector(Map<String, Object> file, String name, Path where) throws IOException {
    Object v = file.get(name);
    if (v instanceof double[] d) {
      return d;
    }
    if (v instanceof float[] f) {
      return toDouble(f);
    }
    throw new IOException(where + ": missing or non-vector dataset '" + name + "'");
  }

  /** A 2-D float dataset. */
  public static float[][] matrix(Map<String, Object> file, String name, Path where) throws IOException {
    Object v = file.get(name);
    if (v instanceof float[][] m) {
      return m;
    }
    if (v instanceof double[][] d) {
      return toFloat(d);
    }
    throw new IOException(where + ": missing or non-matrix dataset '" + name + "'");
  }

  /** A float32 copy of a (possibly ragged) double matrix, each entry rounded to the nearest float. */
  public static float[][] toFloat(double[][] d) {
    float[][] m = new float[d.length][];
    for (int i = 0; i < d.length; i++) {
      m[i] = new float[d[i].length];
      for (int j = 0; j < d[i].length; j++) {
        m[i][j] = (float) d[i][j];
      }
    }
    return m;
  }

  /** A double copy of a float vector (exact). */
  public static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
