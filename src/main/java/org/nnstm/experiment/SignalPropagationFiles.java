package org.nnstm.experiment;

import java.util.ArrayList;
import java.util.List;
import org.nnstm.experiment.SignalPropagation.DepthFit;
import org.nnstm.experiment.SignalPropagation.LayerRow;
import org.nnstm.experiment.SignalPropagation.WidthRow;

/** The files of {@code analyze propagation}: CSV, HDF5 and figures of a {@link SignalPropagation.Result}. */
public final class SignalPropagationFiles {
  private SignalPropagationFiles() {}

  /**
   * Writes propagation.csv (one row per sigma_w^2, width, layer), propagation-depth.csv (the fits),
   * propagation-width.csv (last layer's q_var and q - q_meanfield per width), propagation.hdf5 (the same
   * columns as 1-D datasets; fits prefixed {@code fit_}, width rows {@code last_}, and {@code q_var_slope}
   * per sigma_w^2; the activation's label as the root attribute {@code activation}), and the figures
   * propagation-q.png, propagation-c.png (the largest width, measured and mean field) and propagation-width.png
   * (log-log). Returns the files, in order. Every file is atomic; all values are computed before the first is written.
   */
  public static List<java.nio.file.Path> write(java.nio.file.Path dir, SignalPropagation.Settings s,
                                                  SignalPropagation.Result r)
      throws java.io.IOException {
    List<java.nio.file.Path> files = new ArrayList<>();
    StringBuilder csv = new StringBuilder("var_w,width,layer,q,q_se,q_meanfield,c,c_se,c_meanfield,q_var\n");
    for (SignalPropagation.LayerRow x : r.rows()) {
      csv.append(fmt(x.varW())).append(',').append(x.width()).append(',').append(x.layer()).append(',')
          .append(fmt(x.q())).append(',').append(fmt(x.qSe())).append(',').append(fmt(x.qMeanField())).append(',')
          .append(fmt(x.c())).append(',').append(fmt(x.cSe())).append(',').append(fmt(x.cMeanField())).append(',')
          .append(fmt(x.qVar())).append('\n');
    }
    StringBuilder depthCsv = new StringBuilder("var_w,width,xi_fit,xi_c,c_star,first_layer,last_layer\n");
    for (SignalPropagation.DepthFit f : r.fits()) {
      depthCsv.append(fmt(f.varW())).append(',').append(f.width()).append(',').append(fmt(f.xiFit())).append(',')
          .append(fmt(f.xiC())).append(',').append(fmt(f.cStar())).append(',').append(f.firstLayer()).append(',')
          .append(f.lastLayer()).append('\n');
    }
    List<SignalPropagation.WidthRow> wr = SignalPropagation.widthRows(r, s.depth());
    StringBuilder widthCsv = new StringBuilder("var_w,width,q_var_last,q_dev_last,q_dev_se_last\n");
    for (SignalPropagation.WidthRow w : wr) {
      widthCsv.append(fmt(w.varW())).append(',').append(w.width()).append(',').append(fmt(w.qVarLast()))
          .append(',').append(fmt(w.qDevLast())).append(',').append(fmt(w.qDevSe())).append('\n');
    }
    java.util.Map<String, Object> h = new java.util.LinkedHashMap<>();
    int nr = r.rows().size();
    double[][] cols = new double[10][nr];
    for (int i = 0; i < nr; i++) {
      LayerRow x = r.rows().get(i);
      double[] v = {x.varW(), x.width(), x.layer(), x.q(), x.qSe(), x.qMeanField(), x.c(), x.cSe(), x.cMeanField(),
          x.qVar()};
      for (int j = 0; j < v.length; j++) {
        cols[j][i] = v[j];
      }
    }
    String[] names = {"var_w", "width", "layer", "q", "q_se", "q_meanfield", "c", "c_se", "c_meanfield", "q_var"};
    for (int j = 0; j < names.length; j++) {
      h.put(names[j], cols[j]);
    }
    int nf = r.fits().size();
    double[][] fc = new double[4][nf];
    for (int i = 0; i < nf; i++) {
      DepthFit f = r.fits().get(i);
      fc[0][i] = f.varW();
      fc[1][i] = f.width();
      fc[2][i] = f.xiFit();
      fc[3][i] = f.xiC();
    }
    h.put("fit_var_w", fc[0]);
    h.put("fit_width", fc[1]);
    h.put("fit_xi_fit", fc[2]);
    h.put("fit_xi_c", fc[3]);
    double[] lastVar = new double[wr.size()];
    double[] lastDev = new double[wr.size()];
    for (int i = 0; i < wr.size(); i++) {
      lastVar[i] = wr.get(i).qVarLast();
      lastDev[i] = wr.get(i).qDevLast();
    }
    h.put("last_q_var", lastVar);
    h.put("last_q_dev", lastDev);
    h.put("q_var_slope", SignalPropagation.varianceSlopes(s, r));
    h.put("var_b", s.varB());
    h.put("depth", (long) s.depth());
    h.put("networks", (long) s.networks());

    // figures: the largest width, every sigma_w^2
    int nMax = 0;
    for (int n : s.widths()) {
      nMax = Math.max(nMax, n);
    }
    List<org.nnstm.plot.Series> qs = new ArrayList<>();
    List<org.nnstm.plot.Series> cs = new ArrayList<>();
    for (double w : s.varW()) {
      double[] l = new double[s.depth() + 1];
      double[] q = new double[l.length];
      double[] qm = new double[l.length];
      double[] c = new double[l.length];
      double[] cm = new double[l.length];
      for (SignalPropagation.LayerRow x : r.rows()) {
        if (x.varW() == w && x.width() == nMax) {
          l[x.layer()] = x.layer();
          q[x.layer()] = x.q();
          qm[x.layer()] = x.qMeanField();
          c[x.layer()] = x.c();
          cm[x.layer()] = x.cMeanField();
        }
      }
      qs.add(new org.nnstm.plot.Series("measured, sigma_w^2 = " + fmt(w), l, q));
      qs.add(new org.nnstm.plot.Series("mean field, sigma_w^2 = " + fmt(w), l, qm));
      cs.add(new org.nnstm.plot.Series("measured, sigma_w^2 = " + fmt(w), l, c));
      cs.add(new org.nnstm.plot.Series("mean field, sigma_w^2 = " + fmt(w), l, cm));
    }
    List<org.nnstm.plot.Series> ws = new ArrayList<>();
    int nw = s.widths().length;
    for (int i = 0; i < s.varW().length; i++) {
      List<WidthRow> rows = wr.subList(i * nw, (i + 1) * nw); // this sigma_w^2's widths
      double[] x = rows.stream().mapToDouble(WidthRow::width).toArray();
      double[] v = rows.stream().mapToDouble(WidthRow::qVarLast).toArray();
      double[] d = rows.stream().mapToDouble(row -> Math.abs(row.qDevLast()) > 0 ? Math.abs(row.qDevLast())
          : Double.NaN).toArray();
      ws.add(new org.nnstm.plot.Series("var_k q_k^L, sigma_w^2 = " + fmt(s.varW()[i]), x, v));
      ws.add(new org.nnstm.plot.Series("|q^L - q_mf^L|, sigma_w^2 = " + fmt(s.varW()[i]), x, d));
    }

    java.nio.file.Path csvFile = dir.resolve("propagation.csv");
    org.nnstm.io.AtomicFiles.writeString(csvFile, csv.toString());
    files.add(csvFile);
    java.nio.file.Path depthFile = dir.resolve("propagation-depth.csv");
    org.nnstm.io.AtomicFiles.writeString(depthFile, depthCsv.toString());
    files.add(depthFile);
    java.nio.file.Path widthFile = dir.resolve("propagation-width.csv");
    org.nnstm.io.AtomicFiles.writeString(widthFile, widthCsv.toString());
    files.add(widthFile);
    java.nio.file.Path hdf = dir.resolve("propagation.hdf5");
    org.nnstm.io.Hdf5.write(hdf, h, java.util.Map.of("activation", s.activation().label()));
    files.add(hdf);
    String sub = String.format(java.util.Locale.ROOT, " (%s, width %d, M = %d, sigma_b^2 = %s)",
        s.activation().label(), nMax, s.networks(), fmt(s.varB()));
    java.nio.file.Path qPng = dir.resolve("propagation-q.png");
    org.nnstm.plot.Plots.lineChart(qPng, "Length q^l" + sub, "layer l",
        "q^l (mean squared pre-activation)", qs.toArray(new org.nnstm.plot.Series[0]));
    files.add(qPng);
    java.nio.file.Path cPng = dir.resolve("propagation-c.png");
    org.nnstm.plot.Plots.lineChart(cPng, "c^l of two inputs" + sub, "layer l",
        "c^l", cs.toArray(new org.nnstm.plot.Series[0]));
    files.add(cPng);
    java.nio.file.Path wPng = dir.resolve("propagation-width.png");
    org.nnstm.plot.Plots.logLogChart(wPng, "Finite width, last layer (L = " + s.depth() + ", M = "
        + s.networks() + ")", "width n", "across-network variance; |deviation from mean field|",
        ws.toArray(new org.nnstm.plot.Series[0]));
    files.add(wPng);
    return files;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "nan" : Double.toString(v);
  }

}
