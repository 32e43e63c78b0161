package org.nnstm.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    private static void assertPng(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        assertTrue(b.length > 1000, "PNG too small: " + b.length);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(b, 4));
        BufferedImage img = ImageIO.read(p.toFile());
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
    }

    @Test
    void lineChartWritesPng() throws IOException {
        double[] x = {1, 2, 3, 4, 5};
        Path p = dir.resolve("line.png");
        Plots.lineChart(p, "Accuracy vs epoch", "epoch", "test accuracy",
                new Series("depth 10", x, new double[] {0.1, 0.5, 0.8, 0.9, 0.95}),
                new Series("depth 50", x, new double[] {0.1, 0.11, 0.2, 0.4, 0.6}));
        assertPng(p);
        Path q = dir.resolve("log.png");
        Plots.lineChart(q, "log", "x", "y", true, new Series("a", new double[] {1}, new double[] {3}));
        assertPng(q);
        assertThrows(IllegalArgumentException.class,
                () -> Plots.lineChart(q, "log", "x", "y", true, new Series("a", new double[] {1}, new double[] {0})));
        assertThrows(IllegalArgumentException.class, () -> new Series("a", new double[2], new double[3]));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }

    @Test
    void heatmapWithOverlayWritesPng() throws IOException {
        int nx = 21, ny = 7; // odd, non-square
        double[] x = new double[nx];
        double[] y = new double[ny];
        double[][] v = new double[ny][nx];
        for (int i = 0; i < nx; i++) {
            x[i] = 1 + 0.1 * i;
        }
        for (int j = 0; j < ny; j++) {
            y[j] = 10 * (j + 1);
            for (int i = 0; i < nx; i++) {
                v[j][i] = Math.exp(-Math.pow(x[i] - 1.76, 2) * y[j] / 10);
            }
        }
        v[0][0] = Double.NaN;
        Path p = dir.resolve("heat.png");
        Plots.heatmap(p, new Plots.Heatmap("Trainability", "sigma_w^2", "depth L", "test accuracy", x, y, v, List.of(
                new Series("6 xi_c", x, java.util.Arrays.stream(x).map(s -> 6 * 20 / (1 + 10 * Math.abs(s - 1.76))).toArray()),
                new Series("critical line", new double[] {1.76, 1.76}, new double[] {0, 80}))));
        assertPng(p);
        BufferedImage img = ImageIO.read(p.toFile());
        // a plot-area pixel is coloured (not white), the margin is white
        assertNotEquals(0xffffff, img.getRGB(Plots.WIDTH / 3, Plots.HEIGHT / 2) & 0xffffff);
        assertEquals(0xffffff, img.getRGB(2, 2) & 0xffffff);
        assertThrows(IllegalArgumentException.class,
                () -> new Plots.Heatmap("t", "x", "y", "c", x, y, new double[ny][nx - 1], List.of()));
        Plots.heatmap(dir.resolve("one.png"), new Plots.Heatmap("one cell", "x", "y", "c",
                new double[] {1}, new double[] {2}, new double[][] {{5}}, List.of()));
        assertPng(dir.resolve("one.png"));
    }

    @Test
    void ticksAreNice() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Plots.ticks(0, 1), 1e-12);
        assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60, 70}, Plots.ticks(5, 75), 1e-12);
        assertEquals("0.2", Plots.fmt(0.2));
        assertEquals("105", Plots.fmt(105));
    }
}
