package org.nnstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5Test {
  @TempDir
  Path dir;

  static Map<String, Object> sample() {
    Map<String, Object> d = ReferenceLayout.scalars(1.05, 0.05, 4);
    d.put("accuracies", new float[] {0.5f, 0.75f, 0.875f});
    d.put("W0", new float[][] {{1, 2, 3}, {4, 5, 6}});
    d.put("B0", new float[] {-1, 1});
    return d;
  }

  @Test
  void roundTripAndOverwrite() throws IOException {
    Path f = ReferenceLayout.accuracyFile(dir, 1.05, 3, 4, false);
    assertEquals("acc-105-4.hdf5", f.getFileName().toString());
    Hdf5.write(f, sample());
    Map<String, Object> big = sample();
    big.put("W0", new float[][] {{9}});
    Hdf5.write(f, big);
    Hdf5.write(f, sample());
    Map<String, Object> r = Hdf5.read(f);
    assertEquals(1.05, Hdf5.number(r, "var_weight", f));
    assertEquals(0.05, Hdf5.number(r, "var_bias", f));
    assertEquals(4.0, Hdf5.number(r, "depth", f));
    assertArrayEquals(new double[] {0.5, 0.75, 0.875}, Hdf5.vector(r, "accuracies", f));
    assertArrayEquals(new float[] {4, 5, 6}, Hdf5.matrix(r, "W0", f)[1]);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList(), "no temporary files left behind");
    }
  }

  @Test
  void corruptFileIsAClearError() throws IOException {
    Path f = dir.resolve("junk.hdf5");
    Files.writeString(f, "not hdf5 at all");
    IOException e = assertThrows(IOException.class, () -> Hdf5.read(f));
    assertTrue(e.getMessage().contains("not a readable HDF5 file"), e.getMessage());
  }

  @Test
  void failedWriteLeavesNoFile() throws IOException {
    Path f = dir.resolve("x.hdf5");
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("fine", 1.0);
    bad.put("unsupported", new Object());
    assertThrows(IOException.class, () -> Hdf5.write(f, bad));
    try (Stream<Path> s = Files.list(dir)) {
      assertFalse(s.findAny().isPresent(), "nothing may be left after a failed write");
    }
  }

  @Test
  void h5pyReadsOurFilesAsTheNotebooksDo() throws Exception {
    Assumptions.assumeTrue(h5pyAvailable(), "h5py not importable by /usr/bin/python3 (apt-get install python3-h5py): skipped");
    Path f = dir.resolve("e1-para-105-4.hdf5");
    Hdf5.write(f, sample());
    String script = String.join("\n",
        "import h5py, sys",
        "f = h5py.File(sys.argv[1], 'r')",
        "assert f['var_weight'][()] == 1.05 and f['var_weight'].dtype == 'float64'",
        "assert f['var_bias'][()] == 0.05 and f['var_bias'].dtype == 'float64'",
        "assert int(f['depth'][()]) == 4 and f['depth'].dtype.kind == 'i'",
        "assert list(f['accuracies'][:]) == [0.5, 0.75, 0.875]",
        "assert f['W0'][:].shape == (2, 3) and f['W0'][1, 2] == 6",
        "assert list(f['B0'][:]) == [-1, 1]",
        "print('ok')");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, f.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    assertEquals("ok", out.strip());
  }

  @Test
  void provenanceAttributesAreReadableWithH5pyAndLeaveTheDatasetsAlone() throws Exception {
    Assumptions.assumeTrue(h5pyAvailable(), "h5py not importable by /usr/bin/python3 (apt-get install python3-h5py): skipped");
    Path f = dir.resolve("acc-105-4.hdf5");
    Map<String, Object> attrs = RunManifest.Provenance.current("cpu (test)", 2, java.util.List.of("grid", "--x")).attributes();
    Hdf5.write(f, sample(), attrs);
    assertEquals(attrs.get("command_line"), Hdf5.attributes(f).get("command_line"));
    assertEquals(Hdf5.read(dir.resolve("acc-105-4.hdf5")).keySet(), sample().keySet(), "datasets unchanged");
    String script = String.join("\n",
        "import h5py, sys",
        "f = h5py.File(sys.argv[1], 'r')",
        "a = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}",
        "assert a['command_line'] == 'nnstm grid --x', a",
        "assert a['backend'] == 'cpu (test)' and a['threads'] == '2', a",
        "assert set(a) >= {'nnstm_version', 'git_commit', 'jvm', 'host', 'date'}, a",
        "assert f['var_weight'][()] == 1.05 and list(f['accuracies'][:]) == [0.5, 0.75, 0.875]",
        "print('ok')");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, f.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    assertEquals("ok", out.strip());
  }

  static boolean h5pyAvailable() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
