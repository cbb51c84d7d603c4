package org.neurite.classic;

import java.util.Arrays;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * McCulloch and Pitts's threshold logic unit (1943): binary inputs, fixed weights, and a threshold;
 * the output is 1 when the weighted sum reaches the threshold. On the kernels it is one GEMM with a
 * bias of {@code -threshold} and a Heaviside epilogue, for a whole batch of input rows at once.
 *
 * <pre>{@code
 * ThresholdLogicUnit and = ThresholdLogicUnit.and(2);
 * float[] out = and.apply(backend, new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4);   // [0, 0, 0, 1]
 * }</pre>
 */
public final class ThresholdLogicUnit {
    private final float[] weights;
    private final float threshold;

    public ThresholdLogicUnit(float[] weights, float threshold) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("ThresholdLogicUnit: no inputs");
        }
        this.weights = weights.clone();
        this.threshold = threshold;
    }

    /** One input passed through: fires when it fires. */
    public static ThresholdLogicUnit identity() {
        return new ThresholdLogicUnit(new float[] {1}, 1);
    }

    /** Fires when all {@code n} inputs fire. */
    public static ThresholdLogicUnit and(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1);
        return new ThresholdLogicUnit(w, n);
    }

    /** Fires when at least one of {@code n} inputs fires. */
    public static ThresholdLogicUnit or(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1);
        return new ThresholdLogicUnit(w, 1);
    }

    /** {@code a AND NOT b}: the second input inhibits. */
    public static ThresholdLogicUnit andNot() {
        return new ThresholdLogicUnit(new float[] {1, -1}, 1);
    }

    public int inputs() {
        return weights.length;
    }

    /** Outputs (0 or 1) for {@code rows} input rows of {@link #inputs()} values each, row-major. */
    public float[] apply(Backend backend, float[] inputs, int rows) {
        if (inputs.length != rows * weights.length) {
            throw new IllegalArgumentException("ThresholdLogicUnit: " + inputs.length + " inputs for " + rows
                    + " rows of " + weights.length);
        }
        try (Tensor x = backend.tensor(inputs, rows, weights.length);
             Tensor w = backend.tensor(weights, weights.length, 1);
             Tensor bias = backend.tensor(new float[] {-threshold}, 1);
             Tensor out = backend.zeros(Shape.of(rows, 1))) {
            backend.kernels().gemm(false, false, 1f, x, w, 0f, out, bias, Activation.heaviside());
            return out.toFloatArray();
        }
    }
}
