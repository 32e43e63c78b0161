package org.nnstm.cli;

import org.nnstm.data.LabelledImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnstm.experiment.RelativeEntropy;
import org.nnstm.experiment.RelativeEntropyAnalysis;
import org.nnstm.experiment.SignalPropagation;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnstm analyze}: analyses of stored runs. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Analyses of stored runs.",
    subcommands = {AnalyzeCommand.Kl.class, AnalyzeCommand.Propagation.class})
final class AnalyzeCommand extends CommonOptions.Group {

  /** What both analyses take: the networks' sigma_w^2 values, depth and seed. */
  static final class Networks {
    @Mixin
    CommonOptions.RequiredVarW varW;

    @Option(names = "--depth", required = true, paramLabel = "L", description = "Network depth: the number of "
        + "layers (kl: the depth in the file names).")
    int depth;

    @Mixin
    CommonOptions.Seed seed;
  }

  /** {@code nnstm analyze kl}: relative entropy across depth, before and after training. */
  @Command(name = "kl", mixinStandardHelpOptions = true,
      description = {"Relative entropy across depth (reference Relative_Entropy notebook): the first layer's "
          + "Gaussian propagated by Monte Carlo through the stored weights against each later layer's, from the "
          + "last row of each in-m hooks dataset. Forms: current (the notebook since 2021-12-03, Q_m / (2 "
          + "sigma_m^2)), 2021 (before that fix, Q_m / (2 sigma_0^2)); neither is a divergence (both can be "
          + "negative); kl (the KL divergence, >= 0, from the diagonal Gaussian fitted to the propagated layer "
          + "to the isotropic Gaussian fitted to the recorded layer). Before training: init-hooks/init-para "
          + "(or e0-* with --before e0, as the notebook); after: the highest e{k}. Writes "
          + "KL-{tag}-{depth}-{pre|post}-{form}.hdf5 (KL, KL_se) and kl-{form}-{depth}.png, all or nothing.",
          "Example: nnstm train --depth 20 --var-w 1.0,1.76,3.0 --epochs 2 --params --hooks --out runs/x && "
              + "nnstm analyze kl --dir runs/x --var-w 1.0,1.76,3.0 --depth 20 --form kl"})
  static final class Kl extends RunCommand {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of hooks and para files.")
    Path dir;

    @Mixin
    Networks net;

    @Option(names = "--form", defaultValue = "current", paramLabel = "current|2021|kl",
        description = "Formula (default: ${DEFAULT-VALUE}).")
    String form;

    @Option(names = "--before", defaultValue = "init", paramLabel = "init|e0",
        description = "Files standing for before training: init (untrained) or e0 (after epoch 0, as the "
            + "notebook's pre-training; default: ${DEFAULT-VALUE}).")
    String before;

    @Option(names = "--samples", defaultValue = "1000", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Override
    boolean validatesBackendFirst() {
      return false; // the settings are checked first
    }

    @Override
    Integer execute(PrintWriter out, PrintWriter err) throws Exception {
      double[] ws = net.varW.values();
      RelativeEntropy.Form f;
      RelativeEntropyAnalysis.Before b;
      try {
        f = RelativeEntropy.Form.parse(form);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--form: " + e.getMessage());
      }
      try {
        b = RelativeEntropyAnalysis.Before.parse(before);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--before: " + e.getMessage());
      }
      RelativeEntropyAnalysis.Settings s = new RelativeEntropyAnalysis.Settings(dir, ws, net.depth, f, b, samples,
          net.seed.seed);
      backendOptions.validate();
      try (Backend backend = backendOptions.open(err)) {
        for (RelativeEntropyAnalysis.Curve c : RelativeEntropyAnalysis.run(backend, s)) {
          out.println(c.file());
        }
      }
      out.println(RelativeEntropyAnalysis.figure(s));
      return 0;
    }
  }

  /** {@code nnstm analyze propagation}: measured signal propagation against mean field. */
  @Command(name = "propagation", mixinStandardHelpOptions = true,
      description = {"Random networks 784 -> n -> ... -> n (tanh unless --activation; Gaussian init as train): per "
          + "layer the measured "
          + "length q^l (mean squared pre-activation) and correlation c^l of two inputs, mean and standard error "
          + "over the networks, against the mean-field maps iterated from the inputs' q^0, c^0; the fitted "
          + "correlation depth against xi_c; the across-network variance of q^l against width. Writes "
          + "propagation.csv, propagation-depth.csv, propagation-width.csv, propagation.hdf5 and "
          + "propagation-{q,c,width}.png into --out.",
          "Example: nnstm analyze propagation --var-w 1.0,1.76,3.0 --depth 50 --width 100,400,1600 --networks 100"})
  static final class Propagation implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Networks net;

    @Mixin
    CommonOptions.VarB varB;

    /** The activation after every layer, of the networks and of the mean-field maps. */
    @Mixin
    CommonOptions.ActivationOption activation;

    @Option(names = "--width", required = true, paramLabel = "LIST", description = "Hidden widths n.")
    String width;

    /** Random networks per (sigma_w^2, width). */
    @Mixin
    CommonOptions.Networks networks = new CommonOptions.Networks(100);

    @Option(names = "--inputs", defaultValue = "mnist:0,1", paramLabel = "mnist:I,J",
        description = "The two inputs: MNIST training images I and J (default: ${DEFAULT-VALUE}).")
    String inputs;

    @Mixin
    CommonOptions.Memory memory = new CommonOptions.Memory(2);

