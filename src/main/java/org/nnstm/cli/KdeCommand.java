package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.prior.GaussianKde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm kde}: Gaussian KDE (scipy.stats.gaussian_kde semantics) of CSV samples at CSV points. */
@Command(name = "kde", mixinStandardHelpOptions = true,
    description = {"Gaussian kernel density estimate (scipy.stats.gaussian_kde semantics) evaluated at points.",
        "CSV (UTF-8): one sample/point per row, comma-separated decimal numbers; '#' lines are comments. A first "
            + "line whose fields all start with a letter or '_' (or are quoted) is a header (see --header); any "
            + "other field that is not a finite number is an error naming file, line and column.",
        "Output: one density per line; with --json one object {\"density\": [...]}."})
final class KdeCommand implements Callable<Integer> {
  @Option(names = "--samples", required = true, paramLabel = "S.csv", description = "samples, n rows x d columns")
  Path samples;

  @Option(names = "--points", required = true, paramLabel = "P.csv", description = "points, m rows x d columns")
  Path points;

  @Option(names = "--bw", defaultValue = "scott", paramLabel = "scott|silverman|FACTOR",
      description = "bandwidth rule or a positive factor (default: ${DEFAULT-VALUE})")
  String bandwidth;

  @Option(names = "--weights", paramLabel = "W.csv", description = "optional positive weights, one per sample")
  Path weights;

  @Mixin
  CommonOptions.CsvHeader header;

  @Mixin
  CommonOptions.Output output;

  @Option(names = "--backend", defaultValue = "exact", paramLabel = "exact|cpu|cuda|auto",
      description = "exact (default): double precision on the CPU, 1e-12 of scipy; cpu|cuda|auto: the backend's "
          + "kernel-sum op on float32 whitened data (a CUDA kernel on a GPU), ~1e-5 relative")
  String backend;

  @Override
  public Integer call() {
    GaussianKde.Bandwidth bw = GaussianKde.Bandwidth.parse(bandwidth);
    header.header(); // checks --header before --backend and the files
    String be = backend.toLowerCase(java.util.Locale.ROOT);
    if (!java.util.List.of("exact", "cpu", "cuda", "auto").contains(be)) {
      throw new IllegalArgumentException("unknown --backend '" + backend + "': use exact, cpu, cuda or auto");
    }
    double[][] s = header.matrix(samples);
    if (s.length < 2) {
      throw new IllegalArgumentException(samples + ": KDE needs at least 2 samples, got " + s.length);
    }
    double[][] p = header.matrix(points);
    if (p[0].length != s[0].length) {
      throw new IllegalArgumentException(String.format("%s has %d columns but %s has %d: dimensions must match",
          points, p[0].length, samples, s[0].length));
    }
    double[] w = null;
    if (weights != null) {
      w = header.vector(weights);
      if (w.length != s.length) {
        throw new IllegalArgumentException(
            String.format("%s has %d weights but %s has %d samples", weights, w.length, samples, s.length));
      }
      for (int i = 0; i < w.length; i++) {
        if (!(w[i] > 0)) {
          throw new IllegalArgumentException(
              String.format("%s: weight %d (of %d) must be > 0, got %s", weights, i + 1, w.length, w[i]));
        }
      }
    }
    GaussianKde kde;
    try {
      kde = new GaussianKde(s, bw, w);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(samples + ": " + e.getMessage(), e); // singular covariance
    }
    double[] density;
    if (be.equals("exact")) {
      density = kde.pdf(p);
    } else {
      PrintWriter err = output.err();
      try (org.nnstm.tensor.Backend b = org.nnstm.tensor.Backends.open(be, 1, line -> {
        err.println("nnstm: " + line);
        err.flush();
      })) {
        double[] log = kde.logpdf(b, p);
        density = new double[log.length];
        for (int j = 0; j < log.length; j++) {
          density[j] = Math.exp(log[j]);
        }
      }
    }
    String text = output.json() ? "{\"density\": [" + format(density, ", ") + "]}" + System.lineSeparator()
        : format(density, System.lineSeparator()) + System.lineSeparator();
    // one string, one print: picocli's writer flushes on every println
    PrintWriter out = output.out();
    out.print(text);
    out.flush();
    return 0;
  }

  /**
   * The values as {@link Double#toString} writes them (text that reads back to the same double),
   * joined by {@code separator}; formatted in parallel blocks of 2048 (Double.toString is about 6 us a value
   * in a fresh JVM, 60 ms for 10^4 densities), joined in order.
   */
  static String format(double[] values, String separator) {
    int block = 2048;
    int blocks = (values.length + block - 1) / block;
    String[] parts = new String[blocks];
    java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
      StringBuilder sb = new StringBuilder(block * 24);
      for (int j = b * block; j < Math.min(values.length, (b + 1) * block); j++) {
        sb.append(j == b * block ? "" : separator).append(values[j]);
      }
      parts[b] = sb.toString();
    });
    return String.join(separator, parts);
  }
}
