package org.nnstm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnstm.experiment.GridResults;
import org.nnstm.experiment.CriticalityGrid;
import org.nnstm.experiment.PhaseDiagram;
import org.nnstm.tensor.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nnstm plot}: figures from result files. */
@Command(name = "plot", mixinStandardHelpOptions = true, description = "Figures from result files.",
    subcommands = {PlotCommand.Phase.class})
final class PlotCommand extends CommonOptions.Group {
  /** {@code nnstm plot phase --dir DIR}: the phase diagram from acc-{tag}-{depth}.hdf5 files. */
  @Command(name = "phase", mixinStandardHelpOptions = true,
      description = {"Phase diagram (accuracy over sigma_w^2 and depth, with mean-field xi_c and 6 xi_c) from the "
          + "acc-{tag}-{depth}.hdf5 files in DIR, ours or the reference notebooks'.",
          "Example: nnstm plot phase --dir runs/grid"})
  static final class Phase implements Callable<Integer> {
    @Mixin
    CommonOptions.Streams streams;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of acc-*.hdf5 files.")
    Path dir;

    @Option(names = "--out", paramLabel = "PNG",
        description = "Output file (default: DIR/phase-diagram.png); an existing directory gets phase-diagram.png.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--dir " + dir + " is a file, not a directory of acc-*.hdf5 files");
      }
      if (!Files.exists(dir)) {
        throw new IllegalArgumentException("--dir " + dir + ": no such directory");
      }
      List<GridResults.Cell> cells = GridResults.read(dir);
      if (cells.isEmpty()) {
        throw new IllegalArgumentException(dir + " holds no acc-{tag}-{depth}.hdf5 files");
      }
      Path png = out == null ? dir.resolve("phase-diagram.png")
          : Files.isDirectory(out) ? out.resolve("phase-diagram.png") : out;
      Activation phi = CriticalityGrid.activation(dir);
      PhaseDiagram.draw(png, cells, PhaseDiagram.title(cells, phi), phi);
      streams.out().println(png);
      return 0;
    }
  }
}
