package org.neurite.nn;

import org.neurite.tensor.Tensor;

/** A trainable tensor and its gradient, owned by a layer. */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    /** Set when the owning layer applied this step's update itself (see {@link Optimizer#updateInBackward}). */
    boolean steppedInBackward;

    Parameter(String name, Tensor value, Tensor gradient) {
        this.name = name;
        this.value = value;
        this.gradient = gradient;
    }

    /** {@code dense_1/kernel}, as Keras names weights. */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /**
     * Written by the owning layer's backward pass; read by the optimizer. Not written for a weight whose update the
     * layer applied inside its backward pass ({@link Optimizer#updateInBackward(boolean)}: a {@link Dense} kernel
     * under plain SGD, by default): then it keeps whatever it held before.
     */
    public Tensor gradient() {
        return gradient;
    }

    void close() {
        value.close();
        gradient.close();
    }
}
