package org.neurite.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * The losses of {@link Model#compile}, named as Keras names them. The built-in ones are a {@link LossFunction}
 * the kernels compute; see there for the exact definitions.
 *
 * <pre>{@code
 * model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
 * }</pre>
 *
 * <p>A custom loss extends this class with a name and overrides {@link #value} and {@link #gradient}, written
 * against the {@link Kernels} (so it runs on every backend); {@link #buffer} gives it scratch tensors that live as
 * long as the model. {@link #register} lets a model compiled with it be saved and loaded.
 */
public class Loss {
    private static final Map<String, Supplier<Loss>> REGISTRY = new ConcurrentHashMap<>();

    private final LossFunction function;
    private final String name;
    private final Buffers buffers = new Buffers();

    /** A built-in loss the kernels compute. */
    public Loss(LossFunction function) {
        this.function = java.util.Objects.requireNonNull(function, "function");
        this.name = null;
    }

    /** A custom loss named {@code name} (its key in model files): override {@link #value} and {@link #gradient}. */
    protected Loss(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Loss: a custom loss needs a name");
        }
        this.function = null;
        this.name = name;
    }

    /** The kernel loss, or null for a custom loss. */
    public LossFunction function() {
        return function;
    }

    /** The custom loss's name, or null for a built-in one. */
    public String customName() {
        return name;
    }

    /** Whether targets are class labels, one per sample, rather than one value per output. */
    public boolean sparseTargets() {
        return function != null && function.sparse();
    }

    /** Writes the batch's mean loss into the one-element {@code out}. */
    public void value(Kernels k, Tensor predictions, Tensor targets, Tensor out) {
        requireOverridden("value");
        k.loss(function, predictions, targets, out);
    }

    /** Writes the gradient of the batch's mean loss with respect to the predictions into {@code gradient}. */
    public void gradient(Kernels k, Tensor predictions, Tensor targets, Tensor gradient) {
        requireOverridden("gradient");
        k.lossGradient(function, predictions, targets, gradient);
    }

    private void requireOverridden(String method) {
        if (function == null) {
            throw new UnsupportedOperationException("Loss " + name + ": a custom loss must override " + method + "()");
        }
    }

    /** A scratch tensor of the loss, kept per role and shape until the model closes (allocated once). */
    protected final Tensor buffer(org.neurite.tensor.Backend backend, String role, Shape shape) {
        return buffers.get(backend, role, shape);
    }

    void release() {
        buffers.close();
    }

    /** Registers a custom loss so that model files compiled with it load ({@code name} as its constructor's). */
    public static void register(String name, Supplier<Loss> loss) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Loss.register: a name is needed");
        }
        REGISTRY.put(name, loss);
    }

    static Loss registered(String name) {
        Supplier<Loss> s = REGISTRY.get(name);
        return s == null ? null : s.get();
    }

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
        if (f == null || f.fromLogits()) {
            return null;
        }
        switch (f.kind()) {
            case CATEGORICAL_CROSS_ENTROPY: return categoricalCrossEntropy(true);
            case SPARSE_CATEGORICAL_CROSS_ENTROPY: return sparseCategoricalCrossEntropy(true);
            default: return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Loss && java.util.Objects.equals(function, ((Loss) o).function)
                && java.util.Objects.equals(name, ((Loss) o).name);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(function, name);
    }

    @Override
    public String toString() {
        return function != null ? function.toString() : name;
    }
}
