package org.neurite.nn;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Plots the training curves as a PNG: one panel for the losses and one per metric, training as solid
 * lines and validation dashed, per epoch, like the learning-curve figures of Géron's book. As a callback
 * it redraws the file after every epoch (atomically); {@link #write} draws a finished {@link History}.
 * Uses only {@code java.awt} in headless mode.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(30).validationSplit(0.1).callbacks(new TrainingCurves(Path.of("curves.png"))));
 * }</pre>
 */
public final class TrainingCurves implements Callback {
    private static final int PANEL_WIDTH = 480;
    private static final int HEIGHT = 360;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};

    private final Path file;
    private History seen = new History();

    public TrainingCurves(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainBegin(Model model) {
        seen = new History();   // a fresh fit starts a fresh picture
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        logs.forEach(seen::add);
        write(seen, file);
    }

    /** Draws {@code history} to {@code file}. */
    public static void write(History history, Path file) {
        System.setProperty("java.awt.headless", "true");
        List<String> panels = new ArrayList<>();
        for (String key : history.asMap().keySet()) {
            String base = key.startsWith("val_") ? key.substring(4) : key;
            String panel = base.endsWith("loss") ? "loss" : base;
            if (!panels.contains(panel)) {
                panels.add(panel);
            }
        }
        BufferedImage img = new BufferedImage(PANEL_WIDTH * Math.max(1, panels.size()), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int p = 0; p < panels.size(); p++) {
            List<String> keys = new ArrayList<>();
            for (String key : history.asMap().keySet()) {
                String base = key.startsWith("val_") ? key.substring(4) : key;
                if (panels.get(p).equals(base.endsWith("loss") ? "loss" : base)) {
                    keys.add(key);
                }
            }
            panel(g, p * PANEL_WIDTH, panels.get(p), keys, history);
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
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TrainingCurves: cannot write " + file, e);
        }
    }

    private static void panel(Graphics2D g, int x0, String title, List<String> keys, History h) {
        int left = x0 + 60;
        int right = x0 + PANEL_WIDTH - 20;
        int top = 40;
        int bottom = HEIGHT - 50;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int epochs = 1;
        for (String k : keys) {
            for (double v : h.get(k)) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            epochs = Math.max(epochs, h.get(k).size());
        }
        if (!(min <= max)) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-12) {
            max = min + 1;
        }
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(title, x0 + (PANEL_WIDTH - fm.stringWidth(title)) / 2, 24);
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.3g", min + (max - min) * i / 4);
            g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        String axis = "epoch";
        g.drawString(axis, (left + right - fm.stringWidth(axis)) / 2, bottom + 36);
        g.drawString("1", left - 3, bottom + 16);
        String last = String.valueOf(epochs);
        g.drawString(last, right - fm.stringWidth(last) / 2, bottom + 16);
        int legendY = top + 16;
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            boolean validation = key.startsWith("val_");
            String base = validation ? key.substring(4) : key;
            Color c = COLORS[Math.abs(base.hashCode()) % COLORS.length];
            g.setColor(c);
            g.setStroke(validation ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            List<Double> values = h.get(key);
            int px = -1;
            int py = -1;
            for (int e = 0; e < values.size(); e++) {
                if (!Double.isFinite(values.get(e))) {
                    px = -1;
                    continue;
                }
                int x = epochs == 1 ? (left + right) / 2 : left + (right - left) * e / (epochs - 1);
                int y = (int) Math.round(bottom - (bottom - top) * (values.get(e) - min) / (max - min));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                } else if (values.size() == 1) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                px = x;
                py = y;
            }
            g.drawLine(right - 150, legendY - 4, right - 120, legendY - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(key, right - 114, legendY);
            legendY += 16;
        }
        g.setStroke(new BasicStroke(1f));
    }
}
