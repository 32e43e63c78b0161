package org.nnstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk is named as such, with the target (not the temporary name), and leaves nothing behind. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void fullDiskNamedWithTheTarget() throws IOException {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(full), "/dev/full (a device that answers ENOSPC) is absent: skipped");
    Path target = dir.resolve("grid.csv");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "partial");
      Files.write(full, new byte[1 << 16]); // the operating system's own ENOSPC
    }));
    assertEquals("no space left on device writing " + target.toAbsolutePath(), e.getMessage());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "no temporary file and no target left");
    }
  }

  @Test
  void otherErrorsPassThrough() {
    IOException e = assertThrows(IOException.class,
        () -> AtomicFiles.write(dir.resolve("x"), tmp -> {
          throw new IOException("disk on fire");
        }));
    assertEquals("disk on fire", e.getMessage());
    assertTrue(AtomicFiles.noSpace(new RuntimeException("wrap", new IOException("Disk quota exceeded"))));
  }

  /** publish: all files of a staged write appear, or none (the regress outputs). */
  @Test
  void aFailedWriteLeavesTheDirectoryAsItWas() throws IOException {
    Path out = dir.resolve("whole");
    Files.createDirectories(out);
    Files.writeString(out.resolve("history.hdf5"), "old");
    IOException e = assertThrows(IOException.class, () ->
        AtomicFiles.publish(out, stage -> {
          Files.writeString(stage.resolve("history.hdf5"), "new");
          Files.writeString(stage.resolve("curves.png"), "new");
          throw new IOException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    try (var entries = Files.list(out)) {
      assertEquals(List.of(out.resolve("history.hdf5")), entries.toList(), "only the old file, no staging");
    }
    assertEquals("old", Files.readString(out.resolve("history.hdf5")));
    // a directory in the way of the second file: refused before the first rename
    Files.createDirectories(out.resolve("zz.png"));
    IOException inTheWay = assertThrows(IOException.class, () ->
        AtomicFiles.publish(out, stage -> {
          Files.writeString(stage.resolve("history.hdf5"), "new");
          Files.writeString(stage.resolve("zz.png"), "new");
        }));
    assertTrue(inTheWay.getMessage().contains("a directory of that name is in the way"), inTheWay.getMessage());
    assertEquals("old", Files.readString(out.resolve("history.hdf5")));
    Files.delete(out.resolve("zz.png"));
    AtomicFiles.publish(out, stage -> Files.writeString(stage.resolve("history.hdf5"), "new"));
    assertEquals("new", Files.readString(out.resolve("history.hdf5")));
    try (var entries = Files.list(out)) {
      assertEquals(1, entries.count(), "a successful publish leaves only its files");
    }
  }
}
