package org.nnstm.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnstm.prior.GaussianKde;

/**
 * Timing harness for tools/compare-kde: {@code java -cp target/classes org.nnstm.cli.bench.KdeBenchmark
 * SAMPLES.f64 POINTS.f64 D REPEATS OUT.f64}. Reads little-endian float64 row-major files (n x d samples,
 * m x d points, as written by numpy's tofile), builds a Scott-bandwidth KDE, evaluates pdf REPEATS times after
 * one warm-up, prints {@code "nnstm_seconds=<best>"} and writes the densities to OUT.f64 for the script to compare
 * with scipy.
 */
public final class KdeBenchmark {
  private KdeBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: KdeBenchmark SAMPLES.f64 POINTS.f64 D REPEATS OUT.f64");
    }
    int d = Integer.parseInt(args[2]);
    int repeats = Integer.parseInt(args[3]);
    double[][] x = read(Path.of(args[0]), d);
    double[][] y = read(Path.of(args[1]), d);
    long t0 = System.nanoTime();
    GaussianKde kde = new GaussianKde(x);
    double build = (System.nanoTime() - t0) / 1e9;
    double[] pdf = kde.pdf(y); // warm-up (JIT)
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeats; r++) {
      long t = System.nanoTime();
      pdf = kde.pdf(y);
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    ByteBuffer out = ByteBuffer.allocate(8 * pdf.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : pdf) {
      out.putDouble(v);
    }
    Files.write(Path.of(args[4]), out.array());
    System.out.printf("nnstm_build_seconds=%.4f%nnnstm_seconds=%.4f%nthreads=%d%n", build, best,
        Runtime.getRuntime().availableProcessors());
  }

  private static double[][] read(Path file, int d) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int rows = b.remaining() / 8 / d;
    double[][] a = new double[rows][d];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < d; k++) {
        a[i][k] = b.getDouble();
      }
    }
    return a;
  }
}
