package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnstm.meanfield.MeanField;
import org.nnstm.tensor.Activation;
import org.nnstm.meanfield.MeanFieldPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm meanfield}: mean-field criticality theory (q*, chi_1, c*, chi_c, xi_c, xi_q, phase). */
@Command(name = "meanfield", mixinStandardHelpOptions = true,
    description = {"Mean-field theory of deep random networks (Poole et al. 2016, Schoenholz et al. 2017) "
        + "over a grid of sigma_w^2.",
        "Domain: 1e-200 <= sigma_w^2 <= 1e15; sigma_b^2 = 0 or 1e-300 <= sigma_b^2 <= 1e15 (accurate to ~1e-12 there;"
        + " xi is Infinity within 1e-13 of chi = 1).",
        "Example: nnstm meanfield --var-w 1.0:3.0:0.05 --var-b 0.05 --json;  nnstm meanfield critical --var-b 0.05"},
    subcommands = {MeanfieldCommand.Critical.class})
public final class MeanfieldCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--var-w", paramLabel = "LIST|A:B:S",
      description = "Weight variances sigma_w^2: a list 1.0,1.5 or a range 1.0:3.0:0.05 (B included).")
  String varW;

  @Mixin
  Model model;

  @Option(names = "--json", description = "One object per line: var_w, var_b, q_star, chi_1, c_star, chi_c, xi_c, xi_q, phase.")
  boolean json;

  @Override
  public Integer call() {
    if (varW == null) {
      throw new IllegalArgumentException("--var-w is required (or use: nnstm meanfield critical)");
    }
    Activation phi = model.phi();
    double varB = model.varB;
    double[] grid = Ranges.doubles("--var-w", varW);
    // every point first: an error (out of the domain, linear with sigma_w^2 >= 1) leaves stdout empty
    java.util.List<MeanFieldPoint> points = new java.util.ArrayList<>();
    for (double vw : grid) {
      try {
        points.add(MeanField.of(phi, vw, varB));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--var-w " + vw + " --var-b " + varB + ": " + e.getMessage(), e);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.println("var_w    var_b    q_star        chi_1         c_star        chi_c         xi_c          xi_q          phase");
    }
    for (MeanFieldPoint p : points) {
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("var_w", p.varW());
        o.put("var_b", p.varB());
        o.put("q_star", p.qStar());
        o.put("chi_1", p.chi1());
        o.put("c_star", p.cStar());
        o.put("chi_c", p.chiC());
        o.put("xi_c", p.xiC());
        o.put("xi_q", p.xiQ());
        o.put("phase", p.phase());
        out.println(JsonLine.of(o));
      } else {
        out.printf(Locale.ROOT, "%-8s %-8s %-13.10g %-13.10g %-13.10g %-13.10g %-13.6g %-13.6g %s%n", p.varW(),
            p.varB(), p.qStar(), p.chi1(), p.cStar(), p.chiC(), p.xiC(), p.xiQ(), p.phase());
      }
      out.flush();
    }
    return 0;
  }

  /** The options both commands share: sigma_b^2 and the activation. */
  static final class Model {
    @Option(names = "--var-b", defaultValue = "0.05", description = "Bias variance sigma_b^2 (default: ${DEFAULT-VALUE}).")
    double varB;

    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "tanh|linear",
        description = "Activation (default: ${DEFAULT-VALUE}).")
    String activation;

    Activation phi() {
      return Activation.named(activation);
    }
  }

  /** {@code nnstm meanfield critical}: the critical sigma_w^2 (chi_1 = 1) at a sigma_b^2. */
  @Command(name = "critical", mixinStandardHelpOptions = true,
      description = "The order-to-chaos transition: sigma_w^2 where chi_1 = 1, and q* there.")
  static final class Critical implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Model model;

    @Option(names = "--json", description = "One object: var_b, var_w, q_star.")
    boolean json;

    @Override
    public Integer call() {
      Activation phi = model.phi();
      double varB = model.varB;
      double vw;
      try {
        vw = MeanField.criticalWeightVariance(phi, varB);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--var-b " + varB + ": " + e.getMessage(), e);
      }
      double q = phi == Activation.IDENTITY ? (varB == 0 ? 0 : Double.POSITIVE_INFINITY)
          : MeanField.of(phi, vw, varB).qStar();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("var_b", varB);
        o.put("var_w", vw);
        o.put("q_star", q);
        out.println(JsonLine.of(o));
      } else {
        out.printf(Locale.ROOT, "var_b %s  critical var_w %.15g  q_star %.15g%n", varB, vw, q);
      }
      return 0;
    }
  }
}
