package org.neurite.nn;

/**
 * Metrics reported by {@link Model#fit} and {@link Model#evaluate}, averaged over samples.
 * {@code ACCURACY} follows Keras's "accuracy": binary (element-wise, {@code y == (p > 0.5)}, averaged over the
 * columns) for a single output column or a binary cross-entropy loss (multi-label classification), else sparse
 * categorical for integer labels and categorical for one-hot targets.
 */
public enum Metric {
    ACCURACY("accuracy"), MEAN_ABSOLUTE_ERROR("mae"), MEAN_SQUARED_ERROR("mse"), ROOT_MEAN_SQUARED_ERROR("rmse");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The history key: {@code accuracy}, {@code mae}, ... ({@code val_} prefixed for validation). */
    public String key() {
        return key;
    }

    /**
     * Sum over the batch of the per-sample metric (RMSE: of the squared error), so that batches add up.
     * {@code predicted} is {@code [rows, cols]}; {@code target} has {@code rows} labels or {@code rows * cols} values.
     */
    double batchSum(float[] predicted, float[] target, int rows, int cols, boolean binary) {
        boolean sparse = target.length == rows && cols > 1;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            switch (this) {
                case ACCURACY:
                    if (binary || cols == 1) {
                        // Keras's binary_accuracy: y_true == cast(y_pred > 0.5), averaged over the last axis
                        int hits = 0;
                        for (int j = 0; j < cols; j++) {
                            hits += target[o + j] == (predicted[o + j] > 0.5f ? 1f : 0f) ? 1 : 0;
                        }
                        sum += (double) hits / cols;
                    } else {
                        int best = argmax(predicted, o, cols);
                        int truth = sparse ? (int) target[r] : argmax(target, o, cols);
                        sum += best == truth ? 1 : 0;
                    }
                    break;
                case MEAN_ABSOLUTE_ERROR:
                case MEAN_SQUARED_ERROR:
                case ROOT_MEAN_SQUARED_ERROR: {
                    double s = 0;
                    for (int j = 0; j < cols; j++) {
                        double e = predicted[o + j] - target[o + j];
                        s += this == MEAN_ABSOLUTE_ERROR ? Math.abs(e) : e * e;
                    }
                    sum += s / cols;
                    break;
                }
                default:
                    throw new AssertionError(this);
            }
        }
        return sum;
    }

    /** From the sample average of {@link #batchSum} to the reported value. */
    double finish(double mean) {
        return this == ROOT_MEAN_SQUARED_ERROR ? Math.sqrt(mean) : mean;
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[off + j] > x[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
