package org.neurite.nn;

import org.neurite.tensor.LossFunction;

/**
 * The losses of {@link Model#compile}, named as Keras names them. Each is a {@link LossFunction}
 * the kernels compute; see there for the exact definitions.
 *
 * <pre>{@code
 * model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
 * }</pre>
 */
public record Loss(LossFunction function) {

    public static Loss meanSquaredError() {
        return new Loss(LossFunction.mse());
    }

    public static Loss meanAbsoluteError() {
        return new Loss(LossFunction.mae());
    }

    public static Loss huber(float delta) {
        return new Loss(LossFunction.huber(delta));
    }

    public static Loss binaryCrossEntropy() {
        return new Loss(LossFunction.binaryCrossEntropy(false));
    }

    public static Loss binaryCrossEntropy(boolean fromLogits) {
        return new Loss(LossFunction.binaryCrossEntropy(fromLogits));
    }

    public static Loss categoricalCrossEntropy() {
        return new Loss(LossFunction.categoricalCrossEntropy(false));
    }

    public static Loss categoricalCrossEntropy(boolean fromLogits) {
        return new Loss(LossFunction.categoricalCrossEntropy(fromLogits));
    }

    /** Integer class labels against probabilities (a softmax output). */
    public static Loss sparseCategoricalCrossEntropy() {
        return new Loss(LossFunction.sparseCategoricalCrossEntropy(false));
    }

    public static Loss sparseCategoricalCrossEntropy(boolean fromLogits) {
        return new Loss(LossFunction.sparseCategoricalCrossEntropy(fromLogits));
    }

    /**
     * The same loss read from logits, when this one reads probabilities of a softmax: a softmax output
     * followed by cross-entropy trains through the fused, exact {@code softmax(z) - y} gradient instead of
     * dividing by clipped probabilities. Null when no such fusion applies.
     */
    Loss fusedWithSoftmax() {
        LossFunction f = function;
        if (f.fromLogits()) {
            return null;
        }
        switch (f.kind()) {
            case CATEGORICAL_CROSS_ENTROPY: return categoricalCrossEntropy(true);
            case SPARSE_CATEGORICAL_CROSS_ENTROPY: return sparseCategoricalCrossEntropy(true);
            default: return null;
        }
    }

    @Override
    public String toString() {
        return function.toString();
    }
}
