package org.nnstm.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.run.Listener;

/**
 * Progress of training steps on stderr: a live bar (progressbar library) on a terminal; otherwise (logs,
 * CI) one line at most every 15 seconds with steps done, rate and time left.
 */
final class Progress implements Listener<Object>, AutoCloseable {
  private static final long LINE_INTERVAL_NANOS = 15_000_000_000L;
  private final PrintWriter err;
  private String task;
  private final String perPassPrefix;
  private final boolean terminal = System.console() != null;
  private ProgressBar bar;
  private long epochStart;
  private long lastLine;

  Progress(PrintWriter err, String task) {
    this(err, task, null);
  }

  private Progress(PrintWriter err, String task, String perPassPrefix) {
    this.err = err;
    this.task = task;
    this.perPassPrefix = perPassPrefix;
  }

  /** Progress of a run in passes: each pass's task is "{prefix} K model(s), depth L" for its ensemble. */
  static Progress perPass(PrintWriter err, String prefix) {
    return new Progress(err, prefix, prefix);
  }

  @Override
  public void started(Ensemble net, EnsembleTrainer trainer) {
    if (perPassPrefix != null) {
      closeBar();
      task = perPassPrefix + " " + net.size() + " model(s), depth " + net.spec().depth();
    }
  }

  @Override
  public void stepDone(int epoch, int step, int steps) {
    if (step == 1) {
      closeBar();
      epochStart = System.nanoTime();
      lastLine = epochStart;
      if (terminal) {
        bar = new ProgressBarBuilder().setTaskName(task + ", epoch " + epoch).setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
      }
    }
    if (bar != null) {
      bar.stepTo(step);
      return;
    }
    long now = System.nanoTime();
    if (now - lastLine >= LINE_INTERVAL_NANOS && step < steps) {
      lastLine = now;
      double elapsed = (now - epochStart) * 1e-9;
      double left = elapsed / step * (steps - step);
      err.printf(Locale.ROOT, "nnstm: %s, epoch %d: step %d/%d, %.1f steps/s, epoch done in ~%.0f s%n",
          task, epoch, step, steps, step / elapsed, left);
      err.flush();
    }
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
