package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/** Adagrad as Keras 3: the accumulator starts at 0.1, epsilon 1e-7. */
public final class Adagrad extends Optimizer {
    private static final float INITIAL_ACCUMULATOR = 0.1f;
    private final float epsilon;

    /** Keras's default learning rate is 0.001. */
    public Adagrad(float learningRate) {
        super(learningRate);
        this.epsilon = 1e-7f;
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "Adagrad", "learning_rate", (double) learningRate, "iterations", iterations);
    }

    @Override
    protected int stateCount() {
        return 1;
    }

    @Override
    protected void initState(Kernels k, Tensor[] s) {
        k.fill(s[0], INITIAL_ACCUMULATOR);
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        k.adagradUpdate(p.value(), p.gradient(), s[0], learningRate, epsilon);
    }
}
