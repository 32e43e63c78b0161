package org.nnstm.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files (LeCun et al.), raw or gzip-compressed (recognised by the gzip magic bytes
 * 1f 8b, whatever the name). Images: magic 0x00000803, counts n, rows, cols, then n*rows*cols unsigned
 * bytes, returned as floats scaled to [0, 1] (pixel / 255). Labels: magic 0x00000801, count n, then n
 * unsigned bytes. Malformed files throw {@link IllegalArgumentException} with the file and the problem.
 */
final class IdxReader {
  static final int IMAGE_MAGIC = 0x00000803;
  static final int LABEL_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Images of an idx3 file: n x (rows*cols) floats in [0, 1], row-major. */
  public record Images(int count, int rows, int cols, float[] pixels) {}

  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      return readImages(in, file);
    } catch (java.util.zip.ZipException e) {
      throw corrupt(file, e);
    }
  }

  /** A gzip stream that fails its own checks (bad CRC, bad header or trailer): one line naming the file. */
  private static IllegalArgumentException corrupt(Path file, java.util.zip.ZipException e) {
    return new IllegalArgumentException(file + ": corrupt gzip data (" + e.getMessage() + "); fetch the file again",
        e);
  }

  private static Images readImages(DataInputStream in, Path file) throws IOException {
    int magic = header(in, file, "magic number");
    if (magic != IMAGE_MAGIC) {
      throw new IllegalArgumentException(file + ": not an IDX image file (magic 0x"
          + String.format("%08x", magic) + ", expected 0x00000803)");
    }
    int n = header(in, file, "image count");
    int rows = header(in, file, "row count");
    int cols = header(in, file, "column count");
    if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(file + ": implausible IDX image header (" + n + " images of "
          + rows + "x" + cols + ")");
    }
    byte[] raw = new byte[n * rows * cols];
    readFully(in, raw, file, n + " images of " + rows + "x" + cols);
    float[] px = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      px[i] = (raw[i] & 0xFF) / 255f;
    }
    expectEnd(in, file);
    return new Images(n, rows, cols, px);
  }

  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      return readLabels(in, file);
    } catch (java.util.zip.ZipException e) {
      throw corrupt(file, e);
    }
  }

  private static int[] readLabels(DataInputStream in, Path file) throws IOException {
    int magic = header(in, file, "magic number");
    if (magic != LABEL_MAGIC) {
      throw new IllegalArgumentException(file + ": not an IDX label file (magic 0x"
          + String.format("%08x", magic) + ", expected 0x00000801)");
    }
    int n = header(in, file, "label count");
    if (n < 0) {
      throw new IllegalArgumentException(file + ": negative label count " + n);
    }
    byte[] raw = new byte[n];
    readFully(in, raw, file, n + " labels");
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = raw[i] & 0xFF;
    }
    expectEnd(in, file);
    return labels;
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return new DataInputStream(in);
  }

  private static int header(DataInputStream in, Path file, String what) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": truncated IDX header (missing " + what + ")");
    }
  }

  private static void readFully(DataInputStream in, byte[] buf, Path file, String what) throws IOException {
    try {
      in.readFully(buf);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": truncated IDX data (header promises " + what + ")");
    }
  }

  private static void expectEnd(DataInputStream in, Path file) throws IOException {
    if (in.read() != -1) {
      throw new IllegalArgumentException(file + ": trailing bytes after the IDX data");
    }
  }
}
