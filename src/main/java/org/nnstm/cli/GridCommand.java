package org.nnstm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nnstm.experiment.CriticalityGrid;
import org.nnstm.experiment.GridResults;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.RunManifest;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.run.RunStore;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm grid}: the (sigma_w^2, depth) criticality grid, resumable and shardable. */
@Command(name = "grid", mixinStandardHelpOptions = true,
    description = {"Train one network (tanh unless --activation) per (sigma_w^2, depth, seed) cell (all cells of a depth together), "
        + "write acc-{tag}-{depth}.hdf5 per cell, grid.csv and phase-diagram.png. Re-running skips complete "
        + "cells; a rerun with other settings is refused (DIR/nnstm-manifest.txt); --shard i/n runs whole depth "
        + "groups balanced by cost; --collect DIR rebuilds grid.csv and the figure; --slurm submits an array job.",
        "Example: nnstm grid --var-w 1.0:3.0:0.05 --depth 10:70:3 --var-b 0.05 --epochs 5 --out runs/grid",
        "Slurm: nnstm grid ... --out DIR --slurm [--array N] [--dry-run]; nnstm grid --status DIR; "
            + "nnstm grid --slurm --resubmit DIR"})
final class GridCommand extends MnistRunCommand {
  @Mixin
  CommonOptions.MnistEnsemble run;

  @Option(names = "--depth", paramLabel = "LIST|A:B:S", description = "Depths (list or range), e.g. 10:70:3.")
  String depth;

  @Mixin
  CommonOptions.Out out;

  @Mixin
  Shard shard;

  @Option(names = "--collect", paramLabel = "DIR",
      description = "Only rebuild grid.csv and phase-diagram.png from the acc-*.hdf5 files in DIR (all shards).")
  Path collect;

  @Option(names = "--status", paramLabel = "DIR",
      description = "Report cells complete / total per shard (and, on Slurm, queued, running or stopped shards and "
          + "time left) for the grid in DIR.")
  Path status;

  @Mixin
  GridSlurm.Submission submit;

  @Override
  boolean validatesBackendFirst() {
    return false; // --collect and --status use no backend
  }

  @Override
  Integer execute(PrintWriter stdout, PrintWriter err) throws Exception {
    if (collect != null) {
      return collect(collect, err);
    }
    if (status != null) {
      GridSlurm.status(stdout, status, recordedPlan(status));
      return 0;
    }
    if (submit.resubmit != null) {
      if (!submit.slurm) {
        throw new IllegalArgumentException("--resubmit needs --slurm (nnstm grid --slurm --resubmit DIR)");
      }
      GridSlurm.resubmit(stdout, submit.resubmit, recordedPlan(submit.resubmit));
      return 0;
    }
    Path out = this.out.out;
    if (!run.varW.given() || depth == null || out == null) {
      throw new IllegalArgumentException("grid needs --var-w, --depth and --out (or --collect DIR)");
    }
    int[] sh = shard.parse();
    backendOptions.validate();
    CriticalityGrid.Plan plan = plan(sh[0], sh[1]);
    if (submit.slurm) {
      return submit(plan, err);
    }
    Map<String, String> settings = CriticalityGrid.settings(plan, run.trainLimit.images(), VALIDATION);
    RunProvenance.check("grid", settings, out);
    if (CriticalityGrid.shard(plan).isEmpty()) {
      err.printf(Locale.ROOT, "nnstm: grid: shard %d/%d has no cells (%d depth groups over %d shards): nothing to do%n",
          plan.shard(), plan.shards(), plan.depths().length, plan.shards());
      err.flush();
      return 0;
    }
    DataOptions.Splits data = dataOptions.load(err, run.trainLimit.trainLimit, false);
    CriticalityGrid.Outcome outcome;
    boolean cpu = backendOptions.backendName().equalsIgnoreCase("cpu");
    plan.requireFits(cpu);
    try (Backend backend = backendOptions.open(err)) {
      if (!cpu && backend.kind().equals("cpu")) {
        plan.requireFits(true); // auto chose the CPU: the passes live in the machine's memory
      }
      AtomicFiles.requireWritableDirectory(out);
      try (RunStore store = RunProvenance.store("grid", settings, spec, backendOptions, backend, out);
           Progress bar = new Progress(err, "grid")) {
        outcome = CriticalityGrid.run(backend, plan, data.train(), data.validation(), store, line -> {
          err.println("nnstm: " + line);
          err.flush();
        }, bar, store.manifest().provenance().attributes());
      }
    }
    if (outcome.cells() == 0) {
      return 0;
    }
    int missing = CriticalityGrid.incomplete(out, plan, CriticalityGrid.cells(plan)).size();
    if (missing > 0) {
      err.printf(Locale.ROOT, "nnstm: grid: %d of %d cells of the whole grid are not complete yet (other shards%s);"
          + " when they are, the last to finish (or nnstm grid --collect %s) writes grid.csv and the figure%n",
          missing, CriticalityGrid.cells(plan).size(), outcome.leftToOthers() > 0 ? " or processes" : "", out);
      err.flush();
      return 0;
    }
    return summarize(out, err);
  }

  /** The whole grid recorded in DIR's manifest. */
  private CriticalityGrid.Plan recordedPlan(Path dir) throws java.io.IOException {
    if (!RunManifest.exists(dir)) {
      throw new IllegalArgumentException(dir + " holds no grid (no " + RunManifest.FILE + ")");
    }
    return CriticalityGrid.plan(RunManifest.readSettings(dir), 1, 1, run.memory.memoryGiB);
  }

