package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/** SGD, with momentum and Nesterov as Keras computes them ({@link Kernels#sgdUpdate}). */
public final class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

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
    }

    @Override
    protected int stateCount() {
        return momentum == 0f && !nesterov ? 0 : 1;
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        k.sgdUpdate(p.value(), p.gradient(), s.length == 0 ? null : s[0], learningRate, momentum, nesterov);
    }
}
