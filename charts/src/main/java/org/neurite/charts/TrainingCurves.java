package org.neurite.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.nn.Callback;
import org.neurite.nn.History;
import org.neurite.nn.Model;

/**
 * Plots the training curves as a PNG: one panel for the losses and one per metric, training as solid
 * lines and validation dashed, per epoch, like the learning-curve figures of Géron's book. As a callback
 * it redraws the file after every epoch (atomically); {@link #write} draws a finished {@link History}.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(30).validationSplit(0.1).callbacks(new TrainingCurves(Path.of("curves.png"))));
 * }</pre>
 */
public final class TrainingCurves implements Callback {
    private final Path file;
    private Map<String, List<Double>> seen = new LinkedHashMap<>();

    public TrainingCurves(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainBegin(Model model) {
        seen = new LinkedHashMap<>();   // a fresh fit starts a fresh picture
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        logs.forEach((k, v) -> seen.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
        write(seen, file);
    }

    /** Draws {@code history} to {@code file}: a panel for the losses, one per metric. */
    public static void write(History history, Path file) {
        write(history.asMap(), file);
    }

    private static void write(Map<String, List<Double>> values, Path file) {
        List<String> panels = new ArrayList<>();
        for (String key : values.keySet()) {
            String panel = panel(key);
            if (!panels.contains(panel)) {
                panels.add(panel);
            }
        }
        LineChart[] charts = new LineChart[panels.size()];
        for (int p = 0; p < charts.length; p++) {
            charts[p] = new LineChart(panels.get(p), "epoch", false);
            for (Map.Entry<String, List<Double>> e : values.entrySet()) {
                if (panel(e.getKey()).equals(panels.get(p))) {
                    double[] x = new double[e.getValue().size()];
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = i + 1;
                        y[i] = e.getValue().get(i);
                    }
                    String base = e.getKey().startsWith("val_") ? e.getKey().substring(4) : e.getKey();
                    charts[p].series(e.getKey(), x, y, e.getKey().startsWith("val_"), base);
                }
            }
        }
        LineChart.write(file, charts);
    }

    /** Losses share a panel; each metric has its own (training and validation together). */
    private static String panel(String key) {
        String base = key.startsWith("val_") ? key.substring(4) : key;
        return base.endsWith("loss") ? "loss" : base;
    }
}
