package org.neurite.nn;

import org.neurite.tensor.Tensor;

/** A trainable tensor and its gradient, owned by a layer. */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;

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

    /** Written by the owning layer's backward pass; read by the optimizer. */
    public Tensor gradient() {
        return gradient;
    }

    void close() {
        value.close();
        gradient.close();
    }
}
