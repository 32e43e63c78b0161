package org.nnstm.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run manifest of an output directory, {@value #FILE}: the command, every setting that determines the
 * results (hyperparameters, data slice, layout, epochs, seeds, precision) and the provenance of the run that
 * created the directory (nnstm version, git commit when known, backend, threads, JVM, host, date, the full
 * command line).
 *
 * <p>{@link #open} is called where a command opens its output directory: in a new (or manifest-less) directory
 * it writes the manifest atomically; in a directory that has one it compares the settings and refuses, in one
 * line naming each differing setting, when they differ, so a rerun, resume or shard never mixes results of two
 * configurations. Equal settings resume. The provenance of later runs is not merged into the file (concurrent
 * shards would race); each HDF5 file carries its writer's provenance as root attributes
 * ({@link Provenance#attributes()}).
 *
 * <p>Format: UTF-8 text, {@code # comment} lines, section headers {@code [settings]} and {@code [provenance]},
 * then {@code key = value} lines (backslash, newline and carriage return escaped as {@code \\ \n \r}).
 */
public final class RunManifest {
  /** The manifest's file name in an output directory. */
  public static final String FILE = "nnstm-manifest.txt";

  private final String command;
  private final Map<String, String> settings;
  private final Provenance provenance;

  /**
   * @param command the command that writes the directory, e.g. {@code grid} (a directory of one command is
   *     refused to another)
   * @param settings the result-determining settings, name to value, in the order they are written
   */
  public RunManifest(String command, Map<String, String> settings, Provenance provenance) {
    this.command = command;
    this.settings = new LinkedHashMap<>();
    this.settings.put("command", command);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (e.getKey().equals("command") || !e.getKey().matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("manifest setting name '" + e.getKey() + "' is reserved or not "
            + "letters, digits, '.', '_' or '-'");
      }
      this.settings.put(e.getKey(), String.valueOf(e.getValue()));
    }
    this.provenance = provenance;
  }

  /** The settings, "command" first. */
  public Map<String, String> settings() {
    return new LinkedHashMap<>(settings);
  }

  public Provenance provenance() {
    return provenance;
  }

  public String command() {
    return command;
  }

  /**
   * Checks {@code dir}'s manifest against these settings, or writes it when the directory has none (the
   * directory must exist).
   *
   * @return true when the directory already had a manifest with equal settings (a resume), false when it
   *     was written now
   * @throws IllegalArgumentException when the settings differ, naming every differing setting with both values
   * @throws IOException when the manifest cannot be read or written, or is not a manifest
   */
  public boolean open(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (Files.exists(f)) {
      requireSameSettings(dir, readSettings(dir));
      return true;
    }
    // create-if-absent, atomically: the full text goes to a temporary file that is then hard-linked to the
    // manifest's name (link(2) fails when the name exists), so of two runs starting together exactly one
    // manifest wins and the other compares against it
    Path tmp = Files.createTempFile(dir, "." + FILE + ".", ".tmp");
    try {
      Files.writeString(tmp, text(), StandardCharsets.UTF_8);
      try {
        Files.createLink(f, tmp);
      } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException noLinks) {
        Files.move(tmp, f); // no hard links here: never replaces, but not atomic against a concurrent start
      }
    } catch (java.nio.file.FileAlreadyExistsException lost) {
      requireSameSettings(dir, readSettings(dir));
      return true;
    } catch (IOException e) {
      throw new IOException("cannot write " + f + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return false;
  }

  /**
   * The read-only half of {@link #open}: refuses when {@code dir} holds a manifest with other settings; does
   * nothing when it holds none (or does not exist). Call it before loading data or opening a backend, so a
   * mismatch is refused at once.
   */
  public void check(Path dir) throws IOException {
    if (Files.exists(dir.resolve(FILE))) {
      requireSameSettings(dir, readSettings(dir));
    }
  }

  /** Throws, naming the differences, when {@code old} (read from dir) is not these settings. */
  void requireSameSettings(Path dir, Map<String, String> old) {
    String diff = differences(old, settings);
    if (diff.isEmpty()) {
      return;
    }
    String oldCommand = old.get("command");
    if (oldCommand != null && !oldCommand.equals(command)) {
      throw new IllegalArgumentException(dir + " holds the output of '" + oldCommand + "', not '" + command
          + "' (see " + FILE + "); use another output directory");
    }
    throw new IllegalArgumentException(dir + " holds a " + command + " run with other settings (" + diff
        + "); use another output directory, or delete " + dir + " to start over");
  }

  /** "name: A there, B here; ..." for every setting whose values differ (a missing one is "(unset)"). */
  static String differences(Map<String, String> there, Map<String, String> here) {
    List<String> names = new ArrayList<>(there.keySet());
    for (String k : here.keySet()) {
      if (!names.contains(k)) {
        names.add(k);
      }
    }
    List<String> d = new ArrayList<>();
    for (String k : names) {
      String a = there.get(k);
      String b = here.get(k);
      if (a == null || !a.equals(b)) {
        d.add(k + ": " + (a == null ? "(unset)" : a) + " there, " + (b == null ? "(unset)" : b) + " here");
      }
    }
    return String.join("; ", d);
  }

  /** The [settings] of dir's manifest. */
  public static Map<String, String> readSettings(Path dir) throws IOException {
    return read(dir.resolve(FILE)).get("settings");
  }

  /** True when dir holds a manifest. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /** Sections of a manifest file: section name to its key/value pairs. */
  static Map<String, Map<String, String>> read(Path f) throws IOException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    int n = 0;
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (t.startsWith("[") && t.endsWith("]")) {
        current = sections.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf(" = ");
      if (current == null || eq < 0) {
        throw new IOException(f + ": line " + n + " is not 'key = value' in a [section]: '" + t + "'");
      }
      current.put(line.substring(0, eq).strip(), unescape(line.substring(eq + 3)));
    }
    if (!sections.containsKey("settings")) {
      throw new IOException(f + ": not an nnstm run manifest (no [settings] section)");
    }
    return sections;
  }

  /** The file's text. */
  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("# nnstm run manifest. [settings] determine the results: a rerun, resume or shard into this\n")
        .append("# directory must have the same ones. [provenance] is the run that created the directory.\n");
    section(sb, "settings", settings);
    section(sb, "provenance", provenance.asMap());
    return sb.toString();
  }

  private static void section(StringBuilder sb, String name, Map<String, String> kv) {
    sb.append('[').append(name).append("]\n");
    for (Map.Entry<String, String> e : kv.entrySet()) {
      sb.append(e.getKey()).append(" = ").append(escape(e.getValue())).append('\n');
    }
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  static String unescape(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        char d = v.charAt(++i);
        sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Who produced an output: nnstm version, git commit, backend, threads, JVM, host, date (UTC, seconds) and
   * the full command line.
   */
  public record Provenance(String version, String gitCommit, String backend, int threads, String jvm, String host,
                           String date, String commandLine) {
    /** This process's provenance for a run on {@code backend} with {@code threads} threads and these arguments. */
    public static Provenance current(String backend, int threads, List<String> args) {
      return new Provenance(RunManifest.version(), GitCommit.get(), backend, threads,
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
              + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")",
          RunManifest.host(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
          RunManifest.commandLine(args));
    }

    /** Name to value, in a fixed order (these are the HDF5 root attribute names too). */
    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("nnstm_version", version);
      m.put("git_commit", gitCommit);
      m.put("backend", backend);
      m.put("threads", Integer.toString(threads));
      m.put("jvm", jvm);
      m.put("host", host);
      m.put("date", date);
      m.put("command_line", commandLine);
      return m;
    }

    /** The HDF5 root attributes (strings): {@link #asMap()}. */
    public Map<String, Object> attributes() {
      return new LinkedHashMap<>(asMap());
    }
  }

  /** nnstm's version from the jar manifest, or "development build" when run from classes. */
  static String version() {
    String v = RunManifest.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  /** This machine's host name ($HOSTNAME, else the resolver's, else "unknown"). */
  public static String host() {
    String h = System.getenv("HOSTNAME");
    if (h == null || h.isBlank()) {
      try {
        h = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        h = "unknown";
      }
    }
    return h;
  }

  /** "nnstm ARG ..." with shell quoting where an argument needs it. */
  static String commandLine(List<String> args) {
    StringBuilder sb = new StringBuilder("nnstm");
    for (String a : args) {
      sb.append(' ');
      if (a.matches("[A-Za-z0-9_./:,=+@%-]+")) {
        sb.append(a);
      } else {
        sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }

  /**
   * The git commit nnstm runs from: {@code git rev-parse HEAD} in the checkout that holds the running classes
   * or jar (target/classes, target/nnstm.jar), with "-dirty" when tracked files differ from it; "unknown (...)"
   * when not run from a checkout or git is missing. Looked up once per process.
   */
  static final class GitCommit {
    private static String value;

    private GitCommit() {}

    static synchronized String get() {
      if (value == null) {
        value = lookUp();
      }
      return value;
    }

    private static String lookUp() {
      Path root;
      try {
        root = Path.of(RunManifest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toAbsolutePath();
      } catch (Exception e) {
        return "unknown (code location not known)";
      }
      while (root != null && !Files.exists(root.resolve(".git"))) {
        root = root.getParent();
      }
      if (root == null) {
        return "unknown (not run from a git checkout)";
      }
      String head = git(root, "rev-parse", "HEAD");
      if (head == null || !head.matches("[0-9a-f]{40}")) {
        return "unknown (git rev-parse failed in " + root + ")";
      }
      String status = git(root, "status", "--porcelain", "--untracked-files=no");
      return head + (status == null || status.isEmpty() ? "" : "-dirty");
    }

    private static String git(Path dir, String... args) {
      List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
      cmd.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          return null;
        }
        return new String(out, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }
}
