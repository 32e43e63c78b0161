package org.nnstm.experiment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.nnstm.io.AtomicFiles;

/**
 * Finished parts of a long run kept in a directory, one file per key ({@code KEY.f32}: int rows, int cols,
 * then rows x cols big-endian floats), each written atomically, plus {@code settings.txt} naming the run's
 * settings. Opening a directory whose settings differ is an error (a resumed run must not mix results of
 * two configurations); {@link #delete} removes the directory once the final outputs are written.
 */
public final class PartStore implements PriorComparison.Store {
  private final Path dir;

  private PartStore(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens (creating it if needed) the store in {@code dir} for a run described by {@code settings}.
   *
   * @throws IllegalArgumentException when dir holds parts of a run with other settings
   */
  public static PartStore open(Path dir, String settings) throws IOException {
    Files.createDirectories(dir);
    Path s = dir.resolve("settings.txt");
    if (Files.exists(s)) {
      String old = Files.readString(s, StandardCharsets.UTF_8);
      if (!old.equals(settings)) {
        throw new IllegalArgumentException(dir + " holds parts of a run with other settings (" + old.strip()
            + "); use another --out or delete " + dir);
      }
    } else {
      AtomicFiles.writeString(s, settings);
    }
    return new PartStore(dir);
  }

  /** Number of parts stored. */
  public int parts() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> p.getFileName().toString().endsWith(".f32")).count();
    }
  }

  @Override
  public float[][] load(String key, int rows, int cols) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
      int r = in.readInt();
      int c = in.readInt();
      if (r != rows || c != cols || Files.size(f) != 8L + 4L * r * c) {
        return null;
      }
      float[][] m = new float[r][c];
      for (float[] row : m) {
        for (int j = 0; j < c; j++) {
          row[j] = in.readFloat();
          if (!Float.isFinite(row[j])) {
            return null; // a non-finite part (from a version that kept them): recompute it
          }
        }
      }
      return m;
    } catch (IOException e) {
      return null; // unreadable part: recompute it
    }
  }

  @Override
  public void save(String key, float[][] value) {
    for (int i = 0; i < value.length; i++) {
      for (int j = 0; j < value[i].length; j++) {
        if (!Float.isFinite(value[i][j])) {
          throw new IllegalStateException("part " + key + " not saved in " + dir + ": value [" + i + "][" + j + "] is "
              + value[i][j]);
        }
      }
    }
    try {
      AtomicFiles.write(file(key), tmp -> {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
          out.writeInt(value.length);
          out.writeInt(value.length == 0 ? 0 : value[0].length);
          for (float[] row : value) {
            for (float v : row) {
              out.writeFloat(v);
            }
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("saving part " + key + " in " + dir, e);
    }
  }

  /** Removes the directory and everything in it. */
  public void delete() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Path file(String key) {
    if (!key.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("part key '" + key + "' must be letters, digits, '.', '_' or '-'");
    }
    return dir.resolve(key + ".f32");
  }
}
