package org.nnstm.consumer;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.nnstm.prior.GaussianKde;
import org.nnstm.prior.LinearNetworkPrior;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Tensor;

/**
 * What an embedder of nnstm gets, checked from outside the project: a GEMM, tanh forward and backward, an exact
 * prior density and a KDE through the public API, each against a closed form computed here in double, and the
 * runtime class path, which must hold nnstm's core dependencies and nothing else. Prints one line per failed
 * check and a closing {@code consumer: N passed, M failed}; exits 1 if any check failed.
 */
public final class EmbeddingCheck {

  /**
   * The artifacts (groupId:artifactId) allowed on an embedder's runtime class path: nnstm, OpenBLAS and JavaCPP
   * (CPU backend, with their platform natives), JCuda (CUDA backend; natives unless -Dnnstm.nocuda), jHDF and
   * what jHDF needs at run time. A new core dependency of nnstm is added here on purpose.
   */
  static final List<String> ALLOWED = List.of(
      "org.nnstm:nnstm",
      "org.bytedeco:openblas",
      "org.bytedeco:javacpp",
      "org.jcuda:jcuda",
      "org.jcuda:jcuda-natives",
      "io.jhdf:jhdf",
      "org.slf4j:slf4j-api",
      "org.apache.commons:commons-lang3",
      "com.ning:compress-lzf",
      "at.yawk.lz4:lz4-java");

  /** Artifacts that must be there: the library and what its CPU backend and HDF5 files need. */
  static final List<String> REQUIRED = List.of(
      "org.nnstm:nnstm", "org.bytedeco:openblas", "org.bytedeco:javacpp", "io.jhdf:jhdf");

  /**
   * One class of each CLI-only dependency (picocli, progressbar, jline, xchart, pdfbox, slf4j-nop) and of JUnit
   * (which pdfbox 3.0.1's POM leaks into compile scope); none may be loadable.
   */
  static final List<String> FORBIDDEN_CLASSES = List.of(
      "picocli.CommandLine",
      "me.tongfei.progressbar.ProgressBar",
      "org.jline.terminal.Terminal",
      "org.knowm.xchart.XYChart",
      "org.apache.pdfbox.pdmodel.PDDocument",
      "org.slf4j.nop.NOPServiceProvider",
      "org.junit.jupiter.api.Test",
      "org.junit.platform.commons.util.ReflectionUtils");

  private final List<String> failures = new ArrayList<>();
  private int passed;

  public static void main(String[] args) throws Exception {
    EmbeddingCheck c = new EmbeddingCheck();
    c.run("classpath holds only the core dependencies", EmbeddingCheck::classPath);
    c.run("no slf4j binding is forced on the embedder", EmbeddingCheck::noSlf4jProvider);
    c.run("Automatic-Module-Name org.nnstm", EmbeddingCheck::automaticModuleName);
    c.run("gemm against a triple loop", EmbeddingCheck::gemm);
    c.run("tanh forward and backward against Math.tanh", EmbeddingCheck::tanh);
    c.run("exact prior, one hidden layer, against its Bessel-K_1/2 closed form", EmbeddingCheck::priorBesselHalf);
    c.run("exact prior, one hidden layer, against a stored reference", EmbeddingCheck::priorReference);
    c.run("exact prior, no hidden layer, against the Gaussian", EmbeddingCheck::priorGaussian);
    c.run("KDE of two samples against the Gaussian mixture", EmbeddingCheck::kdeTwoSamples);
    c.run("weighted KDE against the Gaussian mixture", EmbeddingCheck::kdeWeighted);
    System.out.printf(Locale.ROOT, "consumer: %d passed, %d failed%n", c.passed, c.failures.size());
    if (!c.failures.isEmpty()) {
      System.exit(1);
    }
  }

  interface Check {
    void run() throws Exception;
  }

