package org.neurite.tensor;

/**
 * An elementwise activation function, as the kernels take it: a kind and, for the parameterized kinds,
 * its parameter. Constants follow Keras.
 *
 * <p>Derivatives are computed from the <em>output</em> {@code y = f(x)}, not the input: every function
 * here allows it, and it lets a layer that fused its activation into GEMM keep one buffer instead of
 * two. Heaviside and sign have derivative 0 everywhere (their true derivative, almost everywhere). At the kink
 * x = 0 the derivatives are TensorFlow's gradient kernels', which Keras 3 trains with: relu'(0) = 0,
 * leaky_relu'(0) = alpha, elu'(0) = alpha (1 by default), selu'(0) = scale.
 *
 * <p>NaN in gives NaN out, for every function and every derivative but identity's (the constant 1), on every
 * backend: a NaN never turns into a finite value that would let training go on unnoticed.
 */
public record Activation(Kind kind, float alpha) {

    /** SELU's scale, as in Klambauer et al. 2017 and Keras. */
    public static final float SELU_SCALE = 1.0507009873554804934193349852946f;
    /** SELU's alpha, as in Klambauer et al. 2017 and Keras. */
    public static final float SELU_ALPHA = 1.6732632423543772848170429916717f;

    /** The functions. */
    public enum Kind {
        /** {@code x}. */
        IDENTITY,
        /** {@code x >= 0 ? 1 : 0} (McCulloch-Pitts, Rosenblatt). */
        HEAVISIDE,
        /** {@code x > 0 ? 1 : x < 0 ? -1 : 0}. */
        SIGN,
        /** {@code 1 / (1 + exp(-x))}. */
        SIGMOID,
        /** {@code tanh(x)}. */
        TANH,
        /** {@code max(x, 0)}. */
        RELU,
        /** {@code x > 0 ? x : alpha * x}, alpha in [0, 1). */
        LEAKY_RELU,
        /** {@code x > 0 ? x : alpha * (exp(x) - 1)}, alpha &gt; 0. */
        ELU,
        /** {@code scale * (x > 0 ? x : alpha * (exp(x) - 1))} with the fixed SELU constants. */
        SELU,
        /** {@code log(1 + exp(x))}, computed without overflow. */
        SOFTPLUS
    }

    /** Validates the parameter. */
    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("Activation: kind is null");
        }
        if (kind == Kind.LEAKY_RELU && !(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("Activation: leaky ReLU needs 0 <= alpha < 1, got " + alpha);
        }
        if (kind == Kind.ELU && !(alpha > 0)) {
            throw new IllegalArgumentException("Activation: ELU needs alpha > 0, got " + alpha);
        }
    }

    public static Activation identity() { return new Activation(Kind.IDENTITY, 0); }
    public static Activation heaviside() { return new Activation(Kind.HEAVISIDE, 0); }
    public static Activation sign() { return new Activation(Kind.SIGN, 0); }
    public static Activation sigmoid() { return new Activation(Kind.SIGMOID, 0); }
    public static Activation tanh() { return new Activation(Kind.TANH, 0); }
    public static Activation relu() { return new Activation(Kind.RELU, 0); }
    /** Leaky ReLU with Keras's default slope 0.3 for {@code LeakyReLU}; pass 0.01 for the paper's. */
    public static Activation leakyRelu(float alpha) { return new Activation(Kind.LEAKY_RELU, alpha); }
    /** ELU with Keras's default alpha 1. */
    public static Activation elu() { return new Activation(Kind.ELU, 1f); }
    public static Activation elu(float alpha) { return new Activation(Kind.ELU, alpha); }
    public static Activation selu() { return new Activation(Kind.SELU, SELU_ALPHA); }
    public static Activation softplus() { return new Activation(Kind.SOFTPLUS, 0); }

    /** {@code relu}, {@code leaky_relu(0.2)}: for messages and summaries. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.LEAKY_RELU || kind == Kind.ELU ? name + "(" + alpha + ")" : name;
    }
}
