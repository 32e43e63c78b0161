package org.nnstm.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnstm.io.AtomicFiles;

/** PNG figures (XChart, headless), written atomically. */
public final class Plots {
  private Plots() {}

  /** One named curve y(x). */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length || x.length == 0) {
        throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values, " + y.length + " y values");
      }
    }
  }

  /** A line chart with markers, legend and axis titles, 900 x 600 pixels. */
  public static void lineChart(Path png, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel).build();
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (Series ser : series) {
      chart.addSeries(ser.name(), ser.x(), ser.y()).setMarker(SeriesMarkers.CIRCLE);
    }
    byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFiles.write(png, tmp -> Files.write(tmp, bytes));
  }
}
