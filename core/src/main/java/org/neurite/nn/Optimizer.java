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
    private final Map<Parameter, Tensor> scratch = new IdentityHashMap<>();
    protected float learningRate;
    protected int iterations;
    private float clipValue = Float.NaN;
    private float clipNorm = Float.NaN;
    private float globalClipNorm = Float.NaN;
    private java.util.function.Consumer<List<Parameter>> gradientHook;
    private boolean updateInBackward = true;

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

    /** Clips every gradient element to {@code [-value, value]} first (Keras's {@code clipvalue}). */
    public Optimizer clipValue(float value) {
        this.clipValue = positive("clipValue", value);
        return this;
    }

    /** Rescales each gradient whose L2 norm exceeds {@code norm} to that norm (Keras's {@code clipnorm}). */
    public Optimizer clipNorm(float norm) {
        this.clipNorm = positive("clipNorm", norm);
        return this;
    }

    /** Rescales all gradients together when their joint L2 norm exceeds {@code norm} ({@code global_clipnorm}). */
    public Optimizer globalClipNorm(float norm) {
        this.globalClipNorm = positive("globalClipNorm", norm);
        return this;
    }

    private float positive(String what, float v) {
        if (!(v > 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " must be positive, got " + v);
        }
        return v;
    }

    /** Applies the clipping settings to the gradients; norms cost one scalar read per parameter. */
    private void clip(List<Parameter> parameters) {
        if (!Float.isNaN(clipValue)) {
            for (Parameter p : parameters) {
                p.gradient().backend().kernels().clip(p.gradient(), -clipValue, clipValue, p.gradient());
            }
        }
        if (Float.isNaN(clipNorm) && Float.isNaN(globalClipNorm)) {
            return;
        }
        double[] squares = new double[parameters.size()];
        double total = 0;
        for (int i = 0; i < squares.length; i++) {
            Tensor g = parameters.get(i).gradient();
            Kernels k = g.backend().kernels();
            Tensor tmp = scratch.computeIfAbsent(parameters.get(i), q -> g.backend().zeros(g.shape()));
            Tensor sum = scratch.computeIfAbsent(null, q -> g.backend().zeros(org.neurite.tensor.Shape.of(1)));
            k.multiply(g, g, tmp);
            k.sumAll(tmp, sum);
            squares[i] = sum.item();
            total += squares[i];
        }
        for (int i = 0; i < squares.length; i++) {
            Tensor g = parameters.get(i).gradient();
            double factor = 1;
            if (!Float.isNaN(clipNorm) && Math.sqrt(squares[i]) > clipNorm) {
                factor = clipNorm / Math.sqrt(squares[i]);
            }
            if (!Float.isNaN(globalClipNorm) && Math.sqrt(total) > globalClipNorm) {
                factor = Math.min(factor, globalClipNorm / Math.sqrt(total));
            }
            if (factor < 1) {
                g.backend().kernels().scale((float) factor, g);
            }
        }
    }

    /**
     * A step run on the gradients before every update, before clipping: data-parallel training all-reduces them
     * there, as Horovod's {@code DistributedOptimizer} does. Null removes it. Not saved with the model.
     */
    public Optimizer gradientHook(java.util.function.Consumer<List<Parameter>> hook) {
        this.gradientHook = hook;
        return this;
    }

    /**
     * Whether a layer may apply a parameter's update inside its own backward pass, when this optimizer's update is a
     * plain {@code w -= rate * g} (SGD without momentum) and nothing else reads the gradients first (no clipping, no
     * {@link #gradientHook}). On by default. A {@link Dense} layer then computes its kernel's step as one GEMM,
     * {@code W <- W - rate * x^T dz}, instead of writing the gradient and reading it back in a second pass: the
     * gradient, as large as the weights, never goes through memory, and the step's working set halves (the MLP of
     * the README: about a fifth of a training step on the CPU backend). The result is the same update up to float
     * rounding (the rate is folded into the product); {@link Parameter#gradient()} is then not written for those
     * weights. Off, every gradient is written and every update runs in {@link #apply}, as Keras does. Like PyTorch's
     * "optimizer step in backward" (its {@code register_post_accumulate_grad_hook} recipe), done here by the layer.
     * A runtime setting: not saved with the model.
     */
    public Optimizer updateInBackward(boolean on) {
        this.updateInBackward = on;
        return this;
    }

    /**
     * The rate of the step {@code w -= rate * g} that layers may apply in their backward pass for this step, or NaN
     * when they may not (see {@link #updateInBackward}).
     */
    final float backwardStepRate() {
        if (!updateInBackward || gradientHook != null || !Float.isNaN(clipValue) || !Float.isNaN(clipNorm)
                || !Float.isNaN(globalClipNorm)) {
            return Float.NaN;
        }
        return plainStepRate();
    }

    /**
     * The learning rate when this optimizer's update of every parameter is exactly {@code w -= rate * g}, with no
     * state; NaN otherwise (the default). Only such an update may run inside a layer's backward pass.
     */
    protected float plainStepRate() {
        return Float.NaN;
    }

    /**
     * One step over all parameters; a parameter whose layer already applied this step in its backward pass
     * ({@link #updateInBackward}) is skipped.
     */
    public void apply(List<Parameter> parameters) {
        if (gradientHook != null) {
            gradientHook.accept(parameters);
        }
        clip(parameters);
        iterations++;
        for (Parameter p : parameters) {
            if (p.steppedInBackward) {
                p.steppedInBackward = false;
                continue;
            }
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

    /**
     * Hyper-parameters for a model file ({@code class}, {@code learning_rate}, ...), or null if this
     * optimizer cannot be saved.
     */
    protected Map<String, Object> config() {
        return null;
    }

    /** Rebuilds an optimizer saved with {@link #config()}. */
    static Optimizer fromConfig(Config c) {
        float lr = c.floatNumber("learning_rate");
        Optimizer o;
        String kind = c.string("class");
        switch (kind) {
            case "SGD": o = new SGD(lr, c.floatNumber("momentum"), c.bool("nesterov")); break;
            case "Adam":
                o = new Adam(lr, c.floatNumber("beta1"), c.floatNumber("beta2"), c.floatNumber("epsilon"),
                        c.floatNumber("weight_decay"));
                break;
            case "RMSprop": o = new RMSprop(lr, c.floatNumber("rho"), c.floatNumber("epsilon")); break;
            case "Nadam": o = new Nadam(lr, c.floatNumber("beta1"), c.floatNumber("beta2"), c.floatNumber("epsilon")); break;
            case "Adagrad": o = new Adagrad(lr); break;
            default: throw new IllegalArgumentException(c.where() + ": unknown optimizer class '" + kind + "'");
        }
        o.iterations = c.integer("iterations", 0, Integer.MAX_VALUE);
        return o;
    }

    /** The state tensors to save, as {@code <parameter>/<slot>} -> values, read to the host. */
    Map<String, Tensor[]> stateByName() {
        Map<String, Tensor[]> out = new java.util.LinkedHashMap<>();
        state.forEach((p, s) -> out.put(p.name(), s));
        return out;
    }

    /** Installs saved state for {@code p} (each slot's values), replacing any. */
    void restoreState(Parameter p, float[][] slots) {
        if (slots.length != stateCount()) {
            throw new IllegalArgumentException("optimizer state of " + p.name() + " has " + slots.length
                    + " slots, expected " + stateCount());
        }
        Tensor[] s = new Tensor[slots.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = p.value().backend().tensor(slots[i], p.value().shape());
        }
        Tensor[] old = state.put(p, s);
        if (old != null) {
            for (Tensor t : old) {
                t.close();
            }
        }
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
        scratch.values().forEach(Tensor::close);
        scratch.clear();
    }
}
