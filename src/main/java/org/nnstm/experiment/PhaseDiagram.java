package org.nnstm.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.nnstm.meanfield.GaussianExpectation;
import org.nnstm.meanfield.MeanField;
import org.nnstm.tensor.Activation;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;

/**
 * The trainability phase diagram (Schoenholz et al. 2017, Fig. 5): final validation accuracy over
 * (sigma_w^2, depth), averaged over seeds, with the mean-field depth scale xi_c(sigma_w^2) of the network's
 * activation and the trainability bound 6 xi_c overlaid. The curves have gaps where mean field has no
 * point: where the length map is unbounded ({@link MeanField#unbounded}: relu beyond sigma_w^2 = 2).
 */
public final class PhaseDiagram {
  private PhaseDiagram() {}

  /** The default title of a tanh grid: sigma_b^2 and the number of cells. */
  public static String title(List<GridResults.Cell> cells) {
    return title(cells, Activation.TANH);
  }

  /** The default title: the activation, sigma_b^2 and the number of cells. */
  public static String title(List<GridResults.Cell> cells, Activation phi) {
    return String.format(java.util.Locale.ROOT, "Trainability of deep %s networks (sigma_b^2 = %s, %d cells)",
        phi.label(), cells.isEmpty() ? Double.NaN : cells.get(0).varB(), cells.size());
  }

  /** Draws {@code png} from the cells of a tanh grid (all must share one sigma_b^2). */
  public static void draw(Path png, List<GridResults.Cell> cells, String title) {
    draw(png, cells, title, Activation.TANH);
  }

  /**
   * Draws {@code png} from the cells (all must share one sigma_b^2), with the mean-field curves of the
   * activation {@code phi} the networks used.
   */
  public static void draw(Path png, List<GridResults.Cell> cells, String title, Activation phi) {
    if (phi == null) {
      throw new IllegalArgumentException("phase diagram: the activation must be given");
    }
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("phase diagram: no accuracy files (acc-*.hdf5) to draw");
    }
    double varB = cells.get(0).varB();
    for (GridResults.Cell c : cells) {
      if (Math.abs(c.varB() - varB) > 1e-12) {
        throw new IllegalArgumentException("phase diagram: cells mix sigma_b^2 = " + varB + " and " + c.varB());
      }
    }
    TreeSet<Double> ws = new TreeSet<>();
    TreeSet<Integer> ds = new TreeSet<>();
    for (GridResults.Cell c : cells) {
      ws.add(c.varW());
      ds.add(c.depth());
    }
    double[] x = ws.stream().mapToDouble(Double::doubleValue).toArray();
    double[] y = ds.stream().mapToDouble(Integer::doubleValue).toArray();
    double[][] sum = new double[y.length][x.length];
    int[][] n = new int[y.length][x.length];
    List<Double> xl = new ArrayList<>(ws);
    List<Integer> yl = new ArrayList<>(ds);
    for (GridResults.Cell c : cells) {
      int i = xl.indexOf(c.varW());
      int j = yl.indexOf(c.depth());
      sum[j][i] += c.finalAccuracy();
      n[j][i]++;
    }
    double[][] v = new double[y.length][x.length];
    for (int j = 0; j < y.length; j++) {
      for (int i = 0; i < x.length; i++) {
        v[j][i] = n[j][i] == 0 ? Double.NaN : sum[j][i] / n[j][i];
      }
    }
    // curves for the figure: 80 points, with coarser quadrature (xi_c to ~1e-6, far below plot resolution)
    GaussianExpectation rule = new GaussianExpectation(60);
    GaussianExpectation rule2 = new GaussianExpectation(30);
    int fine = 80;
    double[] wx = new double[fine];
    double[] xi = new double[fine];
    double[] xi6 = new double[fine];
    double lo = x[0] - (x.length > 1 ? 0.5 * (x[1] - x[0]) : 0.5);
    double hi = x[x.length - 1] + (x.length > 1 ? 0.5 * (x[x.length - 1] - x[x.length - 2]) : 0.5);
    // the points are independent: computed in parallel (the figure is drawn when a grid ends, on an idle machine)
    java.util.stream.IntStream.range(0, fine).parallel().forEach(k -> {
      wx[k] = Math.max(1e-3, lo + (hi - lo) * k / (fine - 1));
      if (MeanField.unbounded(phi, wx[k], varB)) {
        xi[k] = Double.NaN; // no fixed point q*: no mean-field curve here (a gap)
      } else {
        double xc = MeanField.of(phi, wx[k], varB, rule, rule2).xiC();
        xi[k] = Double.isFinite(xc) ? xc : 1e9;
      }
      xi6[k] = 6 * xi[k];
    });
    Plots.heatmap(png, new Plots.Heatmap(title, "sigma_w^2", "depth L", "validation accuracy", x, y, v, 0.0, 1.0,
        List.of(new Series("xi_c (mean field)", wx, xi), new Series("6 xi_c (trainability bound)", wx, xi6))));
  }
}
