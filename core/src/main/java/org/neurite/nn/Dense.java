package org.neurite.nn;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/**
 * A fully connected layer, {@code y = f(x W + b)}: one GEMM with the bias and the activation fused in.
 *
 * <pre>{@code
 * new Dense(300, "relu");          // Glorot-uniform kernel, zero bias, as Keras
 * new Dense(10, "softmax");        // row-wise softmax output
 * new Dense(1, Activation.sigmoid(), true, Initializer.GLOROT_UNIFORM);
 * }</pre>
 *
 * <p>Backward: {@code dz = dy f'(y)} (from the output), {@code dW = x^T dz}, {@code db = sum_rows dz},
 * {@code dx = dz W^T}.
 */
public final class Dense extends Layer {

    private final int units;
    private final Activation activation;   // null for softmax
    private final boolean softmax;
    private final boolean useBias;
    private final Initializer initializer;
    private Parameter kernel;
    private Parameter bias;
    private Tensor lastInput;
    private Tensor lastLogits;
    private Tensor lastOutput;
    private float l1;
    private float l2;

    /**
     * A dense layer with a Keras activation name: linear, relu, sigmoid, tanh, softmax, elu, selu, ... Its kernel
     * starts Glorot-uniform whatever the activation, as Keras's {@code Dense}; ask for LeCun-normal (for SELU's
     * self-normalization) or He (for ReLU) with {@link #Dense(int, String, Initializer)}.
     */
    public Dense(int units, String activation) {
        this(units, activation, true, Initializer.GLOROT_UNIFORM);
    }

    /** A dense layer with a Keras activation name and a kernel initializer ({@code kernel_initializer}). */
    public Dense(int units, String activation, Initializer kernelInitializer) {
        this(units, activation, true, kernelInitializer);
    }

    /** A dense layer with a kernel-level activation (no softmax), bias, and the given initializer. */
    public Dense(int units, Activation activation, boolean useBias, Initializer initializer) {
        this(units, activation.toString(), activation, false, useBias, initializer);
    }

    private Dense(int units, String activation, boolean useBias, Initializer initializer) {
        this(units, activation, parse(activation), activation.equalsIgnoreCase("softmax"), useBias, initializer);
    }

    private Dense(int units, String label, Activation activation, boolean softmax, boolean useBias,
                  Initializer initializer) {
        this(uniqueName("dense"), units, activation, softmax, useBias, initializer);
    }

    private Dense(String name, int units, Activation activation, boolean softmax, boolean useBias,
                  Initializer initializer) {
        super(name);
        if (units < 1) {
            throw new IllegalArgumentException("Dense: units must be at least 1, got " + units);
        }
        this.units = units;
        this.activation = activation;
        this.softmax = softmax;
        this.useBias = useBias;
        this.initializer = initializer;
    }

