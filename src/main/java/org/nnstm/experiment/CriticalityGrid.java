package org.nnstm.experiment;

import org.nnstm.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
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
import org.nnstm.run.Listener;
import org.nnstm.run.ReferenceFiles;
import org.nnstm.run.RunMemory;
import org.nnstm.run.RunStore;
import org.nnstm.run.TrainingRun;
import org.nnstm.io.RunManifest;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;

/**
 * The criticality grid of the reference study: one tanh network per (sigma_w^2, depth, seed) cell, all
 * cells of one depth trained together as an ensemble (split only by the memory budget), each cell's
 * {@code acc-{tag}-{depth}.hdf5} written atomically after every epoch.
 *
 * <p>Resumable: a cell whose accuracy file holds {@code epochs} accuracies for the same sigma_w^2 and
 * depth is complete and skipped; a killed run loses only the cells in flight, which are retrained from
 * their initialisation. (That the other settings match is the run manifest's job, see
 * {@link org.nnstm.io.RunManifest}.)
 *
 * <p>Shardable: shard i of n (1-based) takes whole depth groups, assigned by {@link #shardOfDepth}: largest
 * cost first to the least-loaded shard, cost = parameters per model x models x epochs (about depth x models x
 * epochs for the wide layout). A shard therefore trains the same ensembles as a single run, and a cell's result
 * does not depend on which shard (or which ensemble) trained it. Processes sharing a directory claim depth
 * groups ({@link RunStore#tryClaim}) and skip groups another live process is training.
 */
public final class CriticalityGrid {
  private CriticalityGrid() {}

  /** What to train. */
  public record Plan(double[] varW, int[] depths, double varB, long firstSeed, int seeds, String layout, int epochs,
                     EnsembleTrainer.Config config, int shard, int shards, double memoryGiB, Activation activation) {
    /** A grid of tanh networks (the reference). */
    public Plan(double[] varW, int[] depths, double varB, long firstSeed, int seeds, String layout, int epochs,
                EnsembleTrainer.Config config, int shard, int shards, double memoryGiB) {
      this(varW, depths, varB, firstSeed, seeds, layout, epochs, config, shard, shards, memoryGiB, Activation.TANH);
    }

    public Plan {
      PlanChecks.present(activation, "activation");
      varW = varW.clone();
      depths = depths.clone();
      if (shards < 1 || shard < 1 || shard > shards) {
        throw new IllegalArgumentException("shard must be i/n with 1 <= i <= n, got " + shard + "/" + shards);
      }
      PlanChecks.atLeastOne(epochs, "epochs");
      requireDistinctTags(varW);
      for (int i = 0; i < depths.length; i++) {
        Layouts.named(layout, depths[i]);
        for (int j = 0; j < i; j++) {
          if (depths[i] == depths[j]) {
            throw new IllegalArgumentException("depth " + depths[i] + " is given twice");
          }
        }
      }
    }

    @Override
    public double[] varW() {
      return varW.clone();
    }

    @Override
    public int[] depths() {
      return depths.clone();
    }

    /** The same plan as shard i of n. */
    public Plan withShard(int i, int n) {
      return new Plan(varW, depths, varB, firstSeed, seeds, layout, epochs, config, i, n, memoryGiB, activation);
    }

    /** The network of a depth: the layout's widths, the activation after every layer, biases. */
    public NetworkSpec spec(int depth) {
      return new NetworkSpec(Layouts.named(layout, depth), activation, activation);
    }

    /**
     * Refuses, before anything is allocated, a grid whose largest pass does not fit the memory budget, the
     * machine's memory when {@code hostBackend}, or the Java heap (see {@link RunMemory}).
     */
    public void requireFits(boolean hostBackend) {
      for (int d : depths) {
        NetworkSpec net = spec(d);
        int perPass = RunMemory.modelsPerPass(net, config.batchSize(), memoryGiB, modelsPerDepth());
        RunMemory.requireFits(RunMemory.pass(net, config.batchSize(), perPass, 0, false),
            "depth " + d + " (" + layout + ")", memoryGiB, hostBackend);
      }
    }

    /** Models per depth group: sigma_w^2 values x seeds. */
    public int modelsPerDepth() {
      return varW.length * seeds;
    }
  }

