package org.nnstm.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nnstm.io.Hdf5;
import org.nnstm.io.ReferenceLayout;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;
import org.nnstm.tensor.Backend;

/**
 * The {@code analyze kl} workflow over a directory in the reference layout ({@link ReferenceLayout}):
 * for each sigma_w^2, {@link RelativeEntropy} across depth before training and after the last epoch.
 *
 * <p>"Before" is the untrained network ({@code init-hooks}, {@code init-para}) by default, or, as the
 * notebook's {@code load_and_run(L, 0)}, the network after 0-based epoch 0 ({@code e0-hooks},
 * {@code e0-para}). "After" is the highest k with an {@code e{k}-hooks} file (the notebook's E-1). Each
 * layer's pre-activations are the last row of {@code in-m} (the notebook's {@code [-1]}).
 *
 * <p>Writes, into the same directory, {@code KL-{tag}-{depth}-{pre|post}-{form}.hdf5} (the notebook's
 * {@code write_KL} datasets {@code var_weight, var_bias, depth, KL, widths}, plus {@code KL_se}, the Monte
 * Carlo standard error of each entry, and {@code epoch}, -1 for the untrained network) and
 * {@code kl-{form}-{depth}.png}. Every value is computed before the first file is written, so a failure
 * on any layer or file leaves the directory as it was.
 */
public final class RelativeEntropyAnalysis {
  private RelativeEntropyAnalysis() {}

  /** Which network stands for "before training". */
  public enum Before {
    INIT, E0;

    /** The file-name prefix, the constant's name in lower case: "init" or "e0". */
    public String prefix() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** "init" or "e0". */
    public static Before parse(String s) {
      for (Before b : values()) {
        if (b.prefix().equals(s)) {
          return b;
        }
      }
      throw new IllegalArgumentException("before-training files must be init or e0, got '" + s + "'");
    }
  }

  /** Settings of one analysis. */
  public record Settings(Path dir, double[] varW, int depth, RelativeEntropy.Form form, Before before,
                         int samples, long seed) {
    public Settings {
      PlanChecks.atLeastOne(depth, "depth");
      if (samples < 2) {
        throw new IllegalArgumentException("samples must be >= 2, got " + samples);
      }
    }
  }

  /** One computed curve: which files, which epoch (-1 = untrained), the result, the output file. */
  public record Curve(double varW, String phase, int epoch, RelativeEntropy.Result result, int[] widths,
                      double varWeight, double varBias, Path file) {}

