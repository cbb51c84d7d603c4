package org.neurite.cpu;

import org.neurite.tensor.Activation;

/**
 * One element of each activation and of its derivative from the output: the scalar definitions. NaN in gives NaN
 * out, for the value and for the derivative (identity's derivative, the constant 1, aside): each piecewise branch
 * tests {@code x <= 0}, which NaN fails, so NaN takes the {@code x} branch, and the step functions test for it.
 */
final class ScalarMath {
    private ScalarMath() {
    }

    static float activate(Activation.Kind kind, float alpha, float x) {
        switch (kind) {
            case IDENTITY: return x;
            case HEAVISIDE: return x >= 0 ? 1f : x < 0 ? 0f : Float.NaN;
            case SIGN: return x > 0 ? 1f : x < 0 ? -1f : x == 0 ? 0f : Float.NaN;
            case SIGMOID: return sigmoid(x);
            case TANH: return (float) Math.tanh(x);
            case RELU: return x <= 0 ? 0f : x;
            case LEAKY_RELU: return x <= 0 ? alpha * x : x;
            case ELU: return x <= 0 ? alpha * (float) Math.expm1(x) : x;
            case SELU: return Activation.SELU_SCALE * (x <= 0 ? Activation.SELU_ALPHA * (float) Math.expm1(x) : x);
            case SOFTPLUS: return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
            default: throw new AssertionError(kind);
        }
    }

    /** f'(x) expressed through y = f(x). */
    static float derivative(Activation.Kind kind, float alpha, float y) {
        switch (kind) {
            case IDENTITY: return 1f;
            case HEAVISIDE:
            case SIGN: return y == y ? 0f : Float.NaN;
            case SIGMOID: return y * (1f - y);
            case TANH: return 1f - y * y;
            case RELU: return y > 0 ? 1f : y <= 0 ? 0f : Float.NaN;
            case LEAKY_RELU: return y > 0 ? 1f : y <= 0 ? alpha : Float.NaN;
            case ELU: return y > 0 ? 1f : y + alpha;
            // at 0, TensorFlow's SeluGrad (activations < 0 ? ... : scale), which Keras 3 trains with
            case SELU: return y >= 0 ? Activation.SELU_SCALE : y + Activation.SELU_SCALE * Activation.SELU_ALPHA;
            case SOFTPLUS: return (float) -Math.expm1(-(double) y);
            default: throw new AssertionError(kind);
        }
    }

    static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
