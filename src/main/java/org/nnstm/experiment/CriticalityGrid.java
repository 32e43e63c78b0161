package org.nnstm.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nnstm.io.Hdf5;
import org.nnstm.io.ReferenceLayout;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.Layouts;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.nn.TrainingRun;
import org.nnstm.tensor.Backend;

/**
 * The criticality grid of the reference study: one tanh network per (sigma_w^2, depth, seed) cell, all
 * cells of one depth trained together as an ensemble (split only by the memory budget), each cell's
 * {@code acc-{tag}-{depth}.hdf5} written atomically after every epoch.
 *
 * <p>Resumable: a cell whose accuracy file holds {@code epochs} accuracies for the same sigma_w^2 and
 * depth is complete and skipped; a killed run loses only the cells in flight, which are retrained from
 * their initialisation. Shardable: shard i of n (1-based) takes the cells whose index in the fixed cell
 * order (depth, then sigma_w^2, then seed) is i - 1 modulo n.
 */
public final class CriticalityGrid {
  private CriticalityGrid() {}

  /** What to train. */
  public record Plan(double[] varW, int[] depths, double varB, long firstSeed, int seeds, String layout, int epochs,
                     EnsembleTrainer.Config config, int shard, int shards, double memoryGiB) {
    public Plan {
      if (shards < 1 || shard < 1 || shard > shards) {
        throw new IllegalArgumentException("shard must be i/n with 1 <= i <= n, got " + shard + "/" + shards);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      for (int d : depths) {
        Layouts.named(layout, d);
      }
    }
  }

  /** One cell. */
  public record Cell(int depth, ModelInit init) {}

  /** All cells of the plan, in the fixed order. */
  public static List<Cell> cells(Plan p) {
    List<Cell> all = new ArrayList<>();
    for (int d : p.depths()) {
      for (ModelInit m : TrainingRun.grid(p.varW(), p.varB(), p.firstSeed(), p.seeds())) {
        all.add(new Cell(d, m));
      }
    }
    return all;
  }

  /** This shard's cells. */
  public static List<Cell> shard(Plan p) {
    List<Cell> all = cells(p);
    List<Cell> mine = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i % p.shards() == p.shard() - 1) {
        mine.add(all.get(i));
      }
    }
    return mine;
  }

  /** The accuracy file of a cell. */
  public static Path accuracyFile(Path dir, Plan p, Cell c) {
    return ReferenceLayout.accuracyFile(dir, c.init(), c.depth(), p.seeds() > 1);
  }

  /** True when the cell's accuracy file is readable and holds all epochs for the same hyperparameters. */
  public static boolean complete(Path dir, Plan p, Cell c) {
    Path f = accuracyFile(dir, p, c);
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try {
      Map<String, Object> h = Hdf5.read(f);
      return Hdf5.vector(h, "accuracies", f).length >= p.epochs()
          && (int) Hdf5.number(h, "depth", f) == c.depth()
          && Math.abs(Hdf5.number(h, "var_weight", f) - c.init().varW()) < 1e-9
          && Math.abs(Hdf5.number(h, "var_bias", f) - c.init().varB()) < 1e-9;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Trains this shard's incomplete cells. Progress lines (cells done / total, time left) go to
   * {@code progress}; per-step listeners (e.g. a progress bar) to {@code steps}.
   */
  public static void run(Backend backend, Plan p, TrainingRun.Data train, TrainingRun.Data validation, Path dir,
                         Consumer<String> progress, TrainingRun.Listener steps) throws IOException {
    List<Cell> mine = shard(p);
    List<Cell> todo = new ArrayList<>();
    for (Cell c : mine) {
      if (!complete(dir, p, c)) {
        todo.add(c);
      }
    }
    progress.accept(String.format(Locale.ROOT, "grid: %d cells in this shard, %d already complete, %d to train",
        mine.size(), mine.size() - todo.size(), todo.size()));
    long start = System.nanoTime();
    double doneWork = 0;
    double totalWork = 0;
    for (Cell c : todo) {
      totalWork += c.depth();
    }
    int done = mine.size() - todo.size();
    for (int depth : p.depths()) {
      List<ModelInit> models = new ArrayList<>();
      for (Cell c : todo) {
        if (c.depth() == depth) {
          models.add(c.init());
        }
      }
      if (models.isEmpty()) {
        continue;
      }
      NetworkSpec spec = NetworkSpec.tanh(Layouts.named(p.layout(), depth));
      int perPass = Ensemble.modelsPerPass(spec, p.config().batchSize(), p.memoryGiB(), models.size());
      for (int from = 0; from < models.size(); from += perPass) {
        List<ModelInit> chunk = models.subList(from, Math.min(models.size(), from + perPass));
        try (Ensemble net = new Ensemble(backend, spec, chunk)) {
          TrainingRun.train(net, p.config(), p.epochs(), false, p.firstSeed(), train, validation,
              TrainingRun.all(steps, new ReferenceLayout(dir, p.seeds() > 1, false, null, p.epochs())));
        }
        done += chunk.size();
        doneWork += (double) depth * chunk.size();
        double elapsed = (System.nanoTime() - start) * 1e-9;
        double left = elapsed / doneWork * (totalWork - doneWork);
        progress.accept(String.format(Locale.ROOT, "grid: %d/%d cells done (depth %d finished a pass of %d), "
            + "%.0f s elapsed, about %.0f s left", done, mine.size(), depth, chunk.size(), elapsed, left));
      }
    }
  }
}
