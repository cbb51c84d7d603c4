package org.neurite.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with {@code java.awt} in headless mode: named series, solid or dashed, a linear
 * or logarithmic x axis, a legend. Enough for training curves, learning-rate sweeps and GFLOP/s-versus-size
 * plots without a plotting dependency.
 *
 * <pre>{@code
 * LineChart c = new LineChart("loss", "epoch", false);
 * c.series("loss", epochs, loss, false).series("val_loss", epochs, valLoss, true);
 * LineChart.write(Path.of("curves.png"), c);
 * }</pre>
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
        series.add(new Series(name, x.clone(), y.clone(), dashed, COLORS[Math.floorMod(colorKey.hashCode(), COLORS.length)]));
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
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < panels.length; i++) {
            panels[i].draw(g, i * WIDTH);
        }
        g.dispose();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                ImageIO.write(img, "png", tmp.toFile());
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("LineChart: cannot write " + file, e);
        }
    }

    private double tx(double x) {
        return logX ? Math.log10(x) : x;
    }

    private void draw(Graphics2D g, int x0) {
        int left = x0 + 60;
        int right = x0 + WIDTH - 20;
        int top = 40;
        int bottom = HEIGHT - 50;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.y[i]) && Double.isFinite(tx(s.x[i]))) {
                    minX = Math.min(minX, tx(s.x[i]));
                    maxX = Math.max(maxX, tx(s.x[i]));
                    minY = Math.min(minY, s.y[i]);
                    maxY = Math.max(maxY, s.y[i]);
                }
            }
        }
        if (!(minX <= maxX)) {
            minX = 0;
            maxX = 1;
        }
        if (!(minY <= maxY)) {
            minY = 0;
            maxY = 1;
        }
        if (maxX - minX < 1e-12) {
            maxX = minX + 1;
        }
        if (maxY - minY < 1e-12) {
            maxY = minY + 1;
        }
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(title, x0 + (WIDTH - fm.stringWidth(title)) / 2, 24);
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.3g", minY + (maxY - minY) * i / 4);
            g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, bottom + 36);
        // On a log axis with few distinct x values (sizes of a sweep), label each; else the two ends.
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        for (Series s : series) {
            for (double x : s.x) {
                if (Double.isFinite(tx(x))) {
                    xs.add(x);
                }
            }
        }
        if (logX && xs.size() <= 12) {
            for (double x : xs) {
                int px = (int) Math.round(left + (right - left) * (tx(x) - minX) / (maxX - minX));
                String label = axisLabel(tx(x));
                g.drawLine(px, bottom, px, bottom + 3);
                g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 16);
            }
        } else {
            String lo = axisLabel(minX);
            String hi = axisLabel(maxX);
            g.drawString(lo, left - fm.stringWidth(lo) / 2, bottom + 16);
            g.drawString(hi, right - fm.stringWidth(hi) / 2, bottom + 16);
        }
        int legendY = top + 16;
        for (Series s : series) {
            g.setColor(s.color);
            g.setStroke(s.dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            int px = Integer.MIN_VALUE;
            int py = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i]) || !Double.isFinite(tx(s.x[i]))) {
                    px = Integer.MIN_VALUE;
                    continue;
                }
                int x = (int) Math.round(left + (right - left) * (tx(s.x[i]) - minX) / (maxX - minX));
                int y = (int) Math.round(bottom - (bottom - top) * (s.y[i] - minY) / (maxY - minY));
                if (px != Integer.MIN_VALUE) {
                    g.drawLine(px, py, x, y);
                } else if (s.x.length == 1) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                px = x;
                py = y;
            }
            g.drawLine(right - 150, legendY - 4, right - 120, legendY - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(s.name, right - 114, legendY);
            legendY += 16;
        }
    }

    private String axisLabel(double v) {
        if (logX) {
            double x = Math.pow(10, v);
            return Math.abs(x - Math.rint(x)) < 1e-6 * Math.max(1, x) && x < 1e9 ? Long.toString(Math.round(x))
                    : String.format(Locale.ROOT, "%.3g", x);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
