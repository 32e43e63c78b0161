package org.nnstm.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nnstm.experiment.CriticalityGrid;
import org.nnstm.io.AtomicFiles;
import org.nnstm.io.Processes;
import picocli.CommandLine.Option;

/**
 * The grid on Slurm: {@code DIR/slurm/grid.sbatch} (one array job, task i runs shard i of n) and
 * {@code DIR/slurm/collect.sbatch} ({@code grid --collect DIR}, submitted with {@code --dependency=afterok} on
 * the array and {@code --kill-on-invalid-dep=yes}); submission, resubmission of incomplete shards, and status.
 * Submitted jobs are recorded in {@code DIR/slurm/jobs.txt} ("grid JOBID TASKS" and "collect JOBID" lines).
 *
 * <p>Tasks run this JVM's java binary with its options and class path (absolute), in the submission's working
 * directory: on a cluster, submit from a file system the compute nodes share.
 */
final class GridSlurm {
  private GridSlurm() {}

  /** The options of {@code nnstm grid --slurm}: a picocli mixin of {@link GridCommand}. */
  static final class Submission {
    @Option(names = "--slurm", description = "Submit the grid to Slurm: one array job (task i = shard i/n) and a "
        + "collect job after it; scripts in DIR/slurm. With --resubmit DIR: resubmit only incomplete shards.")
    boolean slurm;

    @Option(names = "--array", paramLabel = "N",
        description = "With --slurm: shards (array tasks), at most one per depth (default: one per depth).")
    Integer array;