    /** Keras's activation names, mapped to kernel activations; softmax maps to null (a row-wise op). */
    static Activation parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "linear": case "identity": return Activation.identity();
            case "relu": return Activation.relu();
            case "sigmoid": return Activation.sigmoid();
            case "tanh": return Activation.tanh();
            case "elu": return Activation.elu();
            case "selu": return Activation.selu();
            case "softplus": return Activation.softplus();
            case "leaky_relu": return Activation.leakyRelu(0.2f);
            case "heaviside": return Activation.heaviside();
            case "sign": return Activation.sign();
            case "softmax": return null;
            default:
                throw new IllegalArgumentException("Dense: unknown activation '" + name + "' (known: linear, relu, "
                        + "sigmoid, tanh, softmax, elu, selu, softplus, leaky_relu, heaviside, sign)");
        }
    }

    /**
     * Adds {@code l1 * sum|W| + l2 * sum W^2} on the kernel to the loss, as Keras's
     * {@code kernel_regularizer=L1L2(l1, l2)}; returns this layer.
     */
    public Dense regularize(float l1, float l2) {
        if (!(l1 >= 0 && l2 >= 0)) {
            throw new IllegalArgumentException(name() + ": regularization factors must be >= 0, got " + l1 + ", " + l2);
        }
        this.l1 = l1;
        this.l2 = l2;
        return this;
    }

    float l1() {
        return l1;
    }

    float l2() {
        return l2;
    }

    @Override
    protected void addPenalty(Tensor lossSum, int rows) {
        if (l1 == 0f && l2 == 0f) {
            return;
        }
        Kernels k = backend.kernels();
        Tensor w = kernel.value();
        Tensor tmp = buffers.get(backend, "penalty", w.shape());
        Tensor sum = buffers.get(backend, "penaltySum", org.neurite.tensor.Shape.of(1));
        if (l2 != 0f) {
            k.multiply(w, w, tmp);
            k.sumAll(tmp, sum);
            k.axpy(l2 * rows, sum, lossSum);
        }
        if (l1 != 0f) {
            k.activate(Activation.sign(), w, tmp);
            k.multiply(w, tmp, tmp);
            k.sumAll(tmp, sum);
            k.axpy(l1 * rows, sum, lossSum);
        }
    }

    @Override
    protected java.util.Map<String, Object> config() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("l1", (double) l1);
        c.put("l2", (double) l2);
        c.put("class", "Dense");
        c.put("name", name());
        c.put("units", units);
        c.put("activation", softmax ? "SOFTMAX" : activation.kind().name());
        c.put("alpha", softmax ? 0.0 : (double) activation.alpha());
        c.put("use_bias", useBias);
        c.put("initializer", initializer.name());
        return c;
    }

    /** Rebuilds a layer from {@link #config()}. */
    static Dense fromConfig(Config c) {
        String act = c.string("activation");
        boolean softmax = act.equals("SOFTMAX");
        Activation f = softmax ? null : new Activation(c.enumValue("activation", Activation.Kind.class),
                c.floatNumber("alpha"));
        Dense d = new Dense(c.string("name"), c.integer("units", 1, Integer.MAX_VALUE), f, softmax, c.bool("use_bias"),
                c.enumValue("initializer", Initializer.class));
        return c.has("l1") ? d.regularize(c.floatNumber("l1"), c.floatNumber("l2")) : d;
    }

    /** The scalars {@link #build} will allocate for an input of {@code inputFeatures}, computed exactly. */
    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return Math.addExact(Math.multiplyExact((long) inputFeatures[0], units), useBias ? units : 0);
    }

    /** The kernel activation, or null when the layer ends in a row-wise softmax ({@link #softmax()}). */
    public Activation activation() {
        return activation;
    }

    /** Whether the layer adds a bias. */
    public boolean useBias() {
        return useBias;
    }

    public int units() {
        return units;
    }

    /** Whether the output is a row-wise softmax. */
    public boolean softmax() {
        return softmax;
    }

    /** The activation's name for summaries. */
    public String activationName() {
        return softmax ? "softmax" : activation.toString();
    }

    @Override
    public int outputFeatures(int in) {
        return units;
    }

    @Override
    public void build(Backend backend, int inputFeatures, SplittableRandom random) {
        super.build(backend, inputFeatures, random);
        org.neurite.tensor.Shape.of(inputFeatures, units);   // refuses a kernel too large to hold, with the numbers
        float[] w = initializer.sample(random, inputFeatures, units);
        kernel = new Parameter(name() + "/kernel", backend.tensor(w, inputFeatures, units),
                backend.zeros(org.neurite.tensor.Shape.of(inputFeatures, units)));
        if (useBias) {
            bias = new Parameter(name() + "/bias", backend.zeros(org.neurite.tensor.Shape.of(units)),
                    backend.zeros(org.neurite.tensor.Shape.of(units)));
        }
    }

    @Override
    public List<Parameter> parameters() {
        if (kernel == null) {
            return List.of();
        }
        return useBias ? List.of(kernel, bias) : List.of(kernel);
    }

    /** The kernel {@code [in, units]}. */
    public Parameter kernel() {
        return kernel;
    }

    /** The bias {@code [units]}, or null without one. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (input.cols() != inputFeatures) {
            throw new IllegalArgumentException(name() + ": expected " + inputFeatures + " input features, got "
                    + input.shape());
        }
        Kernels k = backend.kernels();
        int rows = input.rows();
        lastInput = input;
        Tensor b = useBias ? bias.value() : null;
        if (softmax) {
            lastLogits = buffers.get(backend, "logits", rows, units);
            lastOutput = buffers.get(backend, "output", rows, units);
            k.gemm(false, false, 1f, input, kernel.value(), 0f, lastLogits, b, Activation.identity());
            k.softmax(lastLogits, lastOutput);
        } else {
            lastOutput = buffers.get(backend, "output", rows, units);
            k.gemm(false, false, 1f, input, kernel.value(), 0f, lastOutput, b, activation);
        }
        return lastOutput;
    }

    /** The pre-softmax values of the last forward (softmax layers only): what a fused loss reads. */
    @Override
    protected Tensor logits() {
        return lastLogits;
    }

    @Override
    protected boolean softmaxOutput() {
        return softmax;
    }

    @Override
    protected Tensor backwardFromLogits(Tensor gradLogits) {
        return backwardFromPreActivation(gradLogits);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor dz = buffers.get(backend, "dz", gradOutput.rows(), units);
        if (softmax) {
            backend.kernels().softmaxBackward(lastOutput, gradOutput, dz);
        } else {
            backend.kernels().activateBackward(activation, lastOutput, gradOutput, dz);
        }
        return backwardFromPreActivation(dz);
    }

    /** Backward given {@code d loss / d (x W + b)} directly: the fused softmax + cross-entropy path. */
    Tensor backwardFromPreActivation(Tensor dz) {
        Kernels k = backend.kernels();
        // The kernel's plain SGD step inside the backward GEMM (Optimizer.updateInBackward): with an L2 penalty,
        // W - rate (x^T dz + 2 l2 W) = (1 - 2 rate l2) W - rate x^T dz, so beta carries the decay. Not with L1.
        float rate = backwardStepRate;
        boolean stepHere = !Float.isNaN(rate) && l1 == 0f;
        if (!stepHere) {
            k.gemm(true, false, 1f, lastInput, dz, 0f, kernel.gradient());
            if (l2 != 0f) {
                k.axpy(2 * l2, kernel.value(), kernel.gradient());
            }
            if (l1 != 0f) {
                Tensor sign = buffers.get(backend, "sign", kernel.value().shape());
                k.activate(Activation.sign(), kernel.value(), sign);
                k.axpy(l1, sign, kernel.gradient());
            }
        }
        if (useBias) {
            k.sum(dz, 0, bias.gradient());
        }
        Tensor dx = null;
        if (inputGradientNeeded) {
            dx = buffers.get(backend, "dx", dz.rows(), inputFeatures);
            k.gemm(false, true, 1f, dz, kernel.value(), 0f, dx);   // before the step below: the old W
        }
        if (stepHere) {
            k.gemm(true, false, -rate, lastInput, dz, 1f - 2f * rate * l2, kernel.value());
            kernel.steppedInBackward = true;
        }
        return dx;
    }
}
