package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnstm.prior.Divergences;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnstm js}: Jensen-Shannon distance (scipy.spatial.distance.jensenshannon semantics). */
@Command(name = "js", mixinStandardHelpOptions = true,
    description = {"Jensen-Shannon distance between two discrete distributions (scipy's semantics).",
        "Inputs are normalised to sum 1; the result is the square root of the divergence, natural log unless "
            + "--base. CSV: one value per line or a single row."})
public final class JsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--p", required = true, paramLabel = "P.csv", description = "first distribution")
  Path p;

  @Option(names = "--q", required = true, paramLabel = "Q.csv", description = "second distribution")
  Path q;

  @Option(names = "--base", paramLabel = "B", description = "logarithm base (default e)")
  Double base;

  @Option(names = "--header", defaultValue = "auto", paramLabel = "auto|yes|no", description = KdeCsv.HEADER_HELP)
  String header;

  @Option(names = "--json", description = "print {\"js_distance\": x}")
  boolean json;

  @Override
  public Integer call() {
    KdeCsv.Header h = KdeCsv.Header.parse("--header", header);
    double[] pv = KdeCsv.readVector(p, h);
    double[] qv = KdeCsv.readVector(q, h);
    if (pv.length != qv.length) {
      throw new IllegalArgumentException(
          String.format("%s has %d values but %s has %d", p, pv.length, q, qv.length));
    }
    double js = base == null ? Divergences.jensenShannonDistance(pv, qv)
        : Divergences.jensenShannonDistance(pv, qv, base);
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? "{\"js_distance\": " + js + "}" : Double.toString(js));
    out.flush();
    return 0;
  }
}
