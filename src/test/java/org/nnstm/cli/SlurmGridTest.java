package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.experiment.GridResults;

/**
 * The grid on a real (single-node, tools/slurm-local) Slurm: 3 array tasks, one cancelled with scancel while it
 * trains, resubmitted with grid --slurm --resubmit, collected; grid.csv and the figure equal a single-process run
 * of the same cells byte for byte. Skipped, with the reason, where Slurm cannot start.
 */
class SlurmGridTest {
  @TempDir
  Path dir;

  Path slurmDir;
  Map<String, String> env;

  static final String[] GRID = {"--backend", "cpu", "--var-w", "1.0,2.0", "--depth", "3,4,5", "--layout", "decimated",
      "--epochs", "1", "--train-limit", "512"};

  @AfterEach
  void down() throws Exception {
    if (slurmDir != null) {
      run(List.of(Path.of("tools/slurm-local").toAbsolutePath().toString(), "down"), 60);
    }
  }

  @Test
  void cancelResubmitAndCollectEqualASingleRun() throws Exception {
    String data = TestData.mnist().toString();
    startSlurm();
    Path out = dir.resolve("slurm-grid");
    List<String> submit = nnstm("grid", "--data", data);
    submit.addAll(List.of(GRID));
    submit.addAll(List.of("--out", out.toString(), "--slurm", "--array", "3"));
    List<String> dry = new ArrayList<>(submit);
    dry.add("--dry-run");
    Result d = run(dry, 60);
    assertEquals(0, d.code, d.text);
    Result s = run(submit, 60);
    assertEquals(0, s.code, s.text);
    Matcher m = Pattern.compile("grid array job (\\d+)").matcher(s.text);
    assertTrue(m.find(), s.text);
    String job = m.group(1);
    String script = Files.readString(out.resolve("slurm/grid.sbatch"));
    String collect = Files.readString(out.resolve("slurm/collect.sbatch"));
    assertTrue(d.text.contains("# " + out.resolve("slurm/grid.sbatch") + "\n" + script + "# "
        + out.resolve("slurm/collect.sbatch") + "\n" + collect), "--dry-run printed what was submitted:\n" + d.text
        + "\n---\n" + script + collect);

    // shard 1 holds the costliest group, depth 5: cancel it once it trains (its claim exists)
    Path claim = out.resolve(".claims/depth-5.claim");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(claim) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(Files.exists(claim), "shard 1 never started training: " + logs(out));
    Result c = run(List.of("scancel", job + "_1"), 30);
    assertEquals(0, c.code, c.text);
    waitForQueueEmpty(90);
    assertTrue(!Files.exists(out.resolve("grid.csv")), "collect must not run after a cancelled task");
    Result st = run(nnstm("grid", "--status", out.toString()), 30);
    assertEquals(0, st.code, st.text);
    assertTrue(st.text.contains("shard 1/3: 0/2 cells complete, stopped"), st.text);
    assertTrue(st.text.contains("shard 2/3: 2/2 cells complete, complete"), st.text);

    Result r = run(nnstm("grid", "--slurm", "--resubmit", out.toString()), 60);
    assertEquals(0, r.code, r.text);
    assertTrue(r.text.contains("(tasks 1)"), r.text);
    waitForQueueEmpty(90);
    assertTrue(Files.exists(out.resolve("grid.csv")), "collect did not write grid.csv: " + logs(out));

    // a job sbatch refuses is a one-line error carrying sbatch's message
    Result refused = run(nnstm("grid", "--var-w", "1", "--depth", "3", "--out", dir.resolve("refused").toString(),
        "--slurm", "--partition", "nosuchpartition"), 60);
    assertEquals(2, refused.code, refused.text);
    assertEquals(1, refused.text.strip().lines().count(), refused.text);
    assertTrue(refused.text.startsWith("nnstm: error: sbatch refused: ") && refused.text.contains("partition"),
        refused.text);

    Path single = dir.resolve("single");
    List<String> one = new ArrayList<>(List.of("grid", "--data", data));
    one.addAll(List.of(GRID));
    one.addAll(List.of("--out", single.toString()));
    TrainCommandTest.Result sr = TrainCommandTest.run(one.toArray(new String[0]));
    assertEquals(0, sr.code(), sr.err());
    assertEquals(6, GridResults.read(out).size());
    assertArrayEquals(Files.readAllBytes(single.resolve("grid.csv")), Files.readAllBytes(out.resolve("grid.csv")),
        "grid.csv of shards + collect equals a single run's");
    assertArrayEquals(Files.readAllBytes(single.resolve("phase-diagram.png")),
        Files.readAllBytes(out.resolve("phase-diagram.png")), "and so does the figure");
  }