  private void run(String name, Check check) {
    try {
      check.run();
      passed++;
    } catch (Throwable t) {
      failures.add(name);
      System.out.println("FAILED: " + name + ": " + t);
      if (!(t instanceof AssertionError)) {
        t.printStackTrace(System.out);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ class path

  static void classPath() throws IOException {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    Set<String> found = new TreeSet<>();
    List<String> unexpected = new ArrayList<>();
    for (String entry : entries) {
      Path p = Paths.get(entry).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        if (!p.endsWith(Paths.get("target", "classes")) || !Files.isRegularFile(
            p.resolve("org/nnstm/consumer/EmbeddingCheck.class"))) {
          unexpected.add(entry);
        }
        continue;
      }
      String coordinate = coordinateOf(p);
      if (coordinate == null) {
        unexpected.add(entry);
      } else {
        found.add(coordinate);
      }
    }
    List<String> problems = new ArrayList<>();
    if (!unexpected.isEmpty()) {
      problems.add("entries outside the core dependencies: " + unexpected + " (allowed: " + ALLOWED + ")");
    }
    List<String> missing = new ArrayList<>(REQUIRED);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      problems.add("lacks " + missing + " (it has " + found + ")");
    }
    List<String> loadable = new ArrayList<>();
    ClassLoader loader = EmbeddingCheck.class.getClassLoader();
    for (String name : FORBIDDEN_CLASSES) {
      try {
        Class.forName(name, false, loader);
        loadable.add(name);
      } catch (ClassNotFoundException expected) {
        // absent, as it should be
      }
    }
    if (!loadable.isEmpty()) {
      problems.add("classes of the CLI's dependencies or of JUnit are loadable: " + loadable);
    }
    check(problems.isEmpty(), "runtime class path: " + String.join("; ", problems));
  }

  /**
   * The allowed groupId:artifactId a jar in a Maven repository layout belongs to
   * ({@code .../group/as/dirs/artifactId/version/artifactId-version[-classifier].jar}), or null.
   */
  static String coordinateOf(Path jar) {
    String file = jar.getFileName().toString();
    Path versionDir = jar.getParent();
    Path artifactDir = versionDir == null ? null : versionDir.getParent();
    if (!file.endsWith(".jar") || artifactDir == null) {
      return null;
    }
    String version = versionDir.getFileName().toString();
    String artifactId = artifactDir.getFileName().toString();
    if (!file.startsWith(artifactId + "-" + version)) {
      return null;
    }
    for (String allowed : ALLOWED) {
      String[] ga = allowed.split(":");
      Path groupDir = Paths.get("/", ga[0].split("\\."));
      Path expected = groupDir.resolve(ga[1]);
      if (ga[1].equals(artifactId) && artifactDir.toString().endsWith(expected.toString())) {
        return allowed;
      }
    }
    return null;
  }

  static void noSlf4jProvider() throws IOException {
    List<URL> providers = Collections.list(EmbeddingCheck.class.getClassLoader()
        .getResources("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    check(providers.isEmpty(), "an slf4j binding is on the class path: " + providers);
  }

  static void automaticModuleName() throws IOException, URISyntaxException {
    CodeSource source = Backends.class.getProtectionDomain().getCodeSource();
    check(source != null, "no code source for org.nnstm.tensor.Backends");
    Path jar = Paths.get(source.getLocation().toURI());
    check(Files.isRegularFile(jar), "org.nnstm.tensor.Backends was not loaded from a jar but from " + jar);
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest m = jf.getManifest();
      String name = m == null ? null : m.getMainAttributes().getValue("Automatic-Module-Name");
      check("org.nnstm".equals(name), "Automatic-Module-Name of " + jar + " is " + name);
    }
  }

  // ------------------------------------------------------------------------------------------ tensor ops

  private static float[] randomFloats(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (2 * rnd.nextDouble() - 1);
    }
    return a;
  }

  /** C_p = alpha op(A_p) op(B_p) + beta C_p for all four transposes, two batches, odd non-square sizes. */
  static void gemm() {
    Random rnd = new Random(12345);
    int m = 5, n = 7, k = 3, batch = 2;
    float alpha = 1.5f, beta = 0.5f;
    try (Backend backend = Backends.cpu(2)) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          float[] a = randomFloats(rnd, batch * m * k);
          float[] b = randomFloats(rnd, batch * k * n);
          float[] c0 = randomFloats(rnd, batch * m * n);
          float[] got;
          try (Tensor ta = backend.upload(a, batch, m * k);
               Tensor tb = backend.upload(b, batch, k * n);
               Tensor tc = backend.upload(c0, batch, m * n)) {
            backend.gemm(transA, transB, m, n, k, alpha, ta, (long) m * k, tb, (long) k * n, beta, tc,
                (long) m * n, batch);
            got = backend.download(tc);
          }
          for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                  double aij = transA ? a[p * m * k + l * m + i] : a[p * m * k + i * k + l];
                  double blj = transB ? b[p * k * n + j * k + l] : b[p * k * n + l * n + j];
                  s += aij * blj;
                }
                int at = p * m * n + i * n + j;
                double expected = alpha * s + beta * c0[at];
                close(got[at], expected, 1e-5, 1e-5,
                    "gemm transA=" + transA + " transB=" + transB + " C[" + p + "," + i + "," + j + "]");
              }
            }
          }
        }
      }
    }
  }

  /** z += bias, y = tanh(z); dz = dy tanh'(z), for batch 2, rows 3, cols 5. */
  static void tanh() {
    Random rnd = new Random(777);
    int batch = 2, rows = 3, cols = 5, size = batch * rows * cols;
    float[] z0 = randomFloats(rnd, size);
    for (int i = 0; i < size; i++) {
      z0[i] *= 3; // into the saturating range as well
    }
    float[] bias = randomFloats(rnd, batch * cols);
    float[] dy = randomFloats(rnd, size);
    float[] z;
    float[] y;
    float[] dz;
    try (Backend backend = Backends.cpu(1);
         Tensor tz = backend.upload(z0, batch, rows, cols);
         Tensor tb = backend.upload(bias, batch, cols);
         Tensor ty = backend.zeros(batch, rows, cols);
         Tensor tdy = backend.upload(dy, batch, rows, cols);
         Tensor tdz = backend.zeros(batch, rows, cols)) {
      backend.biasActivationForward(Activation.TANH, batch, rows, cols, tz, tb, ty);
      backend.activationBackward(Activation.TANH, size, tdy, tz, ty, tdz);
      z = backend.download(tz);
      y = backend.download(ty);
      dz = backend.download(tdz);
    }
    for (int p = 0; p < batch; p++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int i = (p * rows + r) * cols + c;
          double pre = (double) z0[i] + bias[p * cols + c];
          close(z[i], pre, 0, 1e-7, "pre-activation z[" + i + "]");
          double t = Math.tanh(pre);
          close(y[i], t, 1e-6, 1e-6, "tanh y[" + i + "]");
          close(dz[i], dy[i] * (1 - t * t), 1e-6, 1e-5, "tanh backward dz[" + i + "]");
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------ exact prior

  /**
   * Widths 4, 3, 2 (b = (n_1 - n_2)/2 = 1/2): G^{2,0}_{0,2}(u | 0, 1/2) = 2 u^{1/4} K_{1/2}(2 sqrt u)
   * = sqrt(pi) e^{-2 sqrt u}, so p(h) = (2 kappa / pi) e^{-2 sqrt(kappa) r} with kappa = n_1 / (4 s2), and
   * P(||h|| &lt;= r) = 1 - e^{-a r} (1 + a r), a = 2 sqrt(kappa).
   */
  static void priorBesselHalf() {
    double norm = 2;
    double[] variances = {1.5, 0.8};
    LinearNetworkPrior prior = new LinearNetworkPrior(new int[] {4, 3, 2}, variances, norm);
    double s2 = norm * norm * variances[0] * variances[1] / 4;
    double kappa = 3 / (4 * s2);
    double a = 2 * Math.sqrt(kappa);
    close(prior.outputVariance(), s2, 0, 1e-14, "output variance s2");
    for (double r : new double[] {1e-6, 0.1, 0.7, 1, 2.5, 6, 20}) {
      double logP = Math.log(2 * kappa / Math.PI) - a * r;
      close(prior.logDensity(r), logP, 1e-12, 1e-12, "ln p at r = " + r);
      close(prior.density(r), Math.exp(logP), 0, 1e-11, "p at r = " + r);
      close(prior.radialDensity(r), 2 * Math.PI * r * Math.exp(logP), 0, 1e-11, "f_R at r = " + r);
      close(prior.radialCdf(r), -Math.expm1(-a * r) - a * r * Math.exp(-a * r), 1e-14, 1e-10, "F_R at r = " + r);
    }
  }

  /**
   * Widths 2, 2, 2, sigma^2 = 1, ||x||^2 = 2 (b = 0, K_0) at r = 1: p = 0.076121329877958977 and
   * ln p = -2.5754267658980915 (mpmath's Meijer G, the project's shared refs/prior_reference.csv,
   * configuration E2_L2_equal_n2).
   */
  static void priorReference() {
    LinearNetworkPrior prior = new LinearNetworkPrior(new int[] {2, 2, 2}, new double[] {1, 1}, Math.sqrt(2));
    close(prior.density(1), 0.076121329877958977, 0, 1e-12, "p at r = 1");
    close(prior.logDensity(1), -2.5754267658980915, 0, 1e-12, "ln p at r = 1");
  }

  /** Widths 3, 2 (L = 1): h ~ N(0, s2 I_2), s2 = ||x||^2 sigma^2 / n_0; one component N(0, s2). */
  static void priorGaussian() {
    double norm = 1.5;
    double variance = 2;
    LinearNetworkPrior prior = new LinearNetworkPrior(new int[] {3, 2}, new double[] {variance}, norm);
    double s2 = norm * norm * variance / 3;
    for (double r : new double[] {0, 0.3, 1, 4}) {
      double logP = -Math.log(2 * Math.PI * s2) - r * r / (2 * s2);
      close(prior.logDensity(r), logP, 1e-12, 1e-12, "ln p at r = " + r);
      close(prior.marginalDensity(r), Math.exp(-r * r / (2 * s2)) / Math.sqrt(2 * Math.PI * s2), 0, 1e-12,
          "marginal at y = " + r);
    }
  }

  // ------------------------------------------------------------------------------------------ KDE

  private static double logNormalPdf(double x, double mean, double variance) {
    double d = x - mean;
    return -0.5 * Math.log(2 * Math.PI * variance) - d * d / (2 * variance);
  }

  /** ln(w1 N(y; m1, v) + w2 N(y; m2, v)), in log-sum-exp form so far-tail points stay finite. */
  private static double logMixture(double y, double w1, double m1, double w2, double m2, double v) {
    double l1 = Math.log(w1) + logNormalPdf(y, m1, v);
    double l2 = Math.log(w2) + logNormalPdf(y, m2, v);
    double hi = Math.max(l1, l2);
    return hi + Math.log(Math.exp(l1 - hi) + Math.exp(l2 - hi));
  }

  /**
   * Samples -1 and 1: sample variance (ddof 1) 2, Scott's factor 2^{-1/5}, kernel variance 2 * 2^{-2/5};
   * p(y) = (N(y; -1, h2) + N(y; 1, h2)) / 2.
   */
  static void kdeTwoSamples() {
    GaussianKde kde = new GaussianKde(new double[][] {{-1}, {1}});
    double factor = Math.pow(2, -0.2);
    double h2 = 2 * factor * factor;
    close(kde.factor(), factor, 0, 1e-14, "Scott factor");
    close(kde.kernelCovariance()[0][0], h2, 0, 1e-14, "kernel variance");
    double[] ys = {-3, -1, 0, 0.4, 1, 2.5, 30};
    double[] pdf = kde.pdf(ys);
    double[] logpdf = kde.logpdf(GaussianKde.column(ys));
    for (int i = 0; i < ys.length; i++) {
      double expected = logMixture(ys[i], 0.5, -1, 0.5, 1, h2);
      close(logpdf[i], expected, 1e-12, 1e-12, "ln p at y = " + ys[i]);
      close(pdf[i], Math.exp(expected), 1e-300, 1e-12, "p at y = " + ys[i]);
    }
  }

  /**
   * Samples -1, 1 with weights 3, 1 (normalised 0.75, 0.25): mean -0.5, weighted covariance
   * sum w (x - mean)^2 / (1 - sum w^2) = 2, n_eff = 1.6, factor 1.6^{-1/5}.
   */
  static void kdeWeighted() {
    GaussianKde kde = new GaussianKde(new double[][] {{-1}, {1}}, GaussianKde.Bandwidth.scott(),
        new double[] {3, 1});
    double factor = Math.pow(1.6, -0.2);
    double h2 = 2 * factor * factor;
    close(kde.effectiveSampleCount(), 1.6, 0, 1e-14, "n_eff");
    close(kde.kernelCovariance()[0][0], h2, 0, 1e-14, "kernel variance");
    double[] ys = {-2, -0.5, 0, 1.3};
    double[] pdf = kde.pdf(ys);
    for (int i = 0; i < ys.length; i++) {
      close(pdf[i], Math.exp(logMixture(ys[i], 0.75, -1, 0.25, 1, h2)), 0, 1e-12, "p at y = " + ys[i]);
    }
  }

  // ------------------------------------------------------------------------------------------ assertions

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }

  /** |actual - expected| &lt;= atol + rtol |expected|, and both finite. */
  private static void close(double actual, double expected, double atol, double rtol, String what) {
    boolean ok = Double.isFinite(actual) && Double.isFinite(expected)
        && Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    check(ok, String.format(Locale.ROOT, "%s: got %.17g, expected %.17g (atol %.1g, rtol %.1g)", what, actual,
        expected, atol, rtol));
  }

  private EmbeddingCheck() {}
}