  /** --slurm: the scripts, then sbatch (or, with --dry-run, only print them). */
  private int submit(CriticalityGrid.Plan plan, PrintWriter err) throws Exception {
    if (!shard.whole()) {
      throw new IllegalArgumentException("--slurm chooses the shards itself (--array N): leave out --shard");
    }
    int groups = plan.depths().length;
    int n = submit.array == null ? groups : submit.array;
    if (n < 1 || n > groups) {
      throw new IllegalArgumentException("--array must be 1.." + groups + " (shards take whole depth groups and "
          + "there are " + groups + " depths), got " + n);
    }
    GridSlurm.Options o = submit.options(n);
    Path out = this.out.out;
    Map<String, String> settings = CriticalityGrid.settings(plan, run.trainLimit.images(), VALIDATION);
    String grid = GridSlurm.gridScript(out, o, shardArgs());
    String collectScript = GridSlurm.collectScript(out, o);
    PrintWriter stdout = stdout();
    if (submit.dryRun) {
      new RunManifest("grid", settings, null).check(out);
      GridSlurm.dryRun(stdout, out, grid, collectScript);
      return 0;
    }
    new RunManifest("grid", settings, null).check(out);
    GridSlurm.requireOnPath("sbatch");
    AtomicFiles.requireWritableDirectory(out);
    new RunManifest("grid", settings, RunManifest.Provenance.current(backendOptions.backendName() + " (requested; submitted "
        + "to Slurm)", RunProvenance.threads(backendOptions), RunProvenance.args(spec))).open(out);
    GridSlurm.writeAndSubmit(stdout, out, grid, collectScript);
    return 0;
  }

  /** The options every shard runs with: the command line less grid, the Slurm options and --shard. */
  private List<String> shardArgs() {
    List<String> all = RunProvenance.args(spec);
    Set<String> flags = Set.of("--slurm", "--dry-run");
    Set<String> valued = Set.of("--array", "--partition", "--time", "--cpus-per-task", "--gpus-per-task",
        "--sbatch-arg", "--shard", "--resubmit", "--status", "--collect");
    List<String> keep = new java.util.ArrayList<>();
    int i = all.indexOf("grid") + 1;
    for (; i < all.size(); i++) {
      String a = all.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (flags.contains(name)) {
        continue;
      }
      if (valued.contains(name)) {
        if (!a.contains("=")) {
          i++;
        }
        continue;
      }
      keep.add(a);
    }
    if (submit.cpusPerTask != null
        && keep.stream().noneMatch(a -> a.equals("--threads") || a.startsWith("--threads="))) {
      keep.addAll(List.of("--threads", Integer.toString(submit.cpusPerTask))); // as many threads as the task has CPUs
    }
    return keep;
  }

  /** The evaluation data of every grid run, as the manifest names it. */
  static final String VALIDATION = "validation (training-file images 50000..59999)";

  /** The plan from the options, as shard i of n. */
  CriticalityGrid.Plan plan(int i, int n) {
    int e = run.epochs.atLeastOne();
    return new CriticalityGrid.Plan(run.varW.values(), Ranges.ints("--depth", depth), run.varB.varB,
        run.seed.seed, run.seeds.seeds, run.layout, e, EnsembleTrainer.Config.reference(), i, n,
        run.memory.memoryGiB, run.activation.phi());
  }

  /** {@code --shard i/n}, and its parsing. */
  static final class Shard {
    @Option(names = "--shard", defaultValue = "1/1", paramLabel = "i/n",
        description = "Run shard i of n (1-based; default: ${DEFAULT-VALUE}): whole depth groups, largest cost first "
            + "to the least-loaded shard; an empty shard succeeds doing nothing.")
    String text;

    /** Whether --shard is the default 1/1 (the whole grid). */
    boolean whole() {
      return text.equals("1/1");
    }

    /** {i, n}; an error unless the text is i/n with integers (the plan checks 1 &lt;= i &lt;= n). */
    int[] parse() {
      String[] sh = text.split("/");
      if (sh.length != 2) {
        throw new IllegalArgumentException("--shard must be i/n, got '" + text + "'");
      }
      try {
        return new int[] {Integer.parseInt(sh[0].trim()), Integer.parseInt(sh[1].trim())};
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--shard must be i/n with integers, got '" + text + "'");
      }
    }
  }

  /**
   * --collect DIR: grid.csv and the figure from the accuracy files. With a manifest, every cell of the recorded
   * plan must be complete (a partial grid is named, not summarised).
   */
  private int collect(Path dir, PrintWriter err) throws Exception {
    if (RunManifest.exists(dir)) {
      CriticalityGrid.Plan plan = CriticalityGrid.plan(RunManifest.readSettings(dir), 1, 1, run.memory.memoryGiB);
      int missing = CriticalityGrid.incomplete(dir, plan, CriticalityGrid.cells(plan)).size();
      if (missing > 0) {
        throw new IllegalArgumentException(dir + ": " + missing + " of " + CriticalityGrid.cells(plan).size()
            + " cells are not complete (see nnstm grid --status " + dir + "); nothing collected");
      }
    }
    return summarize(dir, err);
  }

  private int summarize(Path dir, PrintWriter err) throws Exception {
    List<GridResults.Cell> cells = CriticalityGrid.summarize(dir, dir.resolve("phase-diagram.png"));
    spec.commandLine().getOut().printf(Locale.ROOT, "%d cells: %s, %s%n", cells.size(), dir.resolve("grid.csv"),
        dir.resolve("phase-diagram.png"));
    return 0;
  }
}
