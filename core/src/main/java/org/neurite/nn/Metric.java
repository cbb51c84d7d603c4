package org.neurite.nn;

/**
 * Metrics reported by {@link Model#fit} and {@link Model#evaluate}, averaged over samples.
 * {@code ACCURACY} follows Keras's "accuracy": binary (element-wise, {@code y == (p > 0.5)}, averaged over the
 * columns) for a single output column or a binary cross-entropy loss (multi-label classification), else sparse
 * categorical for integer labels and categorical for one-hot targets.
 */
public interface Metric {
    Metric ACCURACY = Builtin.ACCURACY;
    Metric MEAN_ABSOLUTE_ERROR = Builtin.MEAN_ABSOLUTE_ERROR;
    Metric MEAN_SQUARED_ERROR = Builtin.MEAN_SQUARED_ERROR;
    Metric ROOT_MEAN_SQUARED_ERROR = Builtin.ROOT_MEAN_SQUARED_ERROR;

    /** The history key: {@code accuracy}, {@code mae}, ... ({@code val_} prefixed for validation). */
    String key();

    /**
     * A fresh state for one output over one epoch or evaluation, as Keras's stateful metrics: {@code update} once
     * per batch, {@code result} when the value is shown. Custom metrics implement this; see {@link Metrics} for
     * precision, recall, AUC and top-k accuracy.
     */
    Accumulator accumulator();

    /**
     * A metric named {@code key} whose state over each epoch or evaluation is a fresh {@code accumulators.get()}:
     * the shortest way to write a custom one.
     */
    static Metric of(String key, java.util.function.Supplier<Accumulator> accumulators) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Metric.of: a key is needed");
        }
        java.util.Objects.requireNonNull(accumulators, "accumulators");
        return new Metric() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public Accumulator accumulator() {
                return accumulators.get();
            }

            @Override
            public String toString() {
                return key;
            }
        };
    }

    /** The running state of a metric (Keras's {@code update_state} and {@code result}). */
    interface Accumulator {
        /**
         * Adds one batch: {@code predicted} is {@code [rows, cols]} row-major, {@code target} holds {@code rows}
         * class labels (sparse targets) or {@code rows * cols} values, both read back to the host.
         */
        void update(float[] predicted, float[] target, int rows, int cols);

        /** The value over everything added so far. */
        double result();
    }

    /** The metrics computed on the backend where it can (see {@code DeviceMetrics}); the others on the host. */
    enum Builtin implements Metric {
    ACCURACY("accuracy"), MEAN_ABSOLUTE_ERROR("mae"), MEAN_SQUARED_ERROR("mse"), ROOT_MEAN_SQUARED_ERROR("rmse");

    private final String key;

    Builtin(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** On the host: the sample mean of {@link #batchSum}, then {@link #finish} (used for custom call sites). */
    @Override
    public Accumulator accumulator() {
        return new Accumulator() {
            private double sum;
            private long seen;

            @Override
            public void update(float[] predicted, float[] target, int rows, int cols) {
                sum += batchSum(predicted, target, rows, cols, false);
                seen += rows;
            }

            @Override
            public double result() {
                return seen == 0 ? Double.NaN : finish(sum / seen);
            }
        };
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

    /** The first index of the largest of {@code x[off .. off + n)}. */
    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[off + j] > x[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
}
