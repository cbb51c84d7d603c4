package org.neurite.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/**
 * A layer owns its parameters and the buffers of its forward and backward passes. Inputs and outputs
 * are matrices {@code [batch, features]}.
 *
 * <p>The protocol: {@link #build} once with the input width; then per step {@link #forward} (which may
 * keep a reference to its input until the next forward) and {@link #backward}, which fills the
 * parameters' gradients and returns the gradient with respect to the input. Returned tensors belong to
 * the layer and stay valid until its next call; callers never close them.
 */
public abstract class Layer implements AutoCloseable {
    private final String name;
    protected Backend backend;
    protected final Buffers buffers = new Buffers();
    /** False for a model's first layer: nobody reads its input gradient, so it need not be computed. */
    protected boolean inputGradientNeeded = true;

    protected Layer(String name) {
        this.name = name;
    }

    /** The layer's name, unique within a model ({@code dense_1}). */
    public String name() {
        return name;
    }

    /** Output width for an input of {@code inputFeatures}. */
    public abstract int outputFeatures(int inputFeatures);

    /** Allocates the parameters on {@code backend}, initialized from {@code random}. */
    public void build(Backend backend, int inputFeatures, SplittableRandom random) {
        this.backend = backend;
    }

    /** Whether {@link #build} has run. */
    public boolean built() {
        return backend != null;
    }

    /** The forward pass; {@code training} switches layers such as dropout. */
    public abstract Tensor forward(Tensor input, boolean training);

    /**
     * The backward pass for the last forward: fills parameter gradients, returns d loss / d input (or null
     * when {@link #inputGradientNeeded} is false).
     */
    public abstract Tensor backward(Tensor gradOutput);

    /** Trainable parameters, in a stable order. */
    public List<Parameter> parameters() {
        return List.of();
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().size()).sum();
    }

    /**
     * The layer's architecture for a model file (class name, sizes, activation; no weights), or null if
     * this layer cannot be saved.
     */
    protected java.util.Map<String, Object> config() {
        return null;
    }

    @Override
    public void close() {
        buffers.close();
        parameters().forEach(Parameter::close);
    }
}
