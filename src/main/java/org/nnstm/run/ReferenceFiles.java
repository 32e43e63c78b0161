package org.nnstm.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnstm.data.LabelledImages;
import org.nnstm.io.ReferenceLayout;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;

/**
 * The listener that writes a softmax training run in the reference notebooks' layout ({@link ReferenceLayout}):
 * the init files before training, every model's accuracy file after every epoch, the e{k} files after epochs
 * k = 0 and E-1 (every epoch with {@code everyEpoch}).
 */
public final class ReferenceFiles implements Listener<EnsembleTrainer.Stats> {
  private final ReferenceLayout layout;
  private final boolean params;
  private final LabelledImages hookData;
  private final int epochs;
  private final boolean everyEpoch;
  private final Map<Integer, List<Double>> accuracies = new LinkedHashMap<>();

  /**
   * @param seedSuffix append {@code -s{seed}} to the file names
   * @param params write parameter files
   * @param hookData images whose pre-activations are recorded, or null for no hook files
   * @param epochs the run's epochs (the last one's files are written)
   * @param everyEpoch write e{k} files after every epoch, not only k = 0 and E-1
   * @param attributes root attributes of every file written (provenance)
   */
  public ReferenceFiles(Path dir, boolean seedSuffix, boolean params, LabelledImages hookData, int epochs,
                        boolean everyEpoch, Map<String, Object> attributes) {
    this.layout = new ReferenceLayout(dir, seedSuffix, attributes);
    this.params = params;
    this.hookData = hookData;
    this.epochs = epochs;
    this.everyEpoch = everyEpoch;
  }

  /** Only the accuracy files. */
  public ReferenceFiles(Path dir, boolean seedSuffix, int epochs, Map<String, Object> attributes) {
    this(dir, seedSuffix, false, null, epochs, false, attributes);
  }

  @Override
  public void started(Ensemble net, EnsembleTrainer trainer) {
    if (params) {
      writeParams(net, "init");
    }
    writeHooks(net, trainer, "init");
  }

  @Override
  public void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport<? extends EnsembleTrainer.Stats> report) {
    int depth = net.spec().depth();
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      List<Double> acc = accuracies.computeIfAbsent(k, x -> new ArrayList<>());
      acc.add(report.validation().accuracy()[k]);
      float[] a = new float[acc.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = acc.get(i).floatValue();
      }
      layout.writeAccuracies(m.varW(), m.varB(), m.seed(), depth, a);
    }
    if (everyEpoch || report.epoch() == 1 || report.epoch() == epochs) {
      String prefix = ReferenceLayout.epochPrefix(report.epoch());
      if (params) {
        writeParams(net, prefix);
      }
      writeHooks(net, trainer, prefix);
    }
  }

  private void writeParams(Ensemble net, String prefix) {
    int depth = net.spec().depth();
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      float[][] w = new float[depth][];
      float[][] b = new float[depth][];
      for (int l = 0; l < depth; l++) {
        w[l] = net.weights(k, l);
      }
      for (int l = 0; l < depth; l++) {
        b[l] = net.biases(k, l);
      }
      layout.writeParams(prefix, m.varW(), m.varB(), m.seed(), net.spec().widths(), w, b);
    }
  }

  private void writeHooks(Ensemble net, EnsembleTrainer trainer, String prefix) {
    if (hookData == null) {
      return;
    }
    float[][][] z = trainer.preActivations(hookData.images(), hookData.size());
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      layout.writeHooks(prefix, m.varW(), m.varB(), m.seed(), net.spec().widths(), hookData.size(), z[k]);
    }
  }
}
