package org.neurite.tensorboard;

import java.nio.file.Path;
import java.util.Map;
import org.neurite.nn.Callback;
import org.neurite.nn.Layer;
import org.neurite.nn.Model;
import org.neurite.nn.Parameter;

/**
 * Keras's {@code TensorBoard} callback: logs for TensorBoard ({@code tensorboard --logdir DIR}) in the layout Keras
 * writes, one run directory per phase:
 * <ul>
 *   <li>{@code DIR/train}: {@code epoch_<name>} for each of the epoch's logs without a {@code val_} prefix (loss,
 *       metrics) and {@code epoch_learning_rate}, at step = epoch (from 0); with {@link #updateFreq(int)},
 *       {@code batch_loss} (the epoch's running mean, as Keras's batch logs) every that many batches, at step = the
 *       global batch count; with {@link #histogramFreq(int)}, a histogram of every layer's weights,
 *       {@code <layer>/<weight>/histogram}, every that many epochs;</li>
 *   <li>{@code DIR/validation}: {@code epoch_<name>} for the {@code val_} logs, prefix removed.</li>
 * </ul>
 * Defaults are Keras's: {@code update_freq="epoch"}, {@code histogram_freq=0}. Files are flushed and forced to the
 * disk at every epoch's end, so that a running TensorBoard sees them and a crash keeps them; each fit writes new
 * event files (TensorBoard merges the files of a run directory).
 *
 * <p>Differs from Keras on purpose: no graph, images or profiler traces (Neurite has no TensorFlow graph); a
 * weight holding NaN or infinities gets a histogram of its finite values and a {@code <weight>/nonfinite} scalar
 * counting the rest, so that they are never hidden.
 */
public final class TensorBoard implements Callback {
    private final Path logDir;
    private int updateFreq;
    private int histogramFreq;
    private EventFileWriter train;
    private EventFileWriter validation;
    private long globalBatch;

    /** Logs under {@code logDir} (created when missing). */
    public TensorBoard(Path logDir) {
        this.logDir = logDir;
    }

    /** Also logs {@code batch_loss} every {@code batches} batches (Keras's integer {@code update_freq}); 0: epochs only. */
    public TensorBoard updateFreq(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("TensorBoard: updateFreq must be >= 0 batches, not " + batches);
        }
        this.updateFreq = batches;
        return this;
    }

    /** Writes weight histograms every {@code epochs} epochs (Keras's {@code histogram_freq}); 0: none. */
    public TensorBoard histogramFreq(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("TensorBoard: histogramFreq must be >= 0 epochs, not " + epochs);
        }
        this.histogramFreq = epochs;
        return this;
    }

    /** The log directory. */
    public Path logDir() {
        return logDir;
    }

    @Override
    public void onTrainBegin(Model model) {
        closeWriters();
        train = new EventFileWriter(logDir.resolve("train"));
    }

    @Override
    public boolean needsBatchLoss() {
        return updateFreq > 0;
    }

    @Override
    public void onBatchEnd(int step, double runningLoss, Model model) {
        if (updateFreq > 0 && globalBatch % updateFreq == 0) {
            train.scalar("batch_loss", globalBatch, runningLoss);
        }
        globalBatch++;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            if (e.getKey().startsWith("val_")) {
                if (validation == null) {
                    validation = new EventFileWriter(logDir.resolve("validation"));
                }
                validation.scalar("epoch_" + e.getKey().substring(4), epoch, e.getValue());
            } else {
                train.scalar("epoch_" + e.getKey(), epoch, e.getValue());
            }
        }
        if (model.optimizer() != null) {
            train.scalar("epoch_learning_rate", epoch, model.optimizer().learningRate());
        }
        if (histogramFreq > 0 && epoch % histogramFreq == 0) {
            for (Layer layer : model.layers()) {
                for (Parameter p : layer.parameters()) {
                    float[] values = p.value().toFloatArray();
                    train.histogram(p.name() + "/histogram", epoch, values);
                    long bad = Histograms.nonFinite(values);
                    if (bad > 0) {
                        train.scalar(p.name() + "/nonfinite", epoch, bad);
                    }
                }
            }
        }
        train.flush();
        if (validation != null) {
            validation.flush();
        }
    }

    @Override
    public void onTrainEnd(Model model) {
        closeWriters();
    }

    private void closeWriters() {
        try {
            if (train != null) {
                train.close();
            }
        } finally {
            train = null;
            if (validation != null) {
                validation.close();
                validation = null;
            }
        }
    }
}
