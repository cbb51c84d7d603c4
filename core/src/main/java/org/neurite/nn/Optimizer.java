package org.neurite.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/**
 * Updates parameters from their gradients with one fused kernel per parameter. State (velocities,
 * moments) is allocated on first use, once per parameter, on the parameter's backend.
 */
public abstract class Optimizer implements AutoCloseable {
    private final Map<Parameter, Tensor[]> state = new IdentityHashMap<>();
    protected float learningRate;
    protected int iterations;

    protected Optimizer(float learningRate) {
        setLearningRate(learningRate);
    }

    public float learningRate() {
        return learningRate;
    }

    /** For schedules and callbacks. */
    public void setLearningRate(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be positive, got "
                    + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** Steps taken so far. */
    public int iterations() {
        return iterations;
    }

    /** One step over all parameters. */
    public void apply(List<Parameter> parameters) {
        iterations++;
        for (Parameter p : parameters) {
            Kernels k = p.value().backend().kernels();
            Tensor[] s = state.get(p);
            if (s == null) {
                s = newState(p.value());
                initState(k, s);
                state.put(p, s);
            }
            update(k, p, s);
        }
    }

    /** How many state tensors of the parameter's shape this optimizer keeps (0 to 2). */
    protected abstract int stateCount();

    /** Sets a parameter's freshly allocated (zeroed) state to its initial values; zeros need nothing. */
    protected void initState(Kernels k, Tensor[] state) {
    }

    /** The fused update of one parameter, with its state. */
    protected abstract void update(Kernels k, Parameter p, Tensor[] state);

    private Tensor[] newState(Tensor value) {
        Tensor[] s = new Tensor[stateCount()];
        for (int i = 0; i < s.length; i++) {
            s[i] = value.backend().zeros(value.shape());
        }
        return s;
    }

    /** Forgets all state (moments, velocities) and the step count, as a fresh optimizer. */
    public void reset() {
        close();
        iterations = 0;
    }

    @Override
    public void close() {
        for (Tensor[] s : state.values()) {
            for (Tensor t : s) {
                t.close();
            }
        }
        state.clear();
    }
}