    @Option(names = "--method", defaultValue = "networks", paramLabel = "networks|projection",
        description = "networks: every weight drawn, the inputs pushed through on the backend; projection: the "
            + "exact law of the two inputs' pre-activations, 3n Gaussians per layer on the host instead of n^2 "
            + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    CommonOptions.DefaultOut outDir = new CommonOptions.DefaultOut("runs/propagation");

    /** With --json: one object per (var_w, width, layer), then one per (var_w, width). */
    @Mixin
    CommonOptions.Output output;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = output.out();
      PrintWriter err = output.err();
      double[] ws = net.varW.values();
      int[] widths = Ranges.ints("--width", width);
      int[] idx = parseInputs(inputs);
      backendOptions.validate();
      SignalPropagation.Method m;
      try {
        m = SignalPropagation.Method.parse(method);
        // every setting checked before MNIST is loaded (placeholder inputs, replaced below)
        settings(ws, widths, new float[1], new float[1], m);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flags(e.getMessage()));
      }
      org.nnstm.io.AtomicFiles.requireWritableDirectory(outDir.out);
      LabelledImages train = dataOptions.mnist(err).train(org.nnstm.data.Mnist.TRAIN);
      int n0 = org.nnstm.data.Mnist.PIXELS;
      for (int i : idx) {
        if (i >= train.size()) {
          throw new IllegalArgumentException("--inputs: image " + i + " is beyond the " + train.size()
              + " training images");
        }
      }
      float[] x1 = java.util.Arrays.copyOfRange(train.images(), idx[0] * n0, (idx[0] + 1) * n0);
      float[] x2 = java.util.Arrays.copyOfRange(train.images(), idx[1] * n0, (idx[1] + 1) * n0);
      SignalPropagation.Settings s = settings(ws, widths, x1, x2, m);
      SignalPropagation.Result r;
      try (Backend backend = backendOptions.open(err)) {
        r = SignalPropagation.run(backend, s, line -> {
          err.println("nnstm: propagation: " + line);
          err.flush();
        });
      }
      java.util.List<Path> files = org.nnstm.experiment.SignalPropagationFiles.write(outDir.out, s, r);
      if (output.json()) {
        for (SignalPropagation.LayerRow x : r.rows()) {
          out.println(JsonLine.of("var_w", x.varW(), "width", x.width(), "layer", x.layer(), "q", x.q(), "q_se",
              x.qSe(), "q_meanfield", x.qMeanField(), "c", x.c(), "c_se", x.cSe(), "c_meanfield", x.cMeanField(),
              "q_var", x.qVar()));
        }
        for (SignalPropagation.DepthFit f : r.fits()) {
          out.println(JsonLine.of("var_w", f.varW(), "width", f.width(), "xi_fit", f.xiFit(), "xi_c", f.xiC()));
        }
        return 0;
      }
      out.println("var_w width  worst |q-q_mf|/q_mf (in SE)  worst |c-c_mf| (in SE)  xi_fit (layers)  xi_c");
      for (SignalPropagation.DepthFit f : r.fits()) {
        double qRel = 0;
        double qSe = 0;
        double cAbs = 0;
        double cSe = 0;
        for (SignalPropagation.LayerRow x : r.rows()) {
          if (x.varW() == f.varW() && x.width() == f.width() && x.layer() > 0) {
            double dq = Math.abs(x.q() - x.qMeanField());
            if (dq / x.qMeanField() > qRel) {
              qRel = dq / x.qMeanField();
              qSe = dq / x.qSe();
            }
            double dc = Math.abs(x.c() - x.cMeanField());
            if (dc > cAbs) {
              cAbs = dc;
              cSe = x.cSe() > 0 ? dc / x.cSe() : Double.POSITIVE_INFINITY;
            }
          }
        }
        out.println(String.format(Locale.ROOT, "%-5s %5d  %8.3f%% (%4.1f)              %.4f (%4.1f)            "
            + "%7.3f (%d-%d)    %.3f", f.varW(), f.width(), 100 * qRel, qSe, cAbs, cSe, f.xiFit(), f.firstLayer(),
            f.lastLayer(), f.xiC()));
      }
      double[] slopes = SignalPropagation.varianceSlopes(s, r);
      for (int i = 0; i < ws.length; i++) {
        out.println(String.format(Locale.ROOT, "var_w %s: log-log slope of the last layer's across-network "
            + "variance of q against width: %.3f", ws[i], slopes[i]));
      }
      for (Path f : files) {
        out.println(f);
      }
      return 0;
    }

    private SignalPropagation.Settings settings(double[] ws, int[] widths, float[] x1, float[] x2,
                                                SignalPropagation.Method m) {
      return new SignalPropagation.Settings(ws, varB.varB, net.depth, widths, networks.count, x1, x2,
          net.seed.seed, memory.memoryGiB, m, activation.phi());
    }

    /** The library's words for the settings, as the flags that set them. */
    private static String flags(String msg) {
      return msg.replace("sigma_w^2", "--var-w").replace("sigma_b^2", "--var-b").replace("depth must", "--depth must")
          .replace("widths must", "--width values must").replace("need at least 2 networks", "--networks: need at least 2")
          .replace("memory budget", "--memory").replace("method must", "--method must");
    }

    static int[] parseInputs(String text) {
      String t = text.trim();
      if (!t.startsWith("mnist:")) {
        throw new IllegalArgumentException("--inputs must be mnist:I,J (two training image indices), got '" + text + "'");
      }
      int[] v = Ranges.ints("--inputs", t.substring("mnist:".length()));
      if (v.length != 2 || v[0] < 0 || v[1] < 0 || v[0] == v[1]) {
        throw new IllegalArgumentException("--inputs must name two different images mnist:I,J with I, J >= 0, got '"
            + text + "'");
      }
      return v;
    }
  }
}
