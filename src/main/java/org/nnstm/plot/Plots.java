package org.nnstm.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnstm.io.AtomicFiles;

/**
 * PNG figures, written atomically, headless. Line charts use XChart; heat maps are drawn with
 * Java2D so that curves can be overlaid (axes, ticks, colour bar and legend included).
 */
public final class Plots {
    private Plots() {}

    public static final int WIDTH = 900;
    public static final int HEIGHT = 600;

    /** Line chart with markers, legend right of the plot (never over the data). */
    public static void lineChart(Path png, String title, String xLabel, String yLabel, Series... series) {
        lineChart(png, title, xLabel, yLabel, false, series);
    }

    /**
     * Line chart; {@code logY} puts the y axis on a log10 scale (all y must then be > 0).
     */
    public static void lineChart(Path png, String title, String xLabel, String yLabel, boolean logY, Series... series) {
        XYChart chart = chart(WIDTH, HEIGHT, title, xLabel, yLabel, logY, series);
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Line chart with both axes on a log10 scale (every x and every non-NaN y must be > 0): power laws are
     * straight lines.
     */
    public static void logLogChart(Path png, String title, String xLabel, String yLabel, Series... series) {
        for (Series s : series) {
            for (double v : s.x()) {
                if (!(v > 0)) {
                    throw new IllegalArgumentException("series '" + s.name() + "' has x=" + v + " on a log axis");
                }
            }
        }
        XYChart chart = chart(WIDTH, HEIGHT, title, xLabel, yLabel, true, series);
        chart.getStyler().setXAxisLogarithmic(true);
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart chart(int width, int height, String title, String xLabel, String yLabel, boolean logY,
                                 Series... series) {
        if (series.length == 0) {
            throw new IllegalArgumentException("line chart '" + title + "' needs at least one series");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Styler st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("#0.####");
        for (Series s : series) {
            if (logY) {
                for (double v : s.y()) {
                    if (!(v > 0) && !Double.isNaN(v)) {
                        throw new IllegalArgumentException("series '" + s.name() + "' has y=" + v + " on a log axis");
                    }
                }
            }
            double[][] xy = forDisplay(s.x(), s.y());
            var xs = chart.addSeries(s.name(), xy[0], xy[1]);
            xs.setMarker(s.x().length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Most points a line series is drawn with (dense grids are thinned for the picture only). */
    static final int MAX_DRAWN = 2000;
    /** XChart's test for equally spaced x values (then it puts ticks on data points, at odd values). */
    private static final double XCHART_SPACING_EPS = 1e-4;

    /**
     * The points a line series is drawn with: thinned to at most {@value #MAX_DRAWN} (every k-th point and
     * the last), and, when the x values are equally spaced (XChart then places tick labels on data points, at
     * values like 0.7586), every other x moved by 0.6 XCHART_SPACING_EPS, far below a pixel, so that XChart
     * picks round tick values. The data written to files are never altered.
     */
    static double[][] forDisplay(double[] x, double[] y) {
        int n = x.length;
        int k = Math.max(1, (n + MAX_DRAWN - 1) / MAX_DRAWN);
        int m = (n - 1) / k + 1 + ((n - 1) % k == 0 ? 0 : 1);
        double[] dx = new double[m];
        double[] dy = new double[m];
        for (int i = 0, j = 0; j < m; j++, i = Math.min(n - 1, i + k)) {
            dx[j] = x[i];
            dy[j] = y[i];
        }
        if (m > 60) {
            double step = dx[1] - dx[0];
            boolean equal = step > 4 * XCHART_SPACING_EPS;
            for (int j = 1; j < m - 1 && equal; j++) {
                equal = Math.abs(dx[j + 1] - dx[j] - step) < XCHART_SPACING_EPS;
            }
            if (equal) {
                for (int j = 1; j < m - 1; j += 2) {
                    dx[j] += 0.6 * XCHART_SPACING_EPS;
                }
            }
        }
        return new double[][] {dx, dy};
    }

    /**
     * A grey-scale image (e.g. an MNIST digit, {@code pixels} row-major {@code side x side} in [0, 1], white
     * background, ink dark) beside a line chart: the pairing of an input with what a model made of it.
     */
    public static void imageBesideChart(Path png, float[] pixels, int side, String caption, String title,
                                        String xLabel, String yLabel, Series... series) {
        if (pixels.length != side * side) {
            throw new IllegalArgumentException("image has " + pixels.length + " pixels, not " + side + " x " + side);
        }
        int scale = 8;
        int left = side * scale + 40;
        BufferedImage chartImage = BitmapEncoder.getBufferedImage(
                chart(WIDTH, HEIGHT, title, xLabel, yLabel, false, series));
        BufferedImage img = new BufferedImage(left + WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int top = (HEIGHT - side * scale) / 2;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float v = Math.max(0f, Math.min(1f, pixels[r * side + c]));
                int grey = Math.round(255 * (1 - v));
                g.setColor(new Color(grey, grey, grey));
                g.fillRect(20 + c * scale, top + r * scale, scale, scale);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(20, top, side * scale, side * scale);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(caption, 20, top + side * scale + 24);
        g.drawImage(chartImage, left, 0, null);
        g.dispose();
        AtomicFiles.writeStream(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new java.io.IOException("no PNG writer available");
            }
        });
    }

    /**
     * A heat map: {@code values[j][i]} is the value at column centre {@code x[i]} and row centre
     * {@code y[j]} (y increases upward). NaN cells are drawn grey. Colour scale (viridis-like) from
     * {@code min} to {@code max}, or the finite data range when either is NaN.
     */
    public record Heatmap(String title, String xLabel, String yLabel, String colourLabel, double[] x, double[] y,
            double[][] values, double min, double max, List<Series> overlays) {
        public Heatmap {
            if (x.length < 1 || y.length < 1 || values.length != y.length) {
                throw new IllegalArgumentException("heat map '" + title + "': values has " + values.length
                        + " rows for " + y.length + " y values");
            }
            for (int j = 0; j < values.length; j++) {
                if (values[j].length != x.length) {
                    throw new IllegalArgumentException("heat map '" + title + "': row " + j + " has " + values[j].length
                            + " values for " + x.length + " x values");
                }
            }
            overlays = List.copyOf(overlays);
        }

        public Heatmap(String title, String xLabel, String yLabel, String colourLabel, double[] x, double[] y,
                double[][] values, List<Series> overlays) {
            this(title, xLabel, yLabel, colourLabel, x, y, values, Double.NaN, Double.NaN, overlays);
        }
    }

    private static final Color[] OVERLAY_COLOURS = {
        Color.WHITE, new Color(230, 25, 75), new Color(255, 140, 0), Color.BLACK, new Color(0, 200, 255)};
    private static final float[][] VIRIDIS = {
        {0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f}, {0.207f, 0.372f, 0.553f},
        {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f}, {0.135f, 0.659f, 0.518f}, {0.267f, 0.749f, 0.441f},
        {0.478f, 0.821f, 0.318f}, {0.741f, 0.873f, 0.150f}, {0.993f, 0.906f, 0.144f}};

    /** Viridis-like colour for t in [0,1] (clamped). */
    static Color colour(double t) {
        t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) t, VIRIDIS.length - 2);
        float f = (float) (t - i);
        float[] a = VIRIDIS[i];
        float[] b = VIRIDIS[i + 1];
        return new Color(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]));
    }

    /** Draws {@code map} into a PNG (atomically). */
    public static void heatmap(Path png, Heatmap map) {
        BufferedImage img = renderHeatmap(map);
        AtomicFiles.writeStream(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new java.io.IOException("no PNG writer available");
            }
        });
    }

    static BufferedImage renderHeatmap(Heatmap m) {
        int w = WIDTH, h = HEIGHT;
        int left = 90, right = 160, top = 50, bottom = 70;
        int pw = w - left - right, ph = h - top - bottom;
        double lo = m.min(), hi = m.max();
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            double dlo = Double.POSITIVE_INFINITY, dhi = Double.NEGATIVE_INFINITY;
            for (double[] row : m.values()) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        dlo = Math.min(dlo, v);
                        dhi = Math.max(dhi, v);
                    }
                }
            }
            if (Double.isNaN(lo)) {
                lo = Double.isFinite(dlo) ? dlo : 0;
            }
            if (Double.isNaN(hi)) {
                hi = Double.isFinite(dhi) ? dhi : 1;
            }
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        double[] xe = edges(m.x());
        double[] ye = edges(m.y());
        double x0 = xe[0], x1 = xe[xe.length - 1], y0 = ye[0], y1 = ye[ye.length - 1];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            // cells
            for (int j = 0; j < m.y().length; j++) {
                for (int i = 0; i < m.x().length; i++) {
                    double v = m.values()[j][i];
                    g.setColor(Double.isNaN(v) ? Color.LIGHT_GRAY : colour((v - lo) / (hi - lo)));
                    int px0 = (int) Math.floor(left + (xe[i] - x0) / (x1 - x0) * pw);
                    int px1 = (int) Math.ceil(left + (xe[i + 1] - x0) / (x1 - x0) * pw);
                    int py1 = (int) Math.ceil(top + ph - (ye[j] - y0) / (y1 - y0) * ph);
                    int py0 = (int) Math.floor(top + ph - (ye[j + 1] - y0) / (y1 - y0) * ph);
                    g.fillRect(px0, py0, px1 - px0, py1 - py0);
                }
            }
            // overlays, clipped to the plot area
            java.awt.Shape oldClip = g.getClip();
            g.setClip(left, top, pw, ph);
            for (int k = 0; k < m.overlays().size(); k++) {
                Series s = m.overlays().get(k);
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int p = 0; p < s.x().length; p++) {
                    double sx = s.x()[p], sy = s.y()[p];
                    if (!Double.isFinite(sx) || !Double.isFinite(sy)) {
                        pen = false;
                        continue;
                    }
                    double px = left + (sx - x0) / (x1 - x0) * pw;
                    double py = top + ph - (sy - y0) / (y1 - y0) * ph;
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        pen = true;
                    }
                }
                g.setStroke(new BasicStroke(3.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.setColor(Color.DARK_GRAY);
                g.draw(path);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                        10f, k % 2 == 0 ? null : new float[] {8f, 5f}, 0f));
                g.setColor(OVERLAY_COLOURS[k % OVERLAY_COLOURS.length]);
                g.draw(path);
            }
            g.setClip(oldClip);
            // frame, ticks, labels
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);
            Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
            g.setFont(tickFont);
            FontMetrics fm = g.getFontMetrics();
            for (double t : ticks(x0, x1)) {
                int px = (int) Math.round(left + (t - x0) / (x1 - x0) * pw);
                g.drawLine(px, top + ph, px, top + ph + 5);
                String s = fmt(t);
                g.drawString(s, px - fm.stringWidth(s) / 2, top + ph + 8 + fm.getAscent());
            }
            for (double t : ticks(y0, y1)) {
                int py = (int) Math.round(top + ph - (t - y0) / (y1 - y0) * ph);
                g.drawLine(left - 5, py, left, py);
                String s = fmt(t);
                g.drawString(s, left - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
            }
            g.setFont(labelFont);
            fm = g.getFontMetrics();
            g.drawString(m.xLabel(), left + pw / 2 - fm.stringWidth(m.xLabel()) / 2, h - 18);
            drawVertical(g, m.yLabel(), 24, top + ph / 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            fm = g.getFontMetrics();
            g.drawString(m.title(), left + pw / 2 - fm.stringWidth(m.title()) / 2, 32);
            // colour bar
            int cbx = left + pw + 25, cbw = 22;
            for (int py = 0; py < ph; py++) {
                g.setColor(colour(1 - py / (double) (ph - 1)));
                g.fillRect(cbx, top + py, cbw, 1);
            }
            g.setColor(Color.BLACK);
            g.drawRect(cbx, top, cbw, ph);
            g.setFont(tickFont);
            fm = g.getFontMetrics();
            for (double t : ticks(lo, hi)) {
                int py = (int) Math.round(top + ph - (t - lo) / (hi - lo) * ph);
                g.drawLine(cbx + cbw, py, cbx + cbw + 4, py);
                g.drawString(fmt(t), cbx + cbw + 7, py + fm.getAscent() / 2 - 1);
            }
            g.setFont(labelFont);
            drawVertical(g, m.colourLabel(), cbx + cbw + 75, top + ph / 2);
            // legend for overlays (top left inside plot)
            if (!m.overlays().isEmpty()) {
                g.setFont(tickFont);
                fm = g.getFontMetrics();
                int lw = 0;
                for (Series s : m.overlays()) {
                    lw = Math.max(lw, fm.stringWidth(s.name()));
                }
                int lh = m.overlays().size() * 20 + 8;
                g.setColor(new Color(255, 255, 255, 215));
                g.fillRect(left + 8, top + 8, lw + 58, lh);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(left + 8, top + 8, lw + 58, lh);
                for (int k = 0; k < m.overlays().size(); k++) {
                    int yy = top + 8 + 14 + 20 * k;
                    g.setStroke(new BasicStroke(3.5f));
                    g.setColor(Color.DARK_GRAY);
                    g.drawLine(left + 14, yy, left + 50, yy);
                    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                            k % 2 == 0 ? null : new float[] {8f, 5f}, 0f));
                    g.setColor(OVERLAY_COLOURS[k % OVERLAY_COLOURS.length]);
                    g.drawLine(left + 14, yy, left + 50, yy);
                    g.setColor(Color.BLACK);
                    g.drawString(m.overlays().get(k).name(), left + 58, yy + fm.getAscent() / 2 - 1);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawVertical(Graphics2D g, String s, int x, int yCentre) {
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2, x, yCentre);
        g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, yCentre);
        g.setTransform(old);
    }

    /** Cell edges from centres: midpoints, outer edges mirrored; a single centre gets width 1. */
    static double[] edges(double[] c) {
        double[] e = new double[c.length + 1];
        if (c.length == 1) {
            e[0] = c[0] - 0.5;
            e[1] = c[0] + 0.5;
            return e;
        }
        for (int i = 1; i < c.length; i++) {
            if (!(c[i] > c[i - 1])) {
                throw new IllegalArgumentException("heat map centres must increase: " + c[i - 1] + ", " + c[i]);
            }
            e[i] = 0.5 * (c[i - 1] + c[i]);
        }
        e[0] = c[0] - (e[1] - c[0]);
        e[c.length] = c[c.length - 1] + (c[c.length - 1] - e[c.length - 1]);
        return e;
    }

    /** "Nice" tick positions (1, 2, 5 x 10^k) inside [lo, hi], about 6 of them. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double first = Math.ceil(lo / step - 1e-9) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(n, 0)];
        for (int i = 0; i < t.length; i++) {
            t[i] = first + i * step;
            if (Math.abs(t[i]) < step * 1e-9) {
                t[i] = 0;
            }
        }
        return t;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
