package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.io.Hdf5;

/**
 * nnstm against the reference notebooks' own code, re-implemented in tools/refs/notebook_kl.py (numpy +
 * h5py on Debian's /usr/bin/python3; skipped visibly without them): the notebook's loader reads a
 * directory nnstm trained into, without renaming (e0 and e{E-1} present); nnstm reads a directory written
 * as the notebook's writer does; and on the same files {@code analyze kl --form current} agrees with the
 * notebook's current formula within 5 combined Monte Carlo standard errors per layer,
 * |D_nnstm - D_nb| <= 5 sqrt(SE_nnstm^2 + SE_nb^2), each SE = std_s(X_s) / sqrt(M) / (2 sigma_m^2) over the
 * two runs' independent samples (the same for {@code --form 2021} with sigma_0^2).
 */
class NotebookLayoutTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final Path SCRIPT = Path.of("tools/refs/notebook_kl.py");
  private static final int SAMPLES = 1000;

  private static String python(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
    assertEquals(0, p.exitValue(), "notebook_kl.py " + String.join(" ", args) + ":\n" + out);
    return out;
  }

  private static void requirePython() throws Exception {
    boolean ok;
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import numpy, h5py").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    }
    Assumptions.assumeTrue(ok, PYTHON + " with numpy and h5py absent: notebook cross-check skipped");
  }

  /** The list after {@code "key": [} in the object of {@code tag} in the script's JSON. */
  private static double[] jsonList(String json, String tag, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(tag) + "\": \\{[^}]*?\"" + key + "\": \\[([^\\]]*)\\]")
        .matcher(json);
    assertTrue(m.find(), tag + "/" + key + " in " + json);
    String[] parts = m.group(1).split(",");
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Double.parseDouble(parts[i].trim());
    }
    return v;
  }

  private static void assertAgrees(String what, Path javaFile, double[] nbKl, double[] nbSe) throws IOException {
    Map<String, Object> h = Hdf5.read(javaFile);
    double[] kl = Hdf5.vector(h, "KL", javaFile);
    double[] se = Hdf5.vector(h, "KL_se", javaFile);
    assertEquals(nbKl.length, kl.length, what);
    for (int m = 0; m < kl.length; m++) {
      double tol = 5 * Math.hypot(se[m], nbSe[m]);
      assertTrue(Math.abs(kl[m] - nbKl[m]) <= tol, what + " layer " + m + ": nnstm " + kl[m] + " +- " + se[m]
          + ", notebook " + nbKl[m] + " +- " + nbSe[m]);
    }
  }

  @Test
  void notebookLoadsNnstmDirectoryAndAgreesOnTheCurrentFormula(@TempDir Path dir) throws Exception {
    requirePython();
    String data = org.nnstm.cli.TestData.mnist().toString();
    assertEquals(0, GridResumeTest.quiet("train", "--backend", "cpu", "--data", data, "--widths", "784,64,48,10",
        "--var-w", "1.0,2.0", "--epochs", "3", "--train-limit", "500", "--params", "--hooks", "--out",
        dir.toString()));
    // the notebook's names: e0 and e{E-1} = e2 (not e1, not e3)
    for (String tag : new String[] {"100-3", "200-3"}) {
      for (String f : new String[] {"e0-para-", "e0-hooks-", "e2-para-", "e2-hooks-", "init-para-", "init-hooks-"}) {
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(f + tag + ".hdf5")), f + tag);
      }
      for (String f : new String[] {"e1-hooks-", "e3-hooks-"}) {
        assertTrue(!java.nio.file.Files.exists(dir.resolve(f + tag + ".hdf5")), f + tag);
      }
    }
    // load_and_run(L, 0) and load_and_run(L, E - 1) with E = 3: the notebook's loaders on nnstm's files
    String pre = python("kl", dir.toString(), "--depth", "3", "--var-w", "1.0,2.0", "--epoch", "0",
        "--samples", "" + SAMPLES, "--seed", "1");
    String post = python("kl", dir.toString(), "--depth", "3", "--var-w", "1.0,2.0", "--epoch", "2",
        "--samples", "" + SAMPLES, "--seed", "2");
    String pre2021 = python("kl", dir.toString(), "--depth", "3", "--var-w", "1.0,2.0", "--epoch", "0",
        "--samples", "" + SAMPLES, "--seed", "3", "--form", "2021");
    for (String form : new String[] {"current", "2021"}) {
      assertEquals(0, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
          "1.0,2.0", "--depth", "3", "--samples", "" + SAMPLES, "--before", "e0", "--form", form));
    }
    for (String tag : new String[] {"100-3", "200-3"}) {
      assertAgrees(tag + " e0", dir.resolve("KL-" + tag + "-pre-current.hdf5"), jsonList(pre, tag, "KL"),
          jsonList(pre, tag, "se"));
      assertAgrees(tag + " e2", dir.resolve("KL-" + tag + "-post-current.hdf5"), jsonList(post, tag, "KL"),
          jsonList(post, tag, "se"));
      assertAgrees(tag + " e0 2021", dir.resolve("KL-" + tag + "-pre-2021.hdf5"), jsonList(pre2021, tag, "KL"),
          jsonList(pre2021, tag, "se"));
    }
  }

  @Test
  void nnstmReadsDirectoryWrittenByTheNotebooksWriter(@TempDir Path dir) throws Exception {
    requirePython();
    // build_wide_network(3): widths 784 -> 784 -> 400 -> 10, files e0-* and e1-* (E = 2), acc-*
    python("write", dir.toString(), "--depth", "3", "--epochs", "2", "--var-w", "1.5", "--seed", "4");
    assertEquals(0, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
        "1.5", "--depth", "3", "--samples", "" + SAMPLES, "--before", "e0"));
    String pre = python("kl", dir.toString(), "--depth", "3", "--var-w", "1.5", "--epoch", "0", "--samples",
        "" + SAMPLES, "--seed", "5");
    String post = python("kl", dir.toString(), "--depth", "3", "--var-w", "1.5", "--epoch", "1", "--samples",
        "" + SAMPLES, "--seed", "6");
    assertAgrees("fixture e0", dir.resolve("KL-150-3-pre-current.hdf5"), jsonList(pre, "150-3", "KL"),
        jsonList(pre, "150-3", "se"));
    assertAgrees("fixture e1", dir.resolve("KL-150-3-post-current.hdf5"), jsonList(post, "150-3", "KL"),
        jsonList(post, "150-3", "se"));
    Path p = dir.resolve("KL-150-3-post-current.hdf5");
    assertEquals(1.0, Hdf5.number(Hdf5.read(p), "epoch", p));
    // without init-* files (the notebook writes none) the default --before init names the missing file
    assertEquals(2, GridResumeTest.quiet("analyze", "kl", "--backend", "cpu", "--dir", dir.toString(), "--var-w",
        "1.5", "--depth", "3"));
  }
}