  /**
   * Refuses sigma_w^2 values whose file tag round(100 sigma_w^2) ({@link ReferenceLayout#tag}) collides (e.g.
   * 1.001 and 1.004 both tag 100: one file would hold two cells) or overflows a long (sigma_w^2 >= ~9.2e16).
   */
  public static void requireDistinctTags(double[] varW) {
    Map<Long, Double> seen = new HashMap<>();
    for (double v : varW) {
      if (!(Math.abs(100 * v) < 0x1p63)) {
        throw new IllegalArgumentException("sigma_w^2 = " + v + " has no file tag: round(100 sigma_w^2) "
            + "overflows a 64-bit integer (files are named acc-{tag}-{depth}.hdf5)");
      }
      long tag = ReferenceLayout.tag(v);
      Double other = seen.putIfAbsent(tag, v);
      if (other != null) {
        throw new IllegalArgumentException("sigma_w^2 = " + other + " and " + v + " both map to file tag " + tag
            + " (round(100 sigma_w^2)): one file acc-" + tag + "-{depth}.hdf5 cannot hold both; give values "
            + "that differ by at least 0.01");
      }
    }
  }

  /** One cell. */
  public record Cell(int depth, ModelInit init) {}

  /** All cells of the plan, in the fixed order (depth, then sigma_w^2, then seed). */
  public static List<Cell> cells(Plan p) {
    List<Cell> all = new ArrayList<>();
    for (int d : p.depths()) {
      for (ModelInit m : ModelInit.grid(p.varW(), p.varB(), p.firstSeed(), p.seeds())) {
        all.add(new Cell(d, m));
      }
    }
    return all;
  }

  /** The training cost of a depth group: parameters per model x models x epochs (arbitrary units). */
  public static double cost(Plan p, int depth) {
    return (double) p.spec(depth).parameterCount() * p.modelsPerDepth()
        * p.epochs();
  }

