package org.nnstm.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnstm.experiment.PriorComparison.Comparison;
import org.nnstm.experiment.PriorComparison.Curve;
import org.nnstm.experiment.PriorComparison.Plan;
import org.nnstm.experiment.PriorComparison.Result;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.Hdf5;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;

/**
 * The files of a {@link PriorComparison} run: js.csv, radial.csv, marginal.csv, prior-compare.hdf5 and the two
 * PNG overlays.
 */
public final class PriorComparisonFiles {
  private PriorComparisonFiles() {}

  /** {@link #write(Path, Plan, Result, int, Map)} without provenance. */
  public static void write(Path out, Plan plan, Result r, int inputIndex)
      throws IOException {
    write(out, plan, r, inputIndex, Map.of());
  }

  /**
   * Writes js.csv, radial.csv, marginal.csv, prior-compare.hdf5 (with {@code provenance} as its root attributes)
   * and the two PNG overlays into {@code out}.
   */
  public static void write(Path out, Plan plan, Result r, int inputIndex,
                    Map<String, Object> provenance) throws IOException {
    StringBuilder js = new StringBuilder("kind,ensemble,networks,js_distance\n");
    Map<String, Object> h5 = new LinkedHashMap<>();
    h5.put("widths", Arrays.stream(plan.widths()).asDoubleStream().toArray());
    h5.put("var_w", plan.layerVarW());
    h5.put("x_norm", plan.inputNorm());
    h5.put("input", plan.input());
    h5.put("input_index", (long) inputIndex);
    h5.put("outputs_prior", r.prior());
    if (r.trained() != null) {
      h5.put("outputs_trained", r.trained());
      h5.put("train_accuracy", r.trainAccuracy());
    }
    if (r.langevin() != null) {
      h5.put("outputs_langevin", r.langevin());
    }
    for (Comparison c : List.of(r.radial(), r.marginal())) {
      StringBuilder csv = new StringBuilder(c.kind().equals("radial") ? "r,exact" : "y,exact");
      for (Curve curve : c.curves()) {
        csv.append(",").append(label(curve));
        js.append(String.format(Locale.ROOT, "%s,%s,%d,%.17g%n", c.kind(), curve.ensemble(), curve.networks(),
            curve.jsDistance()));
        h5.put(c.kind() + "_kde_" + label(curve), curve.density());
        h5.put(c.kind() + "_js_" + label(curve), curve.jsDistance());
      }
      csv.append('\n');
      for (int i = 0; i < c.grid().length; i++) {
        csv.append(num(c.grid()[i])).append(',').append(num(c.exact()[i]));
        for (Curve curve : c.curves()) {
          csv.append(',').append(num(curve.density()[i]));
        }
        csv.append('\n');
      }
      h5.put(c.kind() + "_grid", c.grid());
      h5.put(c.kind() + "_exact", c.exact());
      AtomicFiles.writeString(out.resolve(c.kind() + ".csv"), csv.toString());
      plot(out, c, plan.widths());
    }
    AtomicFiles.writeString(out.resolve("js.csv"), js.toString());
    Hdf5.write(out.resolve("prior-compare.hdf5"), h5, provenance);
  }

  private static void plot(Path out, Comparison c, int[] widths) {
    List<Series> series = new ArrayList<>();
    series.add(new Series("exact prior", c.grid(), c.exact()));
    Curve largest = null;
    for (Curve curve : c.curves()) {
      if (curve.ensemble().equals("prior")) {
        largest = curve;
      } else {
        series.add(new Series(curve.ensemble() + " (" + curve.networks() + " networks), JS "
            + String.format(Locale.ROOT, "%.3f", curve.jsDistance()), c.grid(), curve.density()));
      }
    }
    series.add(1, new Series("sampled prior (" + largest.networks() + " networks), JS "
        + String.format(Locale.ROOT, "%.4f", largest.jsDistance()), c.grid(), largest.density()));
    boolean radial = c.kind().equals("radial");
    Plots.lineChart(out.resolve(c.kind() + ".png"),
        (radial ? "Radial density of ||h_L||" : "Marginal density of h_L[0]") + ", widths " + Arrays.toString(widths),
        radial ? "||h_L||" : "h_L[0]", "density", series.toArray(new Series[0]));
  }

  private static String label(Curve c) {
    return c.ensemble().equals("prior") ? "prior_" + c.networks() : c.ensemble();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.10g", v);
  }
}
