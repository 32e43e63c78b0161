package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.run.EpochReport;
import org.nnstm.run.Listener;

/**
 * One stdout line per model per epoch: a table row, or with --json one object with keys var_w, var_b,
 * depth, seed, epoch, train_loss, val_loss, val_acc, seconds. A model whose loss is not finite is
 * reported as diverged (loss null in JSON) and a warning goes to stderr.
 */
final class EpochPrinter implements Listener<EnsembleTrainer.Stats> {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private boolean header;

  EpochPrinter(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** A new pass (ensemble) starts: its table gets a header of its own, as every pass always had. */
  @Override
  public void started(Ensemble net, EnsembleTrainer trainer) {
    header = false;
  }

  @Override
  public void epochDone(Ensemble net, EnsembleTrainer trainer, EpochReport<? extends EnsembleTrainer.Stats> r) {
    if (!json && !header) {
      out.println("var_w   var_b  depth  seed  epoch  train_loss  val_loss  val_acc  seconds");
      header = true;
    }
    for (int k = 0; k < net.size(); k++) {
      ModelInit m = net.models().get(k);
      double trainLoss = r.train().loss()[k];
      double valLoss = r.validation().loss()[k];
      double valAcc = r.validation().accuracy()[k];
      if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss)) {
        err.printf(Locale.ROOT, "nnstm: warning: model var_w=%s seed=%d diverged at epoch %d (loss %s)%n",
            m.varW(), m.seed(), r.epoch(), trainLoss);
      }
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("var_w", m.varW());
        o.put("var_b", m.varB());
        o.put("depth", net.spec().depth());
        o.put("seed", m.seed());
        o.put("epoch", r.epoch());
        o.put("train_loss", trainLoss);
        o.put("val_loss", valLoss);
        o.put("val_acc", valAcc);
        o.put("seconds", r.seconds());
        out.println(JsonLine.of(o));
      } else {
        out.printf(Locale.ROOT, "%-7.4g %-6.4g %5d %5d %6d  %10.5f  %8.5f  %7.4f  %7.1f%n", m.varW(), m.varB(),
            net.spec().depth(), m.seed(), r.epoch(), trainLoss, valLoss, valAcc, r.seconds());
      }
    }
    out.flush();
    err.flush();
  }
}
