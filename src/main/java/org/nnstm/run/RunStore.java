package org.nnstm.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.RunManifest;

/**
 * The one resumable store of a run's output directory, used by train, grid, regress and prior compare:
 * <ul>
 *   <li>the run manifest ({@link RunManifest}): written when the directory is new, compared when it is not, so a
 *       rerun, resume or shard never mixes results of two configurations;</li>
 *   <li>finished parts ({@link Parts}) in {@value #PARTS}: one file per key ({@code KEY.f32}: int rows, int
 *       cols, then rows x cols big-endian floats), each written under a temporary name and renamed, so a
 *       killed run keeps every part it finished and nothing half-written; {@link #deleteParts} removes them
 *       once the final outputs are written;</li>
 *   <li>claims ({@link #tryClaim}) on units of work, for processes sharing the directory (grid shards): a claim
 *       appears whole or not at all (hard link), is kept alive by a heartbeat and taken over when its holder
 *       is gone; released on {@link #close}.</li>
 * </ul>
 * What counts as done is the experiment's: a part present, or (the grid) an output file that holds every
 * epoch.
 */
public final class RunStore implements Parts, AutoCloseable {
  /** The directory of finished parts inside a run directory. */
  public static final String PARTS = ".parts";

  private final Path dir;
  private final RunManifest manifest;
  private final boolean resumed;
  private Claims claims;

  private RunStore(Path dir, RunManifest manifest, boolean resumed) {
    this.dir = dir;
    this.manifest = manifest;
    this.resumed = resumed;
  }

  /**
   * Opens the run directory {@code dir} (which must exist) for the run the manifest describes: writes the
   * manifest when the directory has none, else compares the settings.
   *
   * @throws IllegalArgumentException when dir holds a run with other settings (naming them)
   */
  public static RunStore open(Path dir, RunManifest manifest) throws IOException {
    boolean resumed = manifest.open(dir);
    return new RunStore(dir, manifest, resumed);
  }

  /** A store on {@code dir} (created if missing) without a manifest: for library callers and tests. */
  public static RunStore unchecked(Path dir) throws IOException {
    Files.createDirectories(dir);
    return new RunStore(dir, null, false);
  }

  /** The run directory. */
  public Path dir() {
    return dir;
  }

  /** The run's manifest (with this process's provenance), or null for an {@link #unchecked} store. */
  public RunManifest manifest() {
    return manifest;
  }

  /** True when the directory already held this run's manifest (a resume, or another shard's directory). */
  public boolean resumed() {
    return resumed;
  }

  // ------------------------------------------------------------------------------------------ parts

  /** Number of parts stored. */
  public int parts() throws IOException {
    Path p = dir.resolve(PARTS);
    if (!Files.isDirectory(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(p)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(".f32")).count();
    }
  }

  @Override
  public float[][] load(String key, int rows, int cols) {
    Path f = partFile(key);
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
          throw new IllegalStateException("part " + key + " not saved in " + dir.resolve(PARTS) + ": value [" + i
              + "][" + j + "] is " + value[i][j]);
        }
      }
    }
    Path f = partFile(key);
    try {
      Files.createDirectories(f.getParent());
      AtomicFiles.write(f, tmp -> {
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
      throw new UncheckedIOException("saving part " + key + " in " + dir.resolve(PARTS), e);
    }
  }

  /** Removes the parts directory and everything in it (once the run's final outputs are written). */
  public void deleteParts() throws IOException {
    Path p = dir.resolve(PARTS);
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private Path partFile(String key) {
    return dir.resolve(PARTS).resolve(requireKey(key, "part") + ".f32");
  }

  // ------------------------------------------------------------------------------------------ claims

  /**
   * Claims a unit of work (e.g. {@code depth-5}), taking over a stale claim.
   *
   * @return empty when this process holds the claim now, else who holds it ("pid 12 on host h since ...")
   */
  public synchronized Optional<String> tryClaim(String unit) throws IOException {
    requireKey(unit, "unit");
    if (claims == null) {
      claims = new Claims(dir, RunManifest.host());
    }
    return claims.tryClaim(unit);
  }

  /** Releases a claim this process holds. */
  public synchronized void release(String unit) throws IOException {
    if (claims != null) {
      claims.release(unit);
    }
  }

  /** Releases every claim held. */
  @Override
  public synchronized void close() {
    if (claims != null) {
      claims.close();
      claims = null;
    }
  }

  private static String requireKey(String key, String what) {
    if (!key.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(what + " key '" + key + "' must be letters, digits, '.', '_' or '-'");
    }
    return key;
  }
}
