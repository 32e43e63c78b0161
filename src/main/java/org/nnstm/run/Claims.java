package org.nnstm.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Claims on the units of work of a run directory (the grid's depth groups), so that processes sharing one
 * directory (the same shard run twice, a whole-grid run beside shards) share the work instead of each doing
 * every unit: before working on a unit a process creates {@code .claims/{unit}.claim} (written under a private
 * name, then hard-linked to the claim's name: an atomic create-new on local file systems and NFSv3+, and never
 * an empty claim) holding its pid, host and process start; others skip that unit.
 *
 * <p>A claim is stale, and is taken over, when its holder is gone: on the same host, no live process with that
 * pid and start time; on any host, no heartbeat for {@link #STALE} (holders touch their claims every
 * {@link #HEARTBEAT}). Claims are released when the unit is done, on close, and by a shutdown hook on SIGTERM
 * (what {@code scancel} sends first). Claims only avoid duplicated work: two processes that both train a cell
 * (a take-over race) write the same bits, atomically, since a cell's result does not depend on its ensemble.
 */
final class Claims implements AutoCloseable {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration STALE = Duration.ofMinutes(10);

  private final Path dir;
  private final String host;
  private final Map<String, Path> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService beat;
  private final Thread hook;

  Claims(Path runDir, String host) throws IOException {
    this.dir = runDir.resolve(".claims");
    this.host = host;
    Files.createDirectories(dir);
    this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "run-claims-heartbeat");
      t.setDaemon(true);
      return t;
    });
    beat.scheduleAtFixedRate(this::touchAll, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    this.hook = new Thread(this::releaseAll, "run-claims-release");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The claim file of a unit. */
  Path file(String unit) {
    return dir.resolve(unit + ".claim");
  }

  /**
   * Claims the unit, taking over a stale claim.
   *
   * @return empty when this process holds the claim now, else who holds it ("pid 12 on host h since ...")
   */
  Optional<String> tryClaim(String unit) throws IOException {
    Path f = file(unit);
    for (int attempt = 0; attempt < 3; attempt++) {
      // the claim appears whole or not at all: written under a private name, then hard-linked to its name
      // (fails if the name exists); a process killed in between leaves no empty claim that looks fresh
      Path tmp = dir.resolve(unit + ".new-" + ProcessHandle.current().pid());
      Files.writeString(tmp, content(), StandardCharsets.UTF_8);
      try {
        Files.createLink(f, tmp);
        held.put(unit, f);
        return Optional.empty();
      } catch (FileAlreadyExistsException e) {
        Map<String, String> owner = read(f);
        if (owner == null) {
          continue; // released meanwhile
        }
        if (!stale(f, owner)) {
          return Optional.of("pid " + owner.get("pid") + " on " + owner.get("host") + " since " + owner.get("since"));
        }
        // take over: move the stale claim aside (only one taker's move succeeds), then retry create-new
        try {
          Files.move(f, dir.resolve(unit + ".stale-" + ProcessHandle.current().pid()));
          Files.deleteIfExists(dir.resolve(unit + ".stale-" + ProcessHandle.current().pid()));
        } catch (NoSuchFileException gone) {
          // another process took it over or released it: look again
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    Map<String, String> owner = read(f);
    return Optional.of(owner == null ? "a process that keeps claiming it"
        : "pid " + owner.get("pid") + " on " + owner.get("host"));
  }

  /** Releases a claim this process holds. */
  void release(String unit) throws IOException {
    Path f = held.remove(unit);
    if (f != null) {
      Files.deleteIfExists(f);
    }
  }

  @Override
  public void close() {
    beat.shutdownNow();
    releaseAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void releaseAll() {
    for (String d : held.keySet()) {
      try {
        release(d);
      } catch (IOException e) {
        // best effort: a left claim becomes stale
      }
    }
  }

  private void touchAll() {
    FileTime now = FileTime.from(Instant.now());
    for (Path f : held.values()) {
      try {
        Files.setLastModifiedTime(f, now);
      } catch (IOException e) {
        // best effort: a claim that cannot be touched becomes stale after STALE
      }
    }
  }

  private String content() {
    ProcessHandle me = ProcessHandle.current();
    return "pid=" + me.pid() + "\nhost=" + host + "\nstart="
        + me.info().startInstant().map(Instant::toString).orElse("unknown") + "\nsince=" + Instant.now() + "\n";
  }

  /** The claim's fields, or null when it vanished. An unreadable claim reads as empty (stale by its age). */
  private static Map<String, String> read(Path f) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    return m;
  }

  /** True when the holder is gone: dead on this host, or silent for STALE anywhere. */
  boolean stale(Path f, Map<String, String> owner) throws IOException {
    Instant touched;
    try {
      touched = Files.getLastModifiedTime(f).toInstant();
    } catch (NoSuchFileException e) {
      return true;
    }
    if (Duration.between(touched, Instant.now()).compareTo(STALE) > 0) {
      return true;
    }
    if (!host.equals(owner.get("host"))) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(owner.getOrDefault("pid", ""));
    } catch (NumberFormatException e) {
      // a claim being written right now has no fields yet: fresh, not stale
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    String start = owner.get("start");
    Optional<Instant> actual = p.get().info().startInstant();
    return start != null && !start.equals("unknown") && actual.isPresent() && !actual.get().toString().equals(start);
  }
}
