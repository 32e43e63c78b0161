package org.nnstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  static byte[] images(int magic, int n, int rows, int cols, int dataBytes) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(magic);
    d.writeInt(n);
    d.writeInt(rows);
    d.writeInt(cols);
    for (int i = 0; i < dataBytes; i++) {
      d.writeByte(i * 37);
    }
    return b.toByteArray();
  }

  static byte[] labels(int n, int dataBytes) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(IdxReader.LABEL_MAGIC);
    d.writeInt(n);
    for (int i = 0; i < dataBytes; i++) {
      d.writeByte(i % 10);
    }
    return b.toByteArray();
  }

  Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      o.write(content);
    }
    return p;
  }

  @Test
  void readsRawAndGzipIdentically() throws IOException {
    byte[] img = images(IdxReader.IMAGE_MAGIC, 3, 2, 5, 30);
    IdxReader.Images raw = IdxReader.readImages(write("a", img, false));
    IdxReader.Images gz = IdxReader.readImages(write("b.anything", img, true));
    assertEquals(3, raw.count());
    assertEquals(2, raw.rows());
    assertEquals(5, raw.cols());
    assertArrayEquals(raw.pixels(), gz.pixels());
    assertEquals((37 & 0xFF) / 255f, raw.pixels()[1]);
    assertEquals((7 * 37 & 0xFF) / 255f, raw.pixels()[7]);
    assertArrayEquals(new int[] {0, 1, 2, 3}, IdxReader.readLabels(write("l.gz", labels(4, 4), true)));
  }

  @Test
  void corruptInputGivesClearErrors() throws IOException {
    Path badMagic = write("bad", images(0x0803_0000, 1, 1, 1, 1), false);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(badMagic))
        .getMessage().contains("not an IDX image file"));
    Path truncated = write("trunc", images(IdxReader.IMAGE_MAGIC, 4, 28, 28, 100), false);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(truncated))
        .getMessage().contains("truncated IDX data"));
    Path shortHeader = write("short", new byte[] {0, 0, 8, 3, 0}, false);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(shortHeader))
        .getMessage().contains("truncated IDX header"));
    Path labelsAsImages = write("lab", labels(3, 3), false);
    assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(labelsAsImages));
    Path truncLabels = write("tl", labels(10, 4), true);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(truncLabels))
        .getMessage().contains("truncated"));
  }

  @Test
  void countMismatchBetweenImagesAndLabelsIsAnError() throws IOException {
    write("train-images-idx3-ubyte", images(IdxReader.IMAGE_MAGIC, 50_001, 28, 28, 50_001 * 784), true);
    write("train-labels-idx1-ubyte", labels(50_000, 50_000), false);
    write("t10k-images-idx3-ubyte", images(IdxReader.IMAGE_MAGIC, 2, 28, 28, 2 * 784), false);
    write("t10k-labels-idx1-ubyte", labels(2, 2), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir));
    assertTrue(e.getMessage().contains("50001 images but") && e.getMessage().contains("50000 labels"),
        e.getMessage());
  }

  @Test
  void realMnistHeadersAndChecksums() throws IOException {
    Path mnist = MnistFetcher.dataDir(null);
    Assumptions.assumeTrue(MnistFetcher.present(mnist), "MNIST not installed in " + mnist + ": skipped");
    for (String f : Mnist.FILES) {
      assertEquals(MnistFetcher.SHA256.get(f), MnistFetcher.sha256(Mnist.find(mnist, f)), f);
    }
    Mnist m = Mnist.load(mnist);
    assertEquals(50_000, m.train(Integer.MAX_VALUE).size());
    assertEquals(10_000, m.validation().size());
    assertEquals(10_000, m.test().size());
    assertEquals(5, m.train(10).labels()[0]);
    assertEquals(7, m.test().labels()[0]);
  }
}
