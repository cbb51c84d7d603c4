package org.neurite.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
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
    private String name;
    protected Backend backend;
    /** The input width, set by {@link #build}. */
    protected int inputFeatures;
    final Buffers buffers = new Buffers();   // subclasses outside the package use buffer(...)
    /** False for a model's first layer: nobody reads its input gradient, so it need not be computed. */
    protected boolean inputGradientNeeded = true;
    /**
     * During a training step whose optimizer allows it, the rate of the plain step {@code w -= rate * g} that this
     * layer may apply to its weights itself in {@link #backward} (marking them, see {@link Optimizer#updateInBackward});
     * NaN otherwise. Set by the model around the backward pass.
     */
    float backwardStepRate = Float.NaN;

    private static final java.util.Map<String, Integer> NAMES = new java.util.HashMap<>();

    protected Layer(String name) {
        this.name = name;
    }

    /** {@code dense_1}, {@code dense_2}, ...: Keras's default layer names, numbered per prefix. */
    protected static synchronized String uniqueName(String prefix) {
        return prefix + "_" + NAMES.merge(prefix, 1, Integer::sum);
    }

    /**
     * Names this layer, as Keras's {@code name=} argument, before it is applied or put in a model; returns it, so
     * that {@code Dense d = new Dense(10, "softmax").named("output");} reads as in Keras.
     *
     * @throws IllegalStateException once the layer is built
     * @throws IllegalArgumentException for an empty name or one with {@code /} (weights are named
     *     {@code layer/weight})
     */
    @SuppressWarnings("unchecked")
    public final <T extends Layer> T named(String newName) {
        if (backend != null) {
            throw new IllegalStateException(name + ": named(" + newName + ") after the layer was built");
        }
        if (newName == null || newName.isBlank() || newName.contains("/")) {
            throw new IllegalArgumentException("named: a layer name must be non-empty and without '/', got '" + newName
                    + "'");
        }
        this.name = newName;
        return (T) this;
    }

    /** The layer's name, unique within a model ({@code dense_1}). */
    public String name() {
        return name;
    }

    /**
     * A buffer of this layer for activations or gradients, kept per role and shape for the layer's lifetime (so a
     * training loop allocates it once), zero when first made, closed with the layer.
     */
    protected final Tensor buffer(String role, Shape shape) {
        if (backend == null) {
            throw new IllegalStateException(name + ": buffer(" + role + ") before build()");
        }
        return buffers.get(backend, role, shape);
    }

    /** {@code buffer(role, Shape.of(rows, cols))}. */
    protected final Tensor buffer(String role, int rows, int cols) {
        return buffer(role, Shape.of(rows, cols));
    }

    /** Output width for an input of {@code inputFeatures}. */
    public abstract int outputFeatures(int inputFeatures);

    /**
     * Allocates the parameters on {@code backend}, initialized from {@code random}. A layer with weights overrides
     * it, calls {@code super.build(...)} first, then creates each weight with {@link #addWeight}.
     */
    public void build(Backend backend, int inputFeatures, SplittableRandom random) {
        this.backend = backend;
        this.inputFeatures = inputFeatures;
        this.buildRandom = random;
    }

    private SplittableRandom buildRandom;
    private final List<Parameter> weights = new java.util.ArrayList<>();

    /**
     * A trainable weight of this layer, as Keras's {@code add_weight}: named {@code <layer>/<name>}, of
     * {@code shape}, drawn by {@code initializer} from the model's seeded generator (fan-in and fan-out are the
     * leading dimensions' product and the last dimension; a vector's are its length), with a gradient tensor of
     * the same shape that {@link #backward} fills and the optimizer reads. Call it from {@link #build}, after
     * {@code super.build(...)}; the weight is then among {@link #parameters()}, trained, saved and loaded.
     */
    protected final Parameter addWeight(String name, Initializer initializer, int... shape) {
        if (backend == null || buildRandom == null) {
            throw new IllegalStateException(this.name + ": addWeight(" + name + ") belongs in build(), after super.build()");
        }
        Shape s = Shape.of(shape);
        int fanOut = shape.length == 0 ? 1 : shape[shape.length - 1];
        int fanIn = shape.length <= 1 ? fanOut : s.size() / Math.max(1, fanOut);
        String full = this.name + "/" + name;
        for (Parameter p : weights) {
            if (p.name().equals(full)) {
                throw new IllegalArgumentException(this.name + ": a weight named '" + name + "' exists already");
            }
        }
        Parameter p = new Parameter(full, backend.tensor(initializer.sample(buildRandom, fanIn, fanOut, s.size()), s),
                backend.zeros(s));
        weights.add(p);
        return p;
    }

    /**
     * Builds with several inputs (widths in order); layers with one input need not override it.
     */
    public void build(Backend backend, int[] inputFeatures, SplittableRandom random) {
        requireInputs(inputFeatures.length);
        build(backend, inputFeatures[0], random);
    }

    /** Output width for several inputs; layers with one input need not override it. */
    public int outputFeatures(int[] inputFeatures) {
        requireInputs(inputFeatures.length);
        return outputFeatures(inputFeatures[0]);
    }

    /** The forward pass over several inputs; layers with one input need not override it. */
    public Tensor forward(List<Tensor> inputs, boolean training) {
        requireInputs(inputs.size());
        return forward(inputs.get(0), training);
    }

    /** The backward pass towards several inputs (null entries where not needed). */
    public List<Tensor> backwardAll(Tensor gradOutput) {
        return java.util.Collections.singletonList(backward(gradOutput));
    }

    /** How many inputs the layer takes: 1, or -1 for any number of at least 2. */
    protected int arity() {
        return 1;
    }

    private void requireInputs(int n) {
        if (arity() == 1 ? n != 1 : n < 2) {
            throw new IllegalArgumentException(name + ": takes " + (arity() == 1 ? "one input" : "two or more inputs")
                    + ", got " + n);
        }
    }

    private boolean applied;

    /** Applies the layer to earlier nodes of a functional model; a layer can be applied once. */
    public Node apply(Node... inputs) {
        if (applied) {
            throw new IllegalStateException(name + ": already applied; create another layer (sharing is not supported)");
        }
        int[] widths = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            widths[i] = inputs[i].features();
        }
        int out = outputFeatures(widths);
        applied = true;
        return new Node(name, this, java.util.List.of(inputs), out);
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

    /**
     * Adds this layer's regularization penalty (L1/L2 on its weights), times {@code rows}, to the one-element
     * {@code lossSum} on the device, so that the reported loss includes it as in Keras. Most layers have none.
     */
    protected void addPenalty(Tensor lossSum, int rows) {
    }

    /** Trainable parameters, in a stable order: by default those made by {@link #addWeight}, in that order. */
    public List<Parameter> parameters() {
        return java.util.Collections.unmodifiableList(weights);
    }

    /**
     * The trainable scalars {@link #build} will allocate for these input widths: loading a model file checks
     * the architecture against the weights present before allocating anything. Layers with parameters override it.
     */
    long plannedParameterCount(int[] inputFeatures) {
        return -1;   // unknown until built: a user layer's weights come from its own build()
    }

    /**
     * The hook for training a softmax output through the exact {@code softmax(z) - y} cross-entropy gradient: a
     * layer whose output is a row-wise softmax of logits it computed returns true, and then implements
     * {@link #logits()} and {@link #backwardFromLogits}. The model uses it when the loss is a cross-entropy on
     * probabilities and nothing else reads the layer's output.
     */
    protected boolean softmaxOutput() {
        return false;
    }

    /** With {@link #softmaxOutput()}: the logits of the last forward pass. */
    protected Tensor logits() {
        throw new UnsupportedOperationException(name + ": no softmax output");
    }

    /** With {@link #softmaxOutput()}: the backward pass given {@code d loss / d logits}. */
    protected Tensor backwardFromLogits(Tensor gradLogits) {
        throw new UnsupportedOperationException(name + ": no softmax output");
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().size()).sum();
    }

    /**
     * The layer's architecture for a model file, or null if this layer cannot be saved: JSON-able values (strings,
     * numbers, booleans, lists, maps) with at least {@code "class"}, a name registered with
     * {@link LayerRegistry#register}, and {@code "name"}, the layer's name; no weights (they are saved apart).
     * Keras's {@code get_config}.
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
