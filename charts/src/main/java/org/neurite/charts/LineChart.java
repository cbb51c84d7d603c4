package org.neurite.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neurite.io.AtomicFiles;

/**
 * Line charts written as one PNG of panels side by side, drawn by XChart: training curves, a learning-rate
 * sweep, GFLOP/s against size.
 *
 * <pre>{@code
 * LineChart.write(Path.of("sweep.png"), new LineChart("LR range test", "learning rate (log)", true)
 *         .series("loss", rates, losses, false));
 * }</pre>
 * Points that are not finite (a diverged loss), or not positive on a logarithmic axis, are left out rather than
 * failing the chart.
 */
public final class LineChart {
    static final int WIDTH = 480;
    static final int HEIGHT = 360;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};

    private record Series(String name, double[] x, double[] y, boolean dashed, Color color) {
    }

    private final String title;
    private final String xLabel;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.logX = logX;
    }

    /** Adds a series; series with the same color key share a color (a metric and its validation twin). */
    public LineChart series(String name, double[] x, double[] y, boolean dashed, String colorKey) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("LineChart: " + x.length + " x values for " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), dashed,
                COLORS[Math.floorMod(colorKey.hashCode(), COLORS.length)]));
        return this;
    }

    /** Adds a series with a color of its own. */
    public LineChart series(String name, double[] x, double[] y, boolean dashed) {
        return series(name, x, y, dashed, name);
    }

    /** Draws the charts side by side into one PNG, written to a temporary file and moved into place. */
    public static void write(Path file, LineChart... panels) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH * Math.max(1, panels.length), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.length; i++) {
            BufferedImage panel = panels[i].render();
            if (panel != null) {
                g.drawImage(panel, i * WIDTH, 0, null);
            }
        }
        g.dispose();
        try {
            AtomicFiles.write(file, out -> {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("no PNG writer in this JVM");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("LineChart: cannot write " + file, e);
        }
    }

    /** The panel as XChart draws it, or null when no series has a point to draw. */
    private BufferedImage render() {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        boolean any = false;
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!logX || s.x()[i] > 0)) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(s.name(), xs, ys);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(s.color());
            line.setLineStyle(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            any = true;
        }
        return any ? BitmapEncoder.getBufferedImage(chart) : null;
    }
}
