package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/** RMSprop as Keras 3 (rho 0.9, epsilon 1e-7). */
public final class RMSprop extends Optimizer {
    private final float rho;
    private final float epsilon;

    /** Keras's default learning rate is 0.001. */
    public RMSprop(float learningRate) {
        this(learningRate, 0.9f, 1e-7f);
    }

    public RMSprop(float learningRate, float rho, float epsilon) {
        super(learningRate);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "RMSprop", "learning_rate", (double) learningRate, "rho", (double) rho,
                "epsilon", (double) epsilon, "iterations", iterations);
    }

    @Override
    protected int stateCount() {
        return 1;
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        k.rmspropUpdate(p.value(), p.gradient(), s[0], learningRate, rho, epsilon);
    }
}
