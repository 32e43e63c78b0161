package org.nnstm.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.nnstm.data.LabelledImages;
import org.nnstm.data.Mnist;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.run.Listener;
import org.nnstm.run.ReferenceFiles;
import org.nnstm.run.RunMemory;
import org.nnstm.run.TrainingRun;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;

/**
 * The reference "Gaussian feedforward" training on MNIST: one model per (sigma_w^2, seed), all of one network
 * trained together as an ensemble (split into passes only by the memory budget), softmax cross-entropy, SGD with
 * momentum; every epoch's validation accuracy, and optionally parameters and pre-activations (hooks), written in
 * the reference notebooks' layout ({@link ReferenceFiles}).
 */
public final class MnistTraining {
  private MnistTraining() {}

  /**
   * What to train. hookSamples: evaluation images whose pre-activations are recorded (0: no hook files);
   * maxModels: most models per pass (null: as many as fit in memoryGiB, the memory budget).
   */
  public record Plan(NetworkSpec spec, double[] varW, double varB, long seed, int seeds,
                     EnsembleTrainer.Config config, int epochs, boolean shuffle, boolean params, int hookSamples,
                     boolean everyEpoch, Integer maxModels, double memoryGiB) {
    public Plan {
      varW = varW.clone();
      CriticalityGrid.requireDistinctTags(varW);
      ModelInit.grid(varW, varB, seed, seeds); // validates the variances and seeds
      PlanChecks.atLeastOne(epochs, "epochs");
      if (hookSamples < 0) {
        throw new IllegalArgumentException("hook samples must be >= 0 (0: no hook files), got " + hookSamples);
      }
      if (maxModels != null) {
        PlanChecks.atLeastOne(maxModels, "models per pass");
      }
    }

    @Override
    public double[] varW() {
      return varW.clone();
    }

    /** The models, sigma_w^2 varying slowest. */
    public List<ModelInit> models() {
      return ModelInit.grid(varW, varB, seed, seeds);
    }

    /** Models trained together in one pass. */
    public int modelsPerPass() {
      int total = varW.length * seeds;
      return maxModels != null ? Math.min(total, maxModels)
          : RunMemory.modelsPerPass(spec, config.batchSize(), memoryGiB, total);
    }

    /**
     * Refuses, before anything is allocated, a pass that does not fit the memory budget (with an explicit
     * maxModels, only the machine's memory), the machine's memory when {@code hostBackend}, or the Java heap.
     */
    public void requireFits(boolean hostBackend) {
      RunMemory.Estimate e = RunMemory.pass(spec, config.batchSize(), modelsPerPass(), hookSamples, params);
      double budget = maxModels == null ? memoryGiB : Double.POSITIVE_INFINITY;
      RunMemory.requireFits(e, "widths " + describe(spec), budget, hostBackend);
    }
  }

  /** The result-determining settings (for the run manifest); trainImages and evaluation name the data. */
  public static Map<String, String> settings(Plan p, int trainImages, String evaluation) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("widths", Arrays.toString(p.spec().widths()).replaceAll("[\\[\\] ]", ""));
    s.put("output", p.spec().output() == Activation.IDENTITY ? "linear" : p.spec().output().label());
    s.put("var-w", Arrays.stream(p.varW()).mapToObj(Double::toString).collect(Collectors.joining(",")));
    s.put("var-b", Double.toString(p.varB()));
    s.put("epochs", Integer.toString(p.epochs()));
    s.put("seed", Long.toString(p.seed()));
    s.put("seeds", Integer.toString(p.seeds()));
    s.put("shuffle", Boolean.toString(p.shuffle()));
    s.put("lr", Float.toString(p.config().learningRate()));
    s.put("momentum", Float.toString(p.config().momentum()));
    s.put("batch", Integer.toString(p.config().batchSize()));
    s.put("train-images", Integer.toString(trainImages));
    s.put("evaluation", evaluation);
    s.put("params", Boolean.toString(p.params()));
    s.put("hooks", p.hookSamples() > 0 ? p.hookSamples() + " samples" : "none");
    s.put("every-epoch", Boolean.toString(p.everyEpoch()));
    s.put("precision", "float32");
    if (p.spec().hidden() != Activation.TANH) { // tanh runs keep the manifest they always had
      s.put("activation", p.spec().hidden().label());
    }
    return s;
  }

  /**
   * Trains the plan's models pass by pass on {@code train}, evaluating on {@code validation} after each epoch, and
   * writes the reference layout into {@code dir} ({@code attributes}: root attributes of every file). Lines about
   * the passes go to {@code log}; every pass's events to {@code listener}.
   */
  public static void run(Backend backend, Plan plan, LabelledImages train, LabelledImages validation, Path dir,
                         Map<String, Object> attributes, Consumer<String> log,
                         Listener<? super EnsembleTrainer.Stats> listener) {
    if (plan.hookSamples() > validation.size()) {
      throw new IllegalArgumentException("hook samples " + plan.hookSamples() + " exceed the "
          + validation.size() + " evaluation images");
    }
    LabelledImages hookData = plan.hookSamples() > 0 ? Mnist.slice(validation, 0, plan.hookSamples()) : null;
    List<ModelInit> models = plan.models();
    int perPass = plan.modelsPerPass();
    List<RunMemory.Pass> passes = RunMemory.passes(models.size(), perPass);
    for (int i = 0; i < passes.size(); i++) {
      List<ModelInit> chunk = models.subList(passes.get(i).from(), passes.get(i).to());
      if (passes.size() > 1) {
        log.accept(String.format(Locale.ROOT, "pass %d of %d: %d models", i + 1, passes.size(), chunk.size()));
      }
      try (Ensemble ensemble = new Ensemble(backend, plan.spec(), chunk)) {
        ReferenceFiles files = new ReferenceFiles(dir, plan.seeds() > 1, plan.params(), hookData, plan.epochs(), plan.everyEpoch(),
            attributes);
        TrainingRun.train(ensemble, plan.config(), plan.epochs(), plan.shuffle(), plan.seed(), train, validation,
            Listener.all(listener, files));
      }
    }
  }

  /** Widths in words, shortened for deep networks. */
  static String describe(NetworkSpec net) {
    int[] w = net.widths();
    return w.length <= 8 ? Arrays.toString(w)
        : "[" + w[0] + ", " + w[1] + ", ... (" + (w.length - 1) + " layers), " + w[w.length - 2] + ", "
            + w[w.length - 1] + "]";
  }
}