    @Option(names = "--partition", paramLabel = "P", description = "With --slurm: the partition.")
    String partition;

    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "With --slurm: time limit per task.")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "With --slurm: CPUs per task.")
    Integer cpusPerTask;

    @Option(names = "--gpus-per-task", paramLabel = "G", description = "With --slurm: GPUs per task (with --backend cuda).")
    Integer gpusPerTask;

    @Option(names = "--sbatch-arg", paramLabel = "ARG",
        description = "With --slurm: one more sbatch option for both jobs, e.g. --sbatch-arg=--account=abc (repeatable).")
    List<String> sbatchArgs = new ArrayList<>();

    @Option(names = "--dry-run", description = "With --slurm: print the job scripts and sbatch commands; write and "
        + "submit nothing.")
    boolean dryRun;

    @Option(names = "--resubmit", paramLabel = "DIR",
        description = "With --slurm: resubmit the incomplete shards of DIR that are not queued, and a collect job.")
    Path resubmit;

    /** The job options for {@code shards} array tasks. */
    Options options(int shards) {
      return new Options(shards, partition, time, cpusPerTask, gpusPerTask, sbatchArgs);
    }
  }

  /** The sbatch options of the submission. */
  record Options(int shards, String partition, String time, Integer cpusPerTask, Integer gpusPerTask,
                 List<String> sbatchArgs) {
    Options {
      if (time != null && !time.matches("(\\d+-)?\\d+(:\\d+){0,2}")) {
        throw new IllegalArgumentException("--time must be [D-]HH:MM:SS (or MM, MM:SS, D-HH), got '" + time + "'");
      }
      if (cpusPerTask != null && cpusPerTask < 1) {
        throw new IllegalArgumentException("--cpus-per-task must be >= 1, got " + cpusPerTask);
      }
      if (gpusPerTask != null && gpusPerTask < 0) {
        throw new IllegalArgumentException("--gpus-per-task must be >= 0, got " + gpusPerTask);
      }
      for (String a : sbatchArgs) {
        if (!a.startsWith("-") || a.contains("\n")) {
          throw new IllegalArgumentException("--sbatch-arg must be one sbatch option such as --account=X, got '"
              + a + "'");
        }
      }
    }
  }

  static Path slurmDir(Path out) {
    return out.toAbsolutePath().resolve("slurm");
  }

  /** The array job's script: shard ${SLURM_ARRAY_TASK_ID}/n of the grid given by {@code gridArgs}. */
  static String gridScript(Path out, Options o, List<String> gridArgs) {
    Path logs = slurmDir(out).resolve("logs");
    StringBuilder sb = new StringBuilder("#!/bin/bash\n")
        .append("# nnstm grid on Slurm: array task i trains shard i/").append(o.shards())
        .append(" (whole depth groups). Written by nnstm grid --slurm;\n")
        .append("# resubmit incomplete shards with: nnstm grid --slurm --resubmit ").append(out.toAbsolutePath())
        .append('\n')
        .append("#SBATCH --job-name=nnstm-grid\n")
        .append("#SBATCH --array=1-").append(o.shards()).append('\n')
        .append("#SBATCH --output=").append(logs).append("/shard-%a-job%A.out\n")
        .append("#SBATCH --chdir=").append(Path.of("").toAbsolutePath()).append('\n');
    header(sb, o);
    sb.append("set -eu\n")
        .append("exec ").append(launcher()).append(" grid");
    for (String a : gridArgs) {
      sb.append(' ').append(quote(a));
    }
    sb.append(" --shard \"${SLURM_ARRAY_TASK_ID}/").append(o.shards()).append("\"\n");
    return sb.toString();
  }

  /** The collect job's script. */
  static String collectScript(Path out, Options o) {
    Path logs = slurmDir(out).resolve("logs");
    StringBuilder sb = new StringBuilder("#!/bin/bash\n")
        .append("# nnstm grid on Slurm: grid.csv and phase-diagram.png once every shard succeeded ")
        .append("(submitted with --dependency=afterok on the array job)\n")
        .append("#SBATCH --job-name=nnstm-grid-collect\n")
        .append("#SBATCH --output=").append(logs).append("/collect-job%j.out\n")
        .append("#SBATCH --chdir=").append(Path.of("").toAbsolutePath()).append('\n');
    if (o.partition() != null) {
      sb.append("#SBATCH --partition=").append(o.partition()).append('\n');
    }
    for (String a : o.sbatchArgs()) {
      sb.append("#SBATCH ").append(a).append('\n');
    }
    sb.append("#SBATCH --time=00:30:00\n#SBATCH --cpus-per-task=1\n");
    sb.append("set -eu\n")
        .append("exec ").append(launcher()).append(" grid --collect ").append(quote(out.toAbsolutePath().toString()))
        .append('\n');
    return sb.toString();
  }

  private static void header(StringBuilder sb, Options o) {
    if (o.partition() != null) {
      sb.append("#SBATCH --partition=").append(o.partition()).append('\n');
    }
    if (o.time() != null) {
      sb.append("#SBATCH --time=").append(o.time()).append('\n');
    }
    if (o.cpusPerTask() != null) {
      sb.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
    }
    if (o.gpusPerTask() != null) {
      sb.append("#SBATCH --gpus-per-task=").append(o.gpusPerTask()).append('\n');
    }
    for (String a : o.sbatchArgs()) {
      sb.append("#SBATCH ").append(a).append('\n');
    }
  }

  /** This JVM: java binary, its options (debug agents left out), class path (absolute), main class. */
  static String launcher() {
    String java = ProcessHandle.current().info().command().orElse("java");
    StringBuilder sb = new StringBuilder(quote(java));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
        sb.append(' ').append(quote(a));
      }
    }
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        cp.add(Path.of(e).toAbsolutePath().toString());
      }
    }
    sb.append(" -cp ").append(quote(String.join(File.pathSeparator, cp))).append(' ').append(Main.class.getName());
    return sb.toString();
  }

  /** Single-quoted for bash where needed. */
  static String quote(String a) {
    return a.matches("[A-Za-z0-9_./:,=+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
  }

  /** Refuses, before anything is written, when {@code command} is not an executable on PATH. */
  static void requireOnPath(String command) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
          return;
        }
      }
    }
    throw new IllegalArgumentException(command + " not found: Slurm's commands are not on PATH here (is this a Slurm "
        + "login node? --dry-run shows the job scripts without submitting)");
  }

  /** The sbatch command lines of a submission, for --dry-run and the messages. */
  static List<String> commands(Path out) {
    Path s = slurmDir(out);
    return List.of("sbatch --parsable " + s.resolve("grid.sbatch"),
        "sbatch --parsable --dependency=afterok:<grid job id> --kill-on-invalid-dep=yes " + s.resolve("collect.sbatch"));
  }

  /** --dry-run: prints both scripts and the commands that would submit them; writes nothing. */
  static void dryRun(PrintWriter out, Path dir, String grid, String collect) {
    Path s = slurmDir(dir);
    out.println("# " + s.resolve("grid.sbatch"));
    out.print(grid);
    out.println("# " + s.resolve("collect.sbatch"));
    out.print(collect);
    out.println("# would submit (dry run: nothing written, nothing submitted):");
    for (String c : commands(dir)) {
      out.println(c);
    }
    out.flush();
  }

  /** Writes both scripts and submits the array (all tasks, or {@code tasks} like "2,5") and the collect job. */
  static void writeAndSubmit(PrintWriter out, Path dir, String grid, String collect) throws IOException {
    Path s = slurmDir(dir);
    Files.createDirectories(s.resolve("logs"));
    AtomicFiles.writeString(s.resolve("grid.sbatch"), grid);
    AtomicFiles.writeString(s.resolve("collect.sbatch"), collect);
    submit(out, dir, null);
  }

  /** Submits grid.sbatch (all tasks when {@code tasks} is null) and collect.sbatch after it; records both. */
  private static void submit(PrintWriter out, Path dir, String tasks) throws IOException {
    Path s = slurmDir(dir);
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
    if (tasks != null) {
      cmd.add("--array=" + tasks);
    }
    cmd.add(s.resolve("grid.sbatch").toString());
    String gridJob = jobId(run(cmd));
    String collectJob = jobId(run(List.of("sbatch", "--parsable", "--dependency=afterok:" + gridJob,
        "--kill-on-invalid-dep=yes", s.resolve("collect.sbatch").toString())));
    String shards = tasks == null ? "all" : tasks;
    Files.writeString(s.resolve("jobs.txt"), "grid " + gridJob + " " + shards + "\ncollect " + collectJob + "\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    out.printf(Locale.ROOT, "submitted: grid array job %s (tasks %s), collect job %s (runs when every task "
        + "succeeded)%nwatch: nnstm grid --status %s%n", gridJob, shards, collectJob, dir);
    out.flush();
  }

  /** "12" from sbatch --parsable's "12" or "12;cluster". */
  private static String jobId(String parsable) {
    String id = parsable.strip().split(";")[0];
    if (!id.matches("\\d+")) {
      throw new IllegalArgumentException("sbatch answered '" + parsable.strip() + "', not a job id");
    }
    return id;
  }

  /** Runs a Slurm command; its stdout, or an error naming the command and its message. */
  static String run(List<String> cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IllegalArgumentException(cmd.get(0) + " not found: Slurm's commands are not on PATH here (is this "
          + "a Slurm login node? --dry-run shows the job scripts without submitting)");
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    Processes.await(p, 60, TimeUnit.SECONDS, String.join(" ", cmd) + " did not answer within 60 s",
        "interrupted waiting for " + cmd.get(0));
    if (p.exitValue() != 0) {
      String msg = new String(err, StandardCharsets.UTF_8).strip().replaceAll("\\s*\\n\\s*", "; ");
      throw new IllegalArgumentException(cmd.get(0) + " refused: " + (msg.isEmpty() ? "exit " + p.exitValue() : msg));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The grid and collect job ids recorded in jobs.txt, in submission order. */
  record Jobs(List<String> grid, List<String> collect) {}

  static Jobs jobs(Path dir) throws IOException {
    Path f = slurmDir(dir).resolve("jobs.txt");
    List<String> grid = new ArrayList<>();
    List<String> collect = new ArrayList<>();
    if (Files.isRegularFile(f)) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String[] w = line.strip().split("\\s+");
        if (w.length >= 2 && w[0].equals("grid")) {
          grid.add(w[1]);
        } else if (w.length >= 2 && w[0].equals("collect")) {
          collect.add(w[1]);
        }
      }
    }
    return new Jobs(grid, collect);
  }

  /** The number of shards of the submitted array (from grid.sbatch's --array=1-n). */
  static int shards(Path dir) throws IOException {
    Path f = slurmDir(dir).resolve("grid.sbatch");
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + " was not submitted with nnstm grid --slurm (no " + f + ")");
    }
    Matcher m = Pattern.compile("(?m)^#SBATCH --array=1-(\\d+)$").matcher(Files.readString(f));
    if (!m.find()) {
      throw new IllegalArgumentException(f + " has no '#SBATCH --array=1-N' line");
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The array tasks of our grid jobs still in the queue: shard number to "RUNNING (job 12_3)" etc.; null when
   * squeue cannot be asked.
   */
  static Map<Integer, String> queued(Jobs jobs) {
    Map<Integer, String> q = new LinkedHashMap<>();
    if (jobs.grid().isEmpty()) {
      return q;
    }
    String text;
    try {
      text = run(List.of("squeue", "-h", "-r", "-j", String.join(",", jobs.grid()), "-o", "%i %T"));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    for (String line : text.lines().toList()) {
      Matcher m = Pattern.compile("(\\d+)_(\\d+)\\s+(\\S+)").matcher(line.strip());
      if (m.matches()) {
        q.put(Integer.parseInt(m.group(2)), m.group(3) + " (job " + m.group(1) + "_" + m.group(2) + ")");
      }
    }
    return q;
  }

  /** Incomplete shards (1-based) of the recorded plan. */
  static Set<Integer> incompleteShards(Path dir, CriticalityGrid.Plan whole, int shards) {
    Set<Integer> s = new LinkedHashSet<>();
    for (int i = 1; i <= shards; i++) {
      CriticalityGrid.Plan p = whole.withShard(i, shards);
      if (!CriticalityGrid.incomplete(dir, p, CriticalityGrid.shard(p)).isEmpty()) {
        s.add(i);
      }
    }
    return s;
  }

  /**
   * --resubmit: submits the incomplete shards not in the queue, and a new collect job after them (the old one
   * was cancelled by Slurm when a task failed, or is cancelled here).
   */
  static void resubmit(PrintWriter out, Path dir, CriticalityGrid.Plan whole) throws IOException {
    int n = shards(dir);
    Jobs jobs = jobs(dir);
    Map<Integer, String> q = queued(jobs);
    if (q == null) {
      throw new IllegalArgumentException("squeue did not answer: cannot tell which shards are still queued");
    }
    Set<Integer> todo = incompleteShards(dir, whole, n);
    todo.removeAll(q.keySet());
    if (todo.isEmpty()) {
      out.printf(Locale.ROOT, "nothing to resubmit: %s%n", q.isEmpty() ? "every cell is complete"
          : "the incomplete shards are still queued or running (" + q.values() + ")");
      out.flush();
      return;
    }
    for (String c : jobs.collect()) {
      try {
        run(List.of("scancel", c));
      } catch (IOException | IllegalArgumentException e) {
        // already gone (Slurm cancels it when its dependency can no longer be met)
      }
    }
    submit(out, dir, String.join(",", todo.stream().map(String::valueOf).toList()));
  }

  /** --status: cells complete / total per shard, queue state, stopped shards, time left from the shard logs. */
  static void status(PrintWriter out, Path dir, CriticalityGrid.Plan whole) throws IOException {
    boolean slurm = Files.isRegularFile(slurmDir(dir).resolve("grid.sbatch"));
    int n = slurm ? shards(dir) : 1;
    Map<Integer, String> q = slurm ? queued(jobs(dir)) : Map.of();
    int total = CriticalityGrid.cells(whole).size();
    int done = total - CriticalityGrid.incomplete(dir, whole, CriticalityGrid.cells(whole)).size();
    out.printf(Locale.ROOT, "grid %s: %d/%d cells complete%s%n", dir, done, total,
        slurm ? " (" + n + " shards on Slurm)" : "");
    for (int i = 1; i <= n; i++) {
      CriticalityGrid.Plan p = whole.withShard(i, n);
      List<CriticalityGrid.Cell> mine = CriticalityGrid.shard(p);
      int left = CriticalityGrid.incomplete(dir, p, mine).size();
      String state;
      if (left == 0) {
        state = mine.isEmpty() ? "no cells" : "complete";
      } else if (q != null && q.containsKey(i)) {
        state = q.get(i).toLowerCase(Locale.ROOT) + timeLeft(dir, i);
      } else if (q != null && slurm) {
        state = "stopped (failed, cancelled or out of time; not in the queue): resubmit with "
            + "nnstm grid --slurm --resubmit " + dir;
      } else {
        state = "incomplete";
      }
      out.printf(Locale.ROOT, "shard %d/%d: %d/%d cells complete, %s%n", i, n, mine.size() - left, mine.size(), state);
    }
    out.flush();
  }

  /** ", about N s left" from the last progress line of the shard's newest log, or "". */
  private static String timeLeft(Path dir, int shard) throws IOException {
    Path logs = slurmDir(dir).resolve("logs");
    if (!Files.isDirectory(logs)) {
      return "";
    }
    Path newest = null;
    try (Stream<Path> s = Files.list(logs)) {
      for (Path p : s.filter(x -> x.getFileName().toString().startsWith("shard-" + shard + "-")).toList()) {
        if (newest == null || Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(newest)) > 0) {
          newest = p;
        }
      }
    }
    if (newest == null) {
      return "";
    }
    String last = "";
    Matcher m = Pattern.compile("about (\\d+) s left").matcher(Files.readString(newest, StandardCharsets.UTF_8));
    while (m.find()) {
      last = ", about " + m.group(1) + " s left (" + newest.getFileName() + ")";
    }
    return last;
  }
}
