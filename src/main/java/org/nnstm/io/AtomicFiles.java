package org.nnstm.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that no half-written file ever carries the final name: the content goes to a
 * temporary file in the same directory, which is then renamed over the target (atomically where the
 * file system allows). A failed write removes the temporary file; a full disk (ENOSPC, EDQUOT) comes back
 * as an {@link IOException} "no space left on device writing TARGET" (not the temporary name).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path tmp) throws IOException;
  }

  /** Creates {@code target} through {@code writer}, which receives a fresh temporary path to fill. */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      Files.delete(tmp);
      writer.write(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException | RuntimeException e) {
      if (noSpace(e)) {
        throw new IOException("no space left on device writing " + target.toAbsolutePath(), e);
      }
      throw e;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Whether e or one of its causes is the operating system's ENOSPC or EDQUOT. */
  static boolean noSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /** Writes the content of a file through a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(java.io.OutputStream out) throws IOException;
  }

  /** {@link #write} through a stream; I/O errors come back as {@link java.io.UncheckedIOException}. */
  public static void writeStream(Path target, StreamWriter writer) {
    try {
      write(target, tmp -> {
        try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
          writer.write(out);
        }
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes a UTF-8 text file atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, tmp -> Files.writeString(tmp, text));
  }

  /** Fails early, with a clear message, when {@code dir} cannot be created or written. */
  public static void requireWritableDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name is in the way"
          : e instanceof java.nio.file.NoSuchFileException ? "cannot create it there"
          : e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
          : e.toString();
      throw new IOException("cannot create output directory " + dir + ": " + why, e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new java.nio.file.AccessDeniedException(dir + " (output directory is not writable)");
    }
    Path probe = null;
    try {
      probe = Files.createTempFile(dir, ".probe", ".tmp");
    } catch (IOException e) {
      throw new java.nio.file.AccessDeniedException(dir + " (cannot create files in the output directory)");
    } finally {
      if (probe != null) {
        Files.deleteIfExists(probe);
      }
    }
  }

  /** Writes files into a directory. */
  @FunctionalInterface
  public interface StagedWriter {
    void write(Path stage) throws IOException;
  }

  /**
   * Runs writer on a fresh hidden staging directory inside out (created if missing), then renames every file
   * it wrote into out, replacing files of the same name; the staging directory is always removed. When writer
   * fails, out keeps exactly the files it had.
   */
  public static void publish(Path out, StagedWriter writer) throws IOException {
    Files.createDirectories(out);
    Path stage = Files.createTempDirectory(out, ".staging-");
    try {
      writer.write(stage);
      java.util.List<Path> files;
      try (var entries = Files.list(stage)) {
        files = entries.sorted().toList();
      }
      for (Path f : files) { // a rename over a directory would fail half-way: refuse before the first one
        if (Files.isDirectory(out.resolve(f.getFileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("cannot write " + out.resolve(f.getFileName()) + ": a directory of that name is "
              + "in the way (nothing in " + out + " was changed)");
        }
      }
      for (Path f : files) {
        Files.move(f, out.resolve(f.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      try (var entries = Files.list(stage)) {
        for (Path f : entries.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(stage);
    }
  }
}
