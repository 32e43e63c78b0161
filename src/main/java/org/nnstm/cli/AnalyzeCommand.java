package org.nnstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nnstm.experiment.RelativeEntropy;
import org.nnstm.io.Hdf5;
import org.nnstm.plot.Plots;
import org.nnstm.plot.Series;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm analyze}: analyses of stored runs. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Analyses of stored runs.",
    subcommands = {AnalyzeCommand.Kl.class})
public final class AnalyzeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code nnstm analyze kl}: relative entropy across depth, before and after training. */
  @Command(name = "kl", mixinStandardHelpOptions = true,
      description = {"KL divergence between the Gaussian of the first layer's pre-activations and each later "
          + "layer's, propagated by Monte Carlo through the stored weights (reference Relative_Entropy notebook), "
          + "before training (e0 hooks, init-para or e0-para) and after (the last epoch's hooks and para). "
          + "Writes KL-{tag}-{depth}-{pre|post}.hdf5 and kl.png (KL normalised by n_0 ln(2 pi e sigma_w^2)/2).",
          "Example: nnstm train --depth 20 --var-w 1.0,1.76,3.0 --epochs 2 --params --hooks --out runs/x && "
              + "nnstm analyze kl --dir runs/x --var-w 1.0,1.76,3.0 --depth 20"})
  static final class Kl implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of hooks and para files.")
    Path dir;

    @Option(names = "--var-w", required = true, paramLabel = "LIST|A:B:S", description = "sigma_w^2 values (file tags).")
    String varW;

    @Option(names = "--depth", required = true, paramLabel = "L", description = "Network depth (file suffix).")
    int depth;

    @Option(names = "--samples", defaultValue = "1000", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Monte Carlo seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      double[] ws = Ranges.doubles("--var-w", varW);
      backendOptions.validate();
      List<Series> series = new ArrayList<>();
      try (Backend backend = backendOptions.open(spec.commandLine().getErr())) {
        for (double w : ws) {
          long tag = Math.round(100 * w);
          String stem = tag + "-" + depth;
          int last = lastEpoch(stem);
          for (String phase : new String[] {"pre", "post"}) {
            int epoch = phase.equals("pre") ? 0 : last;
            Path hooks = dir.resolve("e" + epoch + "-hooks-" + stem + ".hdf5");
            Path para = phase.equals("pre") && Files.exists(dir.resolve("init-para-" + stem + ".hdf5"))
                ? dir.resolve("init-para-" + stem + ".hdf5") : dir.resolve("e" + epoch + "-para-" + stem + ".hdf5");
            Map<String, Object> h = Hdf5.read(hooks);
            Map<String, Object> p = Hdf5.read(para);
            float[][] pre = new float[depth][];
            float[][] wts = new float[depth][];
            float[][] bs = new float[depth][];
            int[] widths = new int[depth];
            for (int m = 0; m < depth; m++) {
              float[][] in = Hdf5.matrix(h, "in-" + m, hooks);
              pre[m] = in[in.length - 1];
              widths[m] = pre[m].length;
              wts[m] = flatten(Hdf5.matrix(p, "W" + m, para));
              bs[m] = toFloat(Hdf5.vector(p, "B" + m, para));
            }
            double[] kl = RelativeEntropy.klAcrossDepth(backend, pre, wts, bs, samples, seed);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("var_weight", Hdf5.number(h, "var_weight", hooks));
            f.put("var_bias", Hdf5.number(h, "var_bias", hooks));
            f.put("depth", (long) depth);
            f.put("KL", kl);
            long[] wl = new long[depth];
            for (int m = 0; m < depth; m++) {
              wl[m] = widths[m];
            }
            f.put("widths", wl);
            Path file = dir.resolve("KL-" + stem + "-" + phase + ".hdf5");
            Hdf5.write(file, f);
            // as the reference notebook: normalised by n_0 ln(2 pi e sigma_w^2) / 2, drawn for the layers of the
            // input layer's width (the entropy terms jump where the width changes, e.g. the last two of "wide")
            double norm = widths[0] * Math.log(2 * Math.PI * Math.E * w) / 2;
            int shown = 0;
            while (shown < depth && widths[shown] == widths[0]) {
              shown++;
            }
            double[] layer = new double[shown];
            double[] y = new double[shown];
            for (int m = 0; m < shown; m++) {
              layer[m] = m;
              y[m] = kl[m] / norm;
            }
            series.add(new Series(String.format(Locale.ROOT, "sigma_w^2 = %s, %s (epoch %d)", w, phase, epoch),
                layer, y));
            out.println(file);
          }
        }
      }
      Path png = dir.resolve("kl-" + depth + ".png");
      Plots.lineChart(png, "Relative entropy across depth (depth " + depth + ")", "layer",
          "KL / (n_0 ln(2 pi e sigma_w^2) / 2)", series.toArray(new Series[0]));
      out.println(png);
      return 0;
    }

    private int lastEpoch(String stem) throws IOException {
      Pattern pat = Pattern.compile("e(\\d+)-hooks-" + Pattern.quote(stem) + "\\.hdf5");
      int last = -1;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.toList()) {
          Matcher m = pat.matcher(f.getFileName().toString());
          if (m.matches()) {
            last = Math.max(last, Integer.parseInt(m.group(1)));
          }
        }
      }
      if (last < 1) {
        throw new NoSuchFileException(dir.resolve("e{epoch}-hooks-" + stem + ".hdf5")
            + " (need e0 and a trained epoch's hooks: train with --hooks --params)");
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
}
