package org.neurite.nn;

import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model at the end of an epoch, every epoch or only when the monitored value improves (Keras's
 * {@code ModelCheckpoint(save_best_only=True)}). Each save is atomic (see {@link Model#save}). Values
 * whose name contains "acc" are maximized, others minimized.
 */
public final class ModelCheckpoint implements Callback {
    private final Path file;
    private final String monitor;
    private final boolean saveBestOnly;
    private double best;
    private int saves;

    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
        this.file = file;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    @Override
    public void onTrainBegin(Model model) {
        ModelFile.checkSaveable(model, "ModelCheckpoint");   // before the first step, not at the first epoch's end
        best = monitor.contains("acc") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        if (saveBestOnly) {
            Double value = logs.get(monitor);
            if (value == null) {
                throw new IllegalArgumentException("ModelCheckpoint: '" + monitor + "' is not logged; available: "
                        + logs.keySet());
            }
            boolean better = monitor.contains("acc") ? value > best : value < best;
            if (!better) {
                return;
            }
            best = value;
        }
        model.save(file);
        saves++;
    }

    /** How many times the model was written. */
    public int saves() {
        return saves;
    }
}
