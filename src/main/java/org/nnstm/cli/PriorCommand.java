package org.nnstm.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.prior.LinearNetworkPrior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm prior}: exact priors of deep linear Bayesian networks. */
@Command(name = "prior", mixinStandardHelpOptions = true,
    description = "Exact finite-width output priors of deep linear networks (Zavatone-Veth & Pehlevan 2021).",
    subcommands = {PriorCommand.Density.class, PriorCompareCommand.class})
final class PriorCommand extends CommonOptions.Group {
  /** {@code nnstm prior density}: the exact density at given radii or output values. */
  @Command(name = "density", mixinStandardHelpOptions = true,
      description = {"Exact prior density of the outputs h_L of a deep linear network with input norm ||x||:",
          "vector: p(h) at ||h|| = r; radial: density of ||h||; marginal: density of one output component at y;",
          "cdf: P(||h|| <= r). Log densities are computed in log space (no overflow or underflow).",
          "Domain: r from 0 up to where the log density is a finite double: u = kappa r^2 < e^709 for one layer,",
          "L u^(1/L) < 1e300 for L >= 2 layers (kappa = prod hidden widths / (2^L s2)); beyond, an error names r.",
          "Output: a table; with --json one object per point: r, density, log_density (for every kind).",
          "Example: nnstm prior density --widths 3,4,4,2 --var-w 1.0,1.2,0.9 --x-norm 1.7 --at 0.1,0.5,1.0 --json"})
  static final class Density implements Callable<Integer> {
    @Mixin
    CommonOptions.LinearLayers layers;

    @Mixin
    CommonOptions.RequiredXNorm xNorm;

    @Option(names = "--at", required = true, paramLabel = "R1,R2,..",
        description = "Points: radii r >= 0 (vector, radial, cdf) or output values y (marginal); a list or a range a:b:s.")
    String at;

    @Option(names = "--kind", defaultValue = "vector", paramLabel = "vector|radial|marginal|cdf",
        description = "What to evaluate (default: ${DEFAULT-VALUE}).")
    String kind;

    @Mixin
    CommonOptions.Output output;

    @Override
    public Integer call() {
      int[] w = layers.widths();
      double[] v = layers.varW();
      double[] points = Ranges.doubles("--at", at);
      String k = kind.toLowerCase(Locale.ROOT);
      if (!k.equals("vector") && !k.equals("radial") && !k.equals("marginal") && !k.equals("cdf")) {
        throw new IllegalArgumentException("--kind must be vector, radial, marginal or cdf, got '" + kind + "'");
      }
      double xn = xNorm.value();
      LinearNetworkPrior prior;
      try {
        prior = new LinearNetworkPrior(w, v, xn);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(layers.given() + ": " + e.getMessage(), e);
      }
      // every point first, so that an error leaves no partial table on stdout
      double[] logs = new double[points.length];
      for (int i = 0; i < points.length; i++) {
        double r = points[i];
        try {
          switch (k) {
            case "vector": logs[i] = prior.logDensity(r); break;
            case "radial": logs[i] = prior.logRadialDensity(r); break;
            case "marginal": logs[i] = prior.logMarginalDensity(r); break;
            default: logs[i] = prior.logRadialCdf(r); break;
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--at " + r + " (--x-norm " + xn + "): " + e.getMessage(), e);
        }
      }
      CommonOptions.Table table = output.table("%s  %.17g  %.17g", "r", "density", "log_density");
      if (k.equals("marginal")) {
        table = table.labels("y", "density", "log_density");
      } else if (k.equals("cdf")) {
        table = table.labels("r", "cdf", "log_cdf");
      }
      for (int i = 0; i < points.length; i++) {
        table.row(points[i], Math.exp(logs[i]), logs[i]);
      }
      return 0;
    }
  }
}
