package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/** SGD, with momentum and Nesterov as Keras computes them ({@link Kernels#sgdUpdate}). */
public final class SGD extends Optimizer {
    private float momentum;
    private final boolean nesterov;
    private final boolean withVelocity;

    /** Plain SGD; Keras's default learning rate is 0.01. */
    public SGD(float learningRate) {
        this(learningRate, 0f, false);
    }

    public SGD(float learningRate, float momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.withVelocity = momentum != 0f || nesterov;
    }

    public float momentum() {
        return momentum;
    }

    /**
     * For momentum schedules ({@link OneCycle}). An SGD created without momentum keeps none: it has no
     * velocity to carry.
     */
    public void setMomentum(float momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        }
        if (stateCount() == 0 && momentum != 0f) {
            throw new IllegalStateException("SGD: created without momentum; create it with a momentum to schedule one");
        }
        this.momentum = momentum;
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "SGD", "learning_rate", (double) learningRate, "momentum", (double) momentum,
                "nesterov", nesterov, "iterations", iterations);
    }

    /** Without momentum the update is {@code w -= rate * g}: layers may apply it in their backward pass. */
    @Override
    protected float plainStepRate() {
        return withVelocity ? Float.NaN : learningRate;
    }

    @Override
    protected int stateCount() {
        return withVelocity ? 1 : 0;
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        k.sgdUpdate(p.value(), p.gradient(), s.length == 0 ? null : s[0], learningRate, momentum, nesterov);
    }
}
