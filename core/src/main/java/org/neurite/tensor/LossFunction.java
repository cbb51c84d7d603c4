package org.neurite.tensor;

/**
 * A loss, as the kernels take it. Every loss value is the mean over the batch, as Keras reports it;
 * every gradient is the gradient of that mean with respect to the predictions (or logits).
 *
 * <ul>
 *   <li>{@code MSE}, {@code MAE}, {@code HUBER}: mean over all elements of {@code (p - t)^2},
 *       {@code |p - t|}, and Huber with threshold {@code delta} (default 1).</li>
 *   <li>{@code BINARY_CROSS_ENTROPY}: mean over all elements; from probabilities clipped to
 *       {@code [1e-7, 1 - 1e-7]}, or from logits (computed stably, no clipping).</li>
 *   <li>{@code CATEGORICAL_CROSS_ENTROPY}: one row per sample, one-hot (or soft) targets; from
 *       probabilities clipped to {@code [1e-7, 1 - 1e-7]}, or from logits fused with a softmax.
 *       Unlike Keras, probabilities are not renormalized to sum to 1 first: a softmax output already
 *       does, and renormalizing would hide a model that outputs something else.</li>
 *   <li>{@code SPARSE_CATEGORICAL_CROSS_ENTROPY}: as categorical, with the target holding one class
 *       index per row (shape {@code [rows]} or {@code [rows, 1]}, stored as exact floats).</li>
 * </ul>
 * Where a probability was clipped, its gradient is 0, as TensorFlow's clip gives.
 */
public record LossFunction(Kind kind, boolean fromLogits, float delta) {

    /** The clipping epsilon of the probability-based cross-entropies (Keras's {@code epsilon()}). */
    public static final float EPSILON = 1e-7f;

    /** The losses. */
    public enum Kind {
        MSE, MAE, HUBER, BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY, SPARSE_CATEGORICAL_CROSS_ENTROPY
    }

    /** Validates the parameters. */
    public LossFunction {
        if (kind == null) {
            throw new IllegalArgumentException("LossFunction: kind is null");
        }
        if (kind == Kind.HUBER && !(delta > 0)) {
            throw new IllegalArgumentException("LossFunction: Huber needs delta > 0, got " + delta);
        }
        if (fromLogits && (kind == Kind.MSE || kind == Kind.MAE || kind == Kind.HUBER)) {
            throw new IllegalArgumentException("LossFunction: " + kind + " has no from-logits form");
        }
    }

    public static LossFunction mse() { return new LossFunction(Kind.MSE, false, 0); }
    public static LossFunction mae() { return new LossFunction(Kind.MAE, false, 0); }
    /** Huber with Keras's default delta 1. */
    public static LossFunction huber() { return huber(1f); }
    public static LossFunction huber(float delta) { return new LossFunction(Kind.HUBER, false, delta); }
    public static LossFunction binaryCrossEntropy(boolean fromLogits) {
        return new LossFunction(Kind.BINARY_CROSS_ENTROPY, fromLogits, 0);
    }
    public static LossFunction categoricalCrossEntropy(boolean fromLogits) {
        return new LossFunction(Kind.CATEGORICAL_CROSS_ENTROPY, fromLogits, 0);
    }
    public static LossFunction sparseCategoricalCrossEntropy(boolean fromLogits) {
        return new LossFunction(Kind.SPARSE_CATEGORICAL_CROSS_ENTROPY, fromLogits, 0);
    }

    /** Whether the target holds class indices rather than values of the prediction's shape. */
    public boolean sparse() {
        return kind == Kind.SPARSE_CATEGORICAL_CROSS_ENTROPY;
    }

    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return name + (fromLogits ? "(from_logits)" : "") + (kind == Kind.HUBER ? "(delta=" + delta + ")" : "");
    }
}
