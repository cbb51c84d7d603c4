package org.neurite.cpu;

import org.neurite.tensor.Activation;

/** One element of each activation and of its derivative from the output: the scalar definitions. */
final class ScalarMath {
    private ScalarMath() {
    }

    static float activate(Activation.Kind kind, float alpha, float x) {
        switch (kind) {
            case IDENTITY: return x;
            case HEAVISIDE: return x >= 0 ? 1f : 0f;
            case SIGN: return x > 0 ? 1f : x < 0 ? -1f : 0f;
            case SIGMOID: return sigmoid(x);
            case TANH: return (float) Math.tanh(x);
            case RELU: return x > 0 ? x : 0f;
            case LEAKY_RELU: return x > 0 ? x : alpha * x;
            case ELU: return x > 0 ? x : alpha * (float) Math.expm1(x);
            case SELU: return Activation.SELU_SCALE * (x > 0 ? x : Activation.SELU_ALPHA * (float) Math.expm1(x));
            case SOFTPLUS: return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
            default: throw new AssertionError(kind);
        }
    }

    /** f'(x) expressed through y = f(x). */
    static float derivative(Activation.Kind kind, float alpha, float y) {
        switch (kind) {
            case IDENTITY: return 1f;
            case HEAVISIDE:
            case SIGN: return 0f;
            case SIGMOID: return y * (1f - y);
            case TANH: return 1f - y * y;
            case RELU: return y > 0 ? 1f : 0f;
            case LEAKY_RELU: return y > 0 ? 1f : alpha;
            case ELU: return y > 0 ? 1f : y + alpha;
            case SELU: return y > 0 ? Activation.SELU_SCALE : y + Activation.SELU_SCALE * Activation.SELU_ALPHA;
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
