package org.neurite.classic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Rosenblatt's perceptron (1957): a threshold unit whose weights are learned, one sample at a time, by
 * the perceptron rule {@code w <- w + eta (y - y_hat) x} (and the same for the bias). With Heaviside
 * outputs targets are 0/1; with sign outputs they are -1/+1. It converges on linearly separable data
 * (Novikoff 1962) and never on XOR (Minsky and Papert 1969).
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(2, Activation.heaviside(), 0.1f, 42);
 * List<Integer> errors = p.fit(x, y, 20);    // misclassifications per epoch, ending in 0 when separable
 * float[] predicted = p.predict(backend, x, rows);
 * }</pre>
 */
public final class Perceptron {
    private final float[] weights;
    private float bias;
    private final Activation output;
    private final float learningRate;
    private final SplittableRandom random;

    /** {@code output} is {@link Activation#heaviside()} or {@link Activation#sign()}. */
    public Perceptron(int inputs, Activation output, float learningRate, long seed) {
        if (output.kind() != Activation.Kind.HEAVISIDE && output.kind() != Activation.Kind.SIGN) {
            throw new IllegalArgumentException("Perceptron: output must be heaviside or sign, got " + output);
        }
        this.weights = new float[inputs];
        this.output = output;
        this.learningRate = learningRate;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Runs the perceptron rule over the samples (in a fresh random order each epoch) until an epoch makes
     * no mistake or {@code maxEpochs} pass. Returns the mistakes of each epoch.
     */
    public List<Integer> fit(float[] x, float[] y, int maxEpochs) {
        int n = weights.length;
        int rows = y.length;
        if (x.length != rows * n) {
            throw new IllegalArgumentException("Perceptron: x has " + x.length + " values for " + rows + " rows of " + n);
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        List<Integer> mistakes = new ArrayList<>();
        for (int epoch = 0; epoch < maxEpochs; epoch++) {
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int errors = 0;
            for (int r : order) {
                float predicted = unit(x, r * n);
                float delta = learningRate * (y[r] - predicted);
                if (delta != 0) {
                    errors++;
                    for (int j = 0; j < n; j++) {
                        weights[j] += delta * x[r * n + j];
                    }
                    bias += delta;
                }
            }
            mistakes.add(errors);
            if (errors == 0) {
                break;
            }
        }
        return mistakes;
    }

    private float unit(float[] x, int off) {
        double s = bias;
        for (int j = 0; j < weights.length; j++) {
            s += weights[j] * x[off + j];
        }
        return output.kind() == Activation.Kind.HEAVISIDE ? (s >= 0 ? 1 : 0) : (s > 0 ? 1 : s < 0 ? -1 : 0);
    }

    /** Predictions for a batch, on the backend: one GEMM with the bias and the step function fused. */
    public float[] predict(Backend backend, float[] x, int rows) {
        try (Tensor tx = backend.tensor(x, rows, weights.length);
             Tensor w = backend.tensor(weights, weights.length, 1);
             Tensor b = backend.tensor(new float[] {bias}, 1);
             Tensor out = backend.zeros(Shape.of(rows, 1))) {
            backend.kernels().gemm(false, false, 1f, tx, w, 0f, out, b, output);
            return out.toFloatArray();
        }
    }

    public float[] weights() {
        return weights.clone();
    }

    public float bias() {
        return bias;
    }
}
