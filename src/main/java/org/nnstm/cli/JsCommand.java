package org.nnstm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.prior.Divergences;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm js}: Jensen-Shannon distance (scipy.spatial.distance.jensenshannon semantics). */
@Command(name = "js", mixinStandardHelpOptions = true,
    description = {"Jensen-Shannon distance between two discrete distributions (scipy's semantics).",
        "Inputs are normalised to sum 1; the result is the square root of the divergence, natural log unless "
            + "--base. CSV: one value per line or a single row.", "Output: the distance; with --json {\"js_distance\": x}."})
final class JsCommand implements Callable<Integer> {
  @Option(names = "--p", required = true, paramLabel = "P.csv", description = "first distribution")
  Path p;

  @Option(names = "--q", required = true, paramLabel = "Q.csv", description = "second distribution")
  Path q;

  @Option(names = "--base", paramLabel = "B", description = "logarithm base (default e)")
  Double base;

  @Mixin
  CommonOptions.CsvHeader header;

  @Mixin
  CommonOptions.Output output;

  @Override
  public Integer call() {
    double[] pv = header.vector(p);
    double[] qv = header.vector(q);
    if (pv.length != qv.length) {
      throw new IllegalArgumentException(
          String.format("%s has %d values but %s has %d", p, pv.length, q, qv.length));
    }
    double js = base == null ? Divergences.jensenShannonDistance(pv, qv)
        : Divergences.jensenShannonDistance(pv, qv, base);
    output.row(Double.toString(js), "js_distance", js);
    return 0;
  }
}