  @Test
  void dryRunPrintsBothScriptsAndWritesNothing() {
    Path out = dir.resolve("dry");
    TrainCommandTest.Result r = TrainCommandTest.run("grid", "--var-w", "1.0:3.0:0.05", "--depth", "10:70:3",
        "--var-b", "0.05", "--epochs", "5", "--out", out.toString(), "--slurm", "--cpus-per-task", "4", "--time",
        "2-00:00:00", "--sbatch-arg=--mem=20G", "--memory", "16", "--dry-run");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("#SBATCH --array=1-21\n"), r.out());
    assertTrue(r.out().contains("#SBATCH --mem=20G\n#SBATCH --time=00:30:00") || r.out().contains("#SBATCH --mem=20G"),
        r.out());
    assertTrue(r.out().contains(" grid --var-w 1.0:3.0:0.05 --depth 10:70:3 --var-b 0.05 --epochs 5 --out " + out
        + " --memory 16 --threads 4 --shard \"${SLURM_ARRAY_TASK_ID}/21\"\n"), r.out());
    assertTrue(r.out().contains(" grid --collect " + out.toAbsolutePath() + "\n"), r.out());
    assertTrue(r.out().contains("sbatch --parsable --dependency=afterok:<grid job id> --kill-on-invalid-dep=yes"),
        r.out());
    assertTrue(!Files.exists(out), "a dry run writes nothing");
    TrainCommandTest.Result tooMany = TrainCommandTest.run("grid", "--var-w", "1", "--depth", "3,4", "--out",
        out.toString(), "--slurm", "--array", "3", "--dry-run");
    GridManifestTest.assertOneLineError(tooMany, "--array must be 1..2");
  }

  @Test
  void withoutSbatchSubmittingIsAOneLineError() throws Exception {
    Path out = dir.resolve("nosbatch");
    env = Map.of("PATH", dir.resolve("empty-path").toString());
    List<String> cmd = nnstm("grid", "--var-w", "1", "--depth", "3", "--out", out.toString(), "--slurm");
    Result r = run(cmd, 60);
    assertEquals(2, r.code, r.text);
    assertTrue(r.text.strip().startsWith("nnstm: error: sbatch not found"), r.text);
    assertEquals(1, r.text.strip().lines().count(), r.text);
    assertTrue(!Files.exists(out), "nothing written when sbatch is missing");
  }

  void startSlurm() throws Exception {
    Path tool = Path.of("tools/slurm-local").toAbsolutePath();
    slurmDir = dir.resolve("slurm");
    int port = freePortPair();
    env = Map.of("NNSTM_SLURM_DIR", slurmDir.toString(), "NNSTM_SLURM_PORT", Integer.toString(port),
        "SLURM_CONF", slurmDir.resolve("slurm.conf").toString());
    Result up = run(List.of(tool.toString(), "up"), 120);
    if (up.code != 0) {
      slurmDir = null;
      Assumptions.abort("Slurm cannot start here (tools/slurm-local up: " + up.text.strip().replace('\n', ' ')
          + "): skipped");
    }
  }

  static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p;
      try (ServerSocket a = new ServerSocket(0)) {
        p = a.getLocalPort();
      }
      if (p < 65000) {
        try (ServerSocket b = new ServerSocket(p + 1)) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no two free consecutive ports");
  }

  void waitForQueueEmpty(int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Result q = run(List.of("squeue", "-h"), 30);
      if (q.code == 0 && q.text.isBlank()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Slurm queue not empty after " + seconds + " s: " + run(List.of("squeue"), 30).text);
  }

  static List<String> nnstm(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  record Result(int code, String text) {}

  Result run(List<String> cmd, int seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (env != null) {
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in " + seconds + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static String logs(Path out) throws IOException {
    StringBuilder sb = new StringBuilder();
    Path l = out.resolve("slurm/logs");
    if (Files.isDirectory(l)) {
      try (var s = Files.list(l)) {
        for (Path p : s.sorted().toList()) {
          sb.append("\n== ").append(p.getFileName()).append('\n').append(Files.readString(p));
        }
      }
    }
    return sb.toString();
  }
}
