package org.neurite.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curves of a fit as a PNG: one panel for the losses, one per metric, lines in color, redrawn per epoch. */
class TrainingCurvesTest {
    @Test
    void curvesAreDrawnAsAPngWithOnePanelPerQuantity(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        TrainingCurves curves = new TrainingCurves(png);
        curves.onTrainBegin(null);
        for (int epoch = 0; epoch < 8; epoch++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 1.0 / (epoch + 1));
            logs.put("accuracy", 0.5 + 0.05 * epoch);
            logs.put("val_loss", 1.2 / (epoch + 1));
            logs.put("val_accuracy", epoch == 3 ? Double.NaN : 0.45 + 0.05 * epoch);   // a NaN is skipped, not fatal
            curves.onEpochEnd(epoch, logs, null);
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * LineChart.WIDTH, img.getWidth(), "one panel for the losses, one for accuracy");
        assertEquals(LineChart.HEIGHT, img.getHeight());
        int colored = 0;
        for (int px = 0; px < img.getWidth(); px += 2) {
            for (int py = 0; py < img.getHeight(); py += 2) {
                int rgb = img.getRGB(px, py) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    colored++;
                }
            }
        }
        assertTrue(colored > 200, "expected colored curves, found " + colored + " colored pixels");
    }

    @Test
    void aLogarithmicChartLeavesOutPointsItCannotPlace(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sweep.png");
        LineChart.write(png, new LineChart("sweep", "rate (log)", true)
                .series("loss", new double[] {0, 1e-4, 1e-3, 1e-2, 1e-1}, new double[] {3, 2.5, 1.5, Double.NaN, 9}, false));
        assertEquals(LineChart.WIDTH, ImageIO.read(png.toFile()).getWidth());
    }
}
