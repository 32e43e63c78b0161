package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.prior.GaussianKde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnstm kde}: Gaussian KDE (scipy.stats.gaussian_kde semantics) of CSV samples at CSV points. */
@Command(name = "kde", mixinStandardHelpOptions = true,
    description = {"Gaussian kernel density estimate (scipy.stats.gaussian_kde semantics) evaluated at points.",
        "CSV: one sample/point per row, comma-separated columns; an all-text first line is a header."})
public final class KdeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--samples", required = true, paramLabel = "S.csv", description = "samples, n rows x d columns")
  Path samples;

  @Option(names = "--points", required = true, paramLabel = "P.csv", description = "points, m rows x d columns")
  Path points;

  @Option(names = "--bw", defaultValue = "scott", paramLabel = "scott|silverman|FACTOR",
      description = "bandwidth rule or a positive factor (default: ${DEFAULT-VALUE})")
  String bandwidth;

  @Option(names = "--weights", paramLabel = "W.csv", description = "optional positive weights, one per sample")
  Path weights;

  @Option(names = "--json", description = "print {\"density\": [...]} instead of one density per line")
  boolean json;

  @Override
  public Integer call() {
    GaussianKde.Bandwidth bw = GaussianKde.Bandwidth.parse(bandwidth);
    double[][] s = KdeCsv.readMatrix(samples);
    double[][] p = KdeCsv.readMatrix(points);
    if (p[0].length != s[0].length) {
      throw new IllegalArgumentException(String.format("%s has %d columns but %s has %d: dimensions must match",
          points, p[0].length, samples, s[0].length));
    }
    double[] w = null;
    if (weights != null) {
      w = KdeCsv.readVector(weights);
      if (w.length != s.length) {
        throw new IllegalArgumentException(
            String.format("%s has %d weights but %s has %d samples", weights, w.length, samples, s.length));
      }
    }
    double[] density = new GaussianKde(s, bw, w).pdf(p);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      StringBuilder sb = new StringBuilder("{\"density\": [");
      for (int j = 0; j < density.length; j++) {
        sb.append(j == 0 ? "" : ", ").append(density[j]);
      }
      out.println(sb.append("]}"));
    } else {
      for (double v : density) {
        out.println(v);
      }
    }
    out.flush();
    return 0;
  }
}