  /** Computes every curve, then writes the files and the figure; returns the curves (files in order). */
  public static List<Curve> run(Backend backend, Settings s) throws IOException {
    List<Curve> curves = new ArrayList<>();
    for (double w : s.varW()) {
      String stem = ReferenceLayout.tag(w) + "-" + s.depth();
      int last = lastEpoch(s.dir(), stem);
      if (s.before() == Before.E0 && last < 1) {
        throw new NoSuchFileException(s.dir().resolve("e{k}-hooks-" + stem + ".hdf5")
            + " with k >= 1 (with e0 standing for before training, the after-training network must be a later epoch)");
      }
      for (String phase : new String[] {"pre", "post"}) {
        boolean pre = phase.equals("pre");
        String prefix = pre ? s.before().prefix() : "e" + last;
        int epoch = pre ? (s.before() == Before.INIT ? -1 : 0) : last;
        curves.add(compute(backend, s, w, stem, phase, prefix, epoch));
      }
    }
    for (Curve c : curves) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("var_weight", c.varWeight());
      f.put("var_bias", c.varBias());
      f.put("depth", (long) s.depth());
      f.put("KL", c.result().value());
      f.put("KL_se", c.result().standardError());
      long[] wl = new long[c.widths().length];
      for (int m = 0; m < wl.length; m++) {
        wl[m] = c.widths()[m];
      }
      f.put("widths", wl);
      f.put("epoch", (long) c.epoch());
      Hdf5.write(c.file(), f);
    }
    Plots.lineChart(figure(s), "Relative entropy across depth, form " + s.form().label() + " (depth "
        + s.depth() + ")", "layer", "D / (n_0 ln(2 pi e sigma_w^2) / 2)", series(curves));
    return curves;
  }

  /** kl-{form}-{depth}.png in the directory. */
  public static Path figure(Settings s) {
    return s.dir().resolve("kl-" + s.form().label() + "-" + s.depth() + ".png");
  }

  private static Curve compute(Backend backend, Settings s, double w, String stem, String phase, String prefix,
                               int epoch) throws IOException {
    Path hooks = s.dir().resolve(prefix + "-hooks-" + stem + ".hdf5");
    Path para = s.dir().resolve(prefix + "-para-" + stem + ".hdf5");
    for (Path p : new Path[] {hooks, para}) {
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(p + " (train with hook and parameter files)");
      }
    }
    Map<String, Object> h = Hdf5.read(hooks);
    Map<String, Object> p = Hdf5.read(para);
    int depth = s.depth();
    float[][] pre = new float[depth][];
    float[][] wts = new float[depth][];
    float[][] bs = new float[depth][];
    int[] widths = new int[depth];
    for (int m = 0; m < depth; m++) {
      float[][] in = Hdf5.matrix(h, "in-" + m, hooks);
      if (in.length == 0) {
        throw new IOException(hooks + ": in-" + m + " has no rows");
      }
      pre[m] = in[in.length - 1];
      widths[m] = pre[m].length;
      wts[m] = flatten(Hdf5.matrix(p, "W" + m, para));
      bs[m] = toFloat(Hdf5.vector(p, "B" + m, para));
    }
    RelativeEntropy.Result r;
    try {
      r = RelativeEntropy.acrossDepth(backend, s.form(), pre, wts, bs, s.samples(), s.seed());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(hooks.getFileName() + " / " + para.getFileName() + ": " + e.getMessage(), e);
    }
    Path file = s.dir().resolve("KL-" + stem + "-" + phase + "-" + s.form().label() + ".hdf5");
    return new Curve(w, phase, epoch, r, widths, Hdf5.number(h, "var_weight", hooks),
        Hdf5.number(h, "var_bias", hooks), file);
  }

  /**
   * As the reference notebook's figures: D_m normalised by n_0 ln(2 pi e sigma_w^2) / 2, drawn for the
   * layers of the input layer's width (the entropy terms jump where the width changes).
   */
  private static Series[] series(List<Curve> curves) {
    List<Series> out = new ArrayList<>();
    for (Curve c : curves) {
      double norm = c.widths()[0] * Math.log(2 * Math.PI * Math.E * c.varW()) / 2;
      int shown = 0;
      while (shown < c.widths().length && c.widths()[shown] == c.widths()[0]) {
        shown++;
      }
      double[] layer = new double[shown];
      double[] y = new double[shown];
      for (int m = 0; m < shown; m++) {
        layer[m] = m;
        y[m] = c.result().value()[m] / norm;
      }
      String when = c.epoch() < 0 ? "untrained" : "after epoch " + c.epoch();
      out.add(new Series(String.format(Locale.ROOT, "sigma_w^2 = %s, %s (%s)", c.varW(), c.phase(), when),
          layer, y));
    }
    return out.toArray(new Series[0]);
  }

  /** The highest k with e{k}-hooks-{stem}.hdf5 in dir. */
  static int lastEpoch(Path dir, String stem) throws IOException {
    Pattern pat = Pattern.compile("e(\\d+)-hooks-" + Pattern.quote(stem) + "\\.hdf5");
    int last = -1;
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir + " (not a directory)");
    }
    try (Stream<Path> st = Files.list(dir)) {
      for (Path f : st.toList()) {
        Matcher m = pat.matcher(f.getFileName().toString());
        if (m.matches()) {
          last = Math.max(last, Integer.parseInt(m.group(1)));
        }
      }
    }
    if (last < 0) {
      throw new NoSuchFileException(dir.resolve("e{k}-hooks-" + stem + ".hdf5")
          + " (no trained epoch's hooks: train with hook and parameter files)");
    }
    return last;
  }

  private static float[] flatten(float[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    float[] f = new float[m.length * cols];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, f, r * cols, cols);
    }
    return f;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
