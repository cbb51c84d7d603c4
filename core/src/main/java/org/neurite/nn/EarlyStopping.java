package org.neurite.nn;

import java.util.List;
import java.util.Map;

/**
 * Stops training once a monitored value has not improved for {@code patience} epochs in a row, and can put
 * back the best epoch's weights, as Keras's {@code EarlyStopping}. Values whose name contains "acc" are
 * maximized, others minimized.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(100).validationSplit(0.1)
 *         .callbacks(new EarlyStopping("val_loss", 10, 0, true)));
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best;
    private int wait;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private float[][] bestWeights;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.restoreBestWeights = restoreBestWeights;
    }

    private boolean maximize() {
        return monitor.contains("acc");
    }

    @Override
    public void onTrainBegin(Model model) {
        best = maximize() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        Double value = logs.get(monitor);
        if (value == null) {
            throw new IllegalArgumentException("EarlyStopping: '" + monitor + "' is not logged; available: "
                    + logs.keySet() + (monitor.startsWith("val_") ? " (set a validationSplit)" : ""));
        }
        boolean improved = maximize() ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = snapshot(model.parameters());
            }
        } else if (++wait >= patience) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Model model) {
        if (restoreBestWeights && bestWeights != null && stoppedEpoch >= 0) {
            List<Parameter> ps = model.parameters();
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).value().copyFrom(bestWeights[i]);
            }
        }
    }

    static float[][] snapshot(List<Parameter> ps) {
        float[][] w = new float[ps.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = ps.get(i).value().toFloatArray();
        }
        return w;
    }

    /** The epoch (from 0) with the best value, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch (from 0) at which training was stopped, or -1 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    public double best() {
        return best;
    }
}
