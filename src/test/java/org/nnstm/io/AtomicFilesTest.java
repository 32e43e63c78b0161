package org.nnstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
