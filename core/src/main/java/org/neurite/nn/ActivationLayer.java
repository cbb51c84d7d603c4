package org.neurite.nn;

import org.neurite.tensor.Activation;
import org.neurite.tensor.Tensor;

/**
 * An activation on its own, as Keras's {@code Activation("relu")} layer (named so here to keep clear of
 * the kernels' {@link Activation}). Softmax is not offered: use {@code Dense(n, "softmax")}, which can fuse
 * with the cross-entropy.
 */
public final class ActivationLayer extends Layer {
    private final Activation activation;
    private Tensor lastOutput;

    /** An activation by Keras name ({@code relu}, {@code leaky_relu}, ...); softmax is refused (see the class). */
    public ActivationLayer(String activation) {
        super(uniqueName("activation"));
        Activation f = Dense.parse(activation);
        if (f == null) {
            throw new IllegalArgumentException("ActivationLayer: softmax is a Dense option (Dense(n, \"softmax\"))");
        }
        this.activation = f;
    }

    /** A kernel activation with its parameter, e.g. {@code Activation.leakyRelu(0.3f)} for Keras's {@code LeakyReLU()}. */
    public ActivationLayer(Activation activation) {
        super(uniqueName("activation"));
        if (activation == null) {
            throw new IllegalArgumentException("ActivationLayer: activation is null");
        }
        this.activation = activation;
    }

    /** The function. */
    public Activation activation() {
        return activation;
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        return inputFeatures;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        lastOutput = buffers.get(backend, "output", input.rows(), inputFeatures);
        backend.kernels().activate(activation, input, lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dx = buffers.get(backend, "dx", gradOutput.rows(), inputFeatures);
        backend.kernels().activateBackward(activation, lastOutput, gradOutput, dx);
        return dx;
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "ActivationLayer", "name", name(), "activation", activation.kind().name(),
                "alpha", (double) activation.alpha());
    }

    static ActivationLayer fromConfig(Config c) {
        return new ActivationLayer(c.string("name"),
                new Activation(c.enumValue("activation", Activation.Kind.class), c.floatNumber("alpha")));
    }

    private ActivationLayer(String name, Activation activation) {
        super(name);
        this.activation = activation;
    }

    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return 0;
    }
}
