package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnstm.nn.Layouts;
import org.nnstm.prior.LinearNetworkPrior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm prior}: exact priors of deep linear Bayesian networks. */
@Command(name = "prior", mixinStandardHelpOptions = true,
    description = "Exact finite-width output priors of deep linear networks (Zavatone-Veth & Pehlevan 2021).",
    subcommands = {PriorCommand.Density.class, PriorCompareCommand.class})
public final class PriorCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code nnstm prior density}: the exact density at given radii or output values. */
  @Command(name = "density", mixinStandardHelpOptions = true,
      description = {"Exact prior density of the outputs h_L of a deep linear network with input norm ||x||:",
          "vector: p(h) at ||h|| = r; radial: density of ||h||; marginal: density of one output component at y;",
          "cdf: P(||h|| <= r). Log densities are computed in log space (no overflow or underflow).",
          "Domain: r from 0 up to where the log density is a finite double: u = kappa r^2 < e^709 for one layer,",
          "L u^(1/L) < 1e300 for L >= 2 layers (kappa = prod hidden widths / (2^L s2)); beyond, an error names r.",
          "Example: nnstm prior density --widths 3,4,4,2 --var-w 1.0,1.2,0.9 --x-norm 1.7 --at 0.1,0.5,1.0 --json"})
  public static final class Density implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--widths", required = true, paramLabel = "N0,..,NL",
        description = "Widths: input n_0, hidden n_1..n_{L-1}, output n_L.")
    String widths;

    @Option(names = "--var-w", required = true, paramLabel = "S1,..,SL",
        description = "Weight variances sigma_l^2 (W_l entries N(0, sigma_l^2/n_{l-1})): one for all layers or one per layer.")
    String varW;

    @Option(names = "--x-norm", required = true, paramLabel = "R", description = "Input norm ||x|| (> 0).")
    double xNorm;

    @Option(names = "--at", required = true, paramLabel = "R1,R2,..",
        description = "Points: radii r >= 0 (vector, radial, cdf) or output values y (marginal); a list or a range a:b:s.")
    String at;

    @Option(names = "--kind", defaultValue = "vector", paramLabel = "vector|radial|marginal|cdf",
        description = "What to evaluate (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--json", description = "One JSON object per point: r, density, log_density.")
    boolean json;

    @Override
    public Integer call() {
      int[] w = Layouts.parse(widths);
      double[] v = Ranges.doubles("--var-w", varW);
      double[] points = Ranges.doubles("--at", at);
      String k = kind.toLowerCase(Locale.ROOT);
      if (!k.equals("vector") && !k.equals("radial") && !k.equals("marginal") && !k.equals("cdf")) {
        throw new IllegalArgumentException("--kind must be vector, radial, marginal or cdf, got '" + kind + "'");
      }
      if (!(xNorm > 0) || Double.isInfinite(xNorm)) {
        throw new IllegalArgumentException("--x-norm must be finite and > 0, got " + xNorm);
      }
      LinearNetworkPrior prior;
      try {
        prior = new LinearNetworkPrior(w, v, xNorm);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--widths " + widths + " --var-w " + varW + ": " + e.getMessage(), e);
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
          throw new IllegalArgumentException("--at " + r + " (--x-norm " + xNorm + "): " + e.getMessage(), e);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (!json) {
        out.println(k.equals("marginal") ? "y  density  log_density" : "r  " + (k.equals("cdf") ? "cdf  log_cdf" : "density  log_density"));
      }
      for (int i = 0; i < points.length; i++) {
        double r = points[i];
        double log = logs[i];
        double value = Math.exp(log);
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("r", r);
          o.put("density", value);
          o.put("log_density", log);
          out.println(JsonLine.of(o));
        } else {
          out.printf(Locale.ROOT, "%s  %.17g  %.17g%n", r, value, log);
        }
      }
      out.flush();
      return 0;
    }
  }
}
