package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plot phase on accuracy files written by h5py the way the reference notebooks write them. */
class PhaseDiagramTest {
  @TempDir
  Path dir;

  @Test
  void drawsFromReferenceNotebookFiles() throws Exception {
    String script = String.join("\n",
        "import h5py, sys, os",
        "for vw in (1.0, 1.75, 2.5):",
        "  for d in (10, 20):",
        "    with h5py.File(os.path.join(sys.argv[1], 'acc-%d-%d.hdf5' % (round(100 * vw), d)), 'w') as f:",
        "      f['var_weight'] = vw; f['var_bias'] = 0.05; f['depth'] = d",
        "      f['accuracies'] = [0.5, 0.9 if vw == 1.75 else 0.2]");
    Process p;
    try {
      p = new ProcessBuilder("/usr/bin/python3", "-c", script, dir.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("no /usr/bin/python3: skipped");
      return;
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    Assumptions.assumeTrue(p.exitValue() == 0 || !out.contains("No module named 'h5py'"),
        "h5py not installed for /usr/bin/python3: skipped");
    assertEquals(0, p.exitValue(), out);
    List<GridResults.Cell> cells = GridResults.read(dir);
    assertEquals(6, cells.size());
    assertEquals(0.9, cells.get(1).finalAccuracy(), 1e-12);
    assertEquals(0, GridResumeTest.quiet("plot", "phase", "--dir", dir.toString()));
    byte[] png = Files.readAllBytes(dir.resolve("phase-diagram.png"));
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
  }

  @Test
  void drawsReluBeyondItsUnboundedLineAndErf() throws Exception {
    // relu cells on both sides of sigma_w^2 = 2 (no mean-field point beyond: the curve has a gap there)
    List<GridResults.Cell> cells = new java.util.ArrayList<>();
    for (double vw : new double[] {1.0, 2.0, 3.0}) {
      for (int d : new int[] {5, 10}) {
        cells.add(new GridResults.Cell(vw, 0.05, d, 1, new double[] {0.3, 0.5}));
      }
    }
    // (tanh: drawsFromReferenceNotebookFiles)
    for (org.nnstm.tensor.Activation phi : new org.nnstm.tensor.Activation[] {org.nnstm.tensor.Activation.RELU,
        org.nnstm.tensor.Activation.ERF}) {
      Path png = dir.resolve(phi.label() + ".png");
      String title = PhaseDiagram.title(cells, phi);
      assertTrue(title.contains("deep " + phi.label() + " networks"), title);
      PhaseDiagram.draw(png, cells, title, phi);
      byte[] bytes = Files.readAllBytes(png);
      assertTrue(bytes.length > 1000 && bytes[1] == 'P', phi + " drawn");
    }
    assertEquals(PhaseDiagram.title(cells), PhaseDiagram.title(cells, org.nnstm.tensor.Activation.TANH));
  }

  @Test
  void emptyDirectoryIsAClearError() {
    assertEquals(2, GridResumeTest.quiet("plot", "phase", "--dir", dir.toString()));
  }
}