  /**
   * The shard (1-based) of each depth group, aligned with {@code p.depths()}: the groups in order of decreasing
   * cost (ties: plan order), each to the shard with the least cost so far (ties: the lowest). A pure function
   * of the plan and n, so every shard computes the same assignment.
   */
  public static int[] shardOfDepth(Plan p) {
    int[] depths = p.depths();
    Integer[] order = new Integer[depths.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -cost(p, depths[i])).thenComparingInt(i -> i));
    double[] load = new double[p.shards()];
    int[] shard = new int[depths.length];
    for (int i : order) {
      int best = 0;
      for (int s = 1; s < load.length; s++) {
        if (load[s] < load[best]) {
          best = s;
        }
      }
      load[best] += cost(p, depths[i]);
      shard[i] = best + 1;
    }
    return shard;
  }

  /** This shard's cells, in the fixed order. */
  public static List<Cell> shard(Plan p) {
    int[] of = shardOfDepth(p);
    int[] depths = p.depths();
    List<Cell> mine = new ArrayList<>();
    for (Cell c : cells(p)) {
      for (int i = 0; i < depths.length; i++) {
        if (depths[i] == c.depth() && of[i] == p.shard()) {
          mine.add(c);
        }
      }
    }
    return mine;
  }

  /** The accuracy file of a cell. */
  public static Path accuracyFile(Path dir, Plan p, Cell c) {
    return ReferenceLayout.accuracyFile(dir, c.init().varW(), c.init().seed(), c.depth(), p.seeds() > 1);
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

  /** The incomplete cells among {@code cells}. */
  public static List<Cell> incomplete(Path dir, Plan p, List<Cell> cells) {
    List<Cell> todo = new ArrayList<>();
    for (Cell c : cells) {
      if (!complete(dir, p, c)) {
        todo.add(c);
      }
    }
    return todo;
  }

  /**
   * What a run did: this shard's cells, those complete before it started, those it trained, and those it left
   * to another live process that had claimed their depth group.
   */
  public record Outcome(int cells, int alreadyComplete, int trained, int leftToOthers) {}

  /**
   * {@link #run(Backend, Plan, LabelledImages, LabelledImages, RunStore, Consumer, Listener, Map)} in {@code dir}
   * (created if missing; no manifest) without provenance attributes.
   */
  public static Outcome run(Backend backend, Plan p, LabelledImages train, LabelledImages validation, Path dir,
                            Consumer<String> progress, Listener<Object> steps) throws IOException {
    try (RunStore store = RunStore.unchecked(dir)) {
      return run(backend, p, train, validation, store, progress, steps, Map.of());
    }
  }

  /**
   * Trains this shard's incomplete cells in the store's directory, depth group by depth group, claiming each
   * group first. Progress lines (cells done / total, time left) go to {@code progress}; per-step listeners (e.g. a
   * progress bar) to {@code steps}; {@code attributes} (provenance) become root attributes of every file written.
   */
  public static Outcome run(Backend backend, Plan p, LabelledImages train, LabelledImages validation,
                            RunStore store, Consumer<String> progress, Listener<Object> steps,
                            Map<String, Object> attributes) throws IOException {
    Path dir = store.dir();
    List<Cell> mine = shard(p);
    if (mine.isEmpty()) {
      progress.accept(String.format(Locale.ROOT, "grid: shard %d/%d has no cells (%d depth groups over %d shards): "
          + "nothing to do", p.shard(), p.shards(), p.depths().length, p.shards()));
      return new Outcome(0, 0, 0, 0);
    }
    List<Cell> todo = incomplete(dir, p, mine);
    int already = mine.size() - todo.size();
    progress.accept(String.format(Locale.ROOT, "grid: %d cells in this shard, %d already complete, %d to train",
        mine.size(), already, todo.size()));
    long start = System.nanoTime();
    double doneWork = 0;
    double totalWork = 0;
    for (Cell c : todo) {
      totalWork += cost(p, c.depth()) / p.modelsPerDepth();
    }
    int done = already;
    int trained = 0;
    int left = 0;
    for (int depth : p.depths()) {
      if (todo.stream().noneMatch(c -> c.depth() == depth)) {
        continue;
      }
      Optional<String> holder = store.tryClaim(unit(depth));
      List<ModelInit> models = new ArrayList<>();
      for (Cell c : incomplete(dir, p, todo.stream().filter(c -> c.depth() == depth).toList())) {
        models.add(c.init());
      }
      if (holder.isPresent()) {
        left += models.size();
        totalWork -= cost(p, depth) / p.modelsPerDepth() * models.size();
        progress.accept(String.format(Locale.ROOT, "grid: depth %d (%d cells) is being trained by %s: left to it",
            depth, models.size(), holder.get()));
        continue;
      }
      try {
        done += todo.stream().filter(c -> c.depth() == depth).count() - models.size();
        NetworkSpec spec = p.spec(depth);
        int perPass = models.isEmpty() ? 1
            : RunMemory.modelsPerPass(spec, p.config().batchSize(), p.memoryGiB(), models.size());
        for (RunMemory.Pass pass : RunMemory.passes(models.size(), perPass)) {
          List<ModelInit> chunk = models.subList(pass.from(), pass.to());
          try (Ensemble net = new Ensemble(backend, spec, chunk)) {
            TrainingRun.train(net, p.config(), p.epochs(), false, p.firstSeed(), train, validation,
                Listener.all(steps, new ReferenceFiles(dir, p.seeds() > 1, p.epochs(), attributes)));
          }
          done += chunk.size();
          trained += chunk.size();
          doneWork += cost(p, depth) / p.modelsPerDepth() * chunk.size();
          double elapsed = (System.nanoTime() - start) * 1e-9;
          double remaining = elapsed / doneWork * (totalWork - doneWork);
          progress.accept(String.format(Locale.ROOT, "grid: %d/%d cells done (depth %d finished a pass of %d), "
              + "%.0f s elapsed, about %.0f s left", done, mine.size(), depth, chunk.size(), elapsed, remaining));
        }
      } finally {
        store.release(unit(depth));
      }
    }
    progress.accept(String.format(Locale.ROOT, "grid: this run trained %d cells%s", trained,
        left > 0 ? ", left " + left + " to other processes" : ""));
    return new Outcome(mine.size(), already, trained, left);
  }

  /**
   * Writes {@code grid.csv} into dir and the phase diagram to {@code figure} from the accuracy files in dir (all
   * shards); returns the cells.
   *
   * @throws IllegalArgumentException when dir holds no accuracy files
   */
  public static List<GridResults.Cell> summarize(Path dir, Path figure) throws IOException {
    List<GridResults.Cell> cells = GridResults.read(dir);
    if (cells.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds no acc-{tag}-{depth}.hdf5 files");
    }
    GridResults.writeCsv(dir.resolve("grid.csv"), cells);
    Activation phi = activation(dir);
    PhaseDiagram.draw(figure, cells, PhaseDiagram.title(cells, phi), phi);
    return cells;
  }

  /**
   * The hidden activation of the grid in dir, from its run manifest ({@code activation}; absent, or no manifest
   * as in grids written before manifests: tanh).
   */
  public static Activation activation(Path dir) throws IOException {
    if (!RunManifest.exists(dir)) {
      return Activation.TANH;
    }
    String name = RunManifest.readSettings(dir).get("activation");
    return name == null ? Activation.TANH : Activation.named(name);
  }

  /** The claim unit of a depth group in the run directory ({@link RunStore#tryClaim}). */
  static String unit(int depth) {
    return "depth-" + depth;
  }

  /** The result-determining settings of a grid run (for its {@link org.nnstm.io.RunManifest}). */
  public static Map<String, String> settings(Plan p, int trainImages, String evaluation) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("var-w", join(Arrays.stream(p.varW()).mapToObj(Double::toString).toList()));
    s.put("depth", join(Arrays.stream(p.depths()).mapToObj(Integer::toString).toList()));
    s.put("var-b", Double.toString(p.varB()));
    s.put("epochs", Integer.toString(p.epochs()));
    s.put("seed", Long.toString(p.firstSeed()));
    s.put("seeds", Integer.toString(p.seeds()));
    s.put("layout", p.layout());
    s.put("train-images", Integer.toString(trainImages));
    s.put("evaluation", evaluation);
    s.put("lr", Float.toString(p.config().learningRate()));
    s.put("momentum", Float.toString(p.config().momentum()));
    s.put("batch", Integer.toString(p.config().batchSize()));
    s.put("l2", Float.toString(p.config().l2()));
    s.put("shuffle", "false");
    s.put("precision", "float32");
    if (p.activation() != Activation.TANH) { // tanh grids keep the manifest they always had
      s.put("activation", p.activation().label());
    }
    return s;
  }

  /**
   * The plan recorded in a grid directory's manifest settings ({@link #settings}), as shard i of n; memory
   * budget {@code memoryGiB}.
   */
  public static Plan plan(Map<String, String> s, int shard, int shards, double memoryGiB) {
    try {
      double[] varW = Arrays.stream(s.get("var-w").split(",")).mapToDouble(Double::parseDouble).toArray();
      int[] depths = Arrays.stream(s.get("depth").split(",")).mapToInt(Integer::parseInt).toArray();
      EnsembleTrainer.Config cfg = new EnsembleTrainer.Config(Float.parseFloat(s.get("lr")),
          Float.parseFloat(s.get("momentum")), Integer.parseInt(s.get("batch")), Float.parseFloat(s.get("l2")));
      return new Plan(varW, depths, Double.parseDouble(s.get("var-b")), Long.parseLong(s.get("seed")),
          Integer.parseInt(s.get("seeds")), s.get("layout"), Integer.parseInt(s.get("epochs")), cfg, shard, shards,
          memoryGiB, Activation.named(s.getOrDefault("activation", "tanh")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the manifest's grid settings are incomplete or malformed (" + e + ")");
    }
  }

  private static String join(List<String> v) {
    return String.join(",", v);
  }
}
