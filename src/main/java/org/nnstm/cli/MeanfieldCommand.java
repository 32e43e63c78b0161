package org.nnstm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.meanfield.MeanField;
import org.nnstm.meanfield.MeanFieldPoint;
import org.nnstm.tensor.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nnstm meanfield}: mean-field criticality theory (q*, chi_1, c*, chi_c, xi_c, xi_q, phase). */
@Command(name = "meanfield", mixinStandardHelpOptions = true,
    description = {"Mean-field theory of deep random networks (Poole et al. 2016, Schoenholz et al. 2017) "
        + "over a grid of sigma_w^2.",
        "Domain: 1e-200 <= sigma_w^2 <= 1e15; sigma_b^2 = 0 or 1e-300 <= sigma_b^2 <= 1e15 (accurate to ~1e-12 there;"
        + " xi is Infinity within 1e-13 of chi = 1).",
        "Output: a table; with --json one object per line: var_w, var_b, q_star, chi_1, c_star, chi_c, xi_c, xi_q, "
        + "phase.",
        "Example: nnstm meanfield --var-w 1.0:3.0:0.05 --var-b 0.05 --json;  nnstm meanfield critical --var-b 0.05"},
    subcommands = {MeanfieldCommand.Critical.class})
final class MeanfieldCommand implements Callable<Integer> {
  @Mixin
  CommonOptions.VarW varW;

  @Mixin
  Model model;

  @Override
  public Integer call() {
    if (!varW.given()) {
      throw new IllegalArgumentException("--var-w is required (or use: nnstm meanfield critical)");
    }
    Activation phi = model.activation.phi();
    double vb = model.varB.value();
    double[] grid = varW.values();
    // every point first: an error (out of the domain) leaves stdout empty; where the length map has no finite
    // fixed point (relu or identity beyond the critical line) the row says "unbounded"
    List<MeanFieldPoint> points = new ArrayList<>();
    for (double vw : grid) {
      try {
        points.add(MeanField.unbounded(phi, vw, vb) ? MeanFieldPoint.unbounded(vw, vb) : MeanField.of(phi, vw, vb));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--var-w " + vw + " --var-b " + vb + ": " + e.getMessage(), e);
      }
    }
    CommonOptions.Table table = model.output.table("%-8s %-8s %-13.10g %-13.10g %-13.10g %-13.10g %-13.6g %-13.6g %s",
        "var_w", "var_b", "q_star", "chi_1", "c_star", "chi_c", "xi_c", "xi_q", "phase");
    for (MeanFieldPoint p : points) {
      table.row(p.varW(), p.varB(), p.qStar(), p.chi1(), p.cStar(), p.chiC(), p.xiC(), p.xiQ(), p.phase());
    }
    return 0;
  }

  /** What both commands take: the network (sigma_b^2, the activation) and --json. */
  static final class Model {
    @Mixin
    CommonOptions.VarB varB;

    @Mixin
    CommonOptions.ActivationOption activation;

    @Mixin
    CommonOptions.Output output;
  }

  /** {@code nnstm meanfield critical}: the critical sigma_w^2 (chi_1 = 1) at a sigma_b^2. */
  @Command(name = "critical", mixinStandardHelpOptions = true,
      description = {"The order-to-chaos transition: sigma_w^2 where chi_1 = 1, and q* there (Infinity where the "
          + "length map has no finite fixed point).", "Output: one line; with --json one object: var_b, var_w, q_star."})
  static final class Critical implements Callable<Integer> {
    @Mixin
    Model model;

    @Override
    public Integer call() {
      Activation phi = model.activation.phi();
      double vb = model.varB.value();
      double vw;
      double q;
      try {
        vw = MeanField.criticalWeightVariance(phi, vb);
        q = MeanField.criticalFixedPointQ(phi, vw, vb);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--var-b " + vb + ": " + e.getMessage(), e);
      }
      model.output.row(String.format(Locale.ROOT, "var_b %s  critical var_w %.15g  q_star %.15g", vb, vw, q),
          "var_b", vb, "var_w", vw, "q_star", q);
      return 0;
    }
  }
}
