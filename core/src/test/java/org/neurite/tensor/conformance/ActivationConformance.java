package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * Activations, their derivatives and softmax against {@link Reference}, plus numerical derivative checks.
 *
 * <p>Tolerances: forward |y - ref| <= 1e-6 + 2e-6 |ref| (float transcendental functions are within a few
 * ulps); backward the same on {@code dy f'}; the numerical check compares with central differences of
 * the double-precision reference, |analytic - numeric| <= 1e-4 + 1e-3 |numeric|.
 */
public abstract class ActivationConformance extends ConformanceBase {
    static final Activation[] ALL = {Activation.identity(), Activation.heaviside(), Activation.sign(),
        Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.leakyRelu(0.01f),
        Activation.leakyRelu(0.3f), Activation.elu(), Activation.elu(0.5f), Activation.selu(), Activation.softplus()};

    /** Inputs away from the kinks at 0, where "the" derivative depends on a convention. */
    private static float[] inputs(SplittableRandom r, int n) {
        float[] x = uniform(r, n, -8, 8);
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 1e-3f) {
                x[i] = 0.5f;
            }
            if (r.nextInt(50) == 0) {
                x[i] = r.nextBoolean() ? 40f : -40f;   // saturation: no overflow, no NaN
            }
        }
        return x;
    }

    @TestFactory
    Stream<DynamicTest> forward() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(10);
        for (Activation f : ALL) {
            for (int n : SIZES) {
                long seed = seeds.nextLong();
                tests.add(test(f + " n=" + n, s -> {
                    float[] x = inputs(new SplittableRandom(seed), n);
                    Tensor tx = s.tensor(x, n);
                    Tensor ty = s.zeros(n);
                    kernels.activate(f, tx, ty);
                    double[] ref = new double[n];
                    for (int i = 0; i < n; i++) {
                        ref[i] = Reference.activate(f, x[i]);
                    }
                    Check.close(f + " forward", ty.toFloatArray(), ref, 1e-6, 2e-6);
                    kernels.activate(f, tx, tx);   // in place gives the same
                    assertArrayEquals(ty.toFloatArray(), tx.toFloatArray(), f + " in place");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> backwardFromOutput() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(11);
        for (Activation f : ALL) {
            for (int n : SIZES) {
                long seed = seeds.nextLong();
                tests.add(test(f + " n=" + n, s -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] x = inputs(r, n);
                    float[] dy = uniform(r, n, -2, 2);
                    float[] y = new float[n];
                    double[] ref = new double[n];
                    for (int i = 0; i < n; i++) {
                        y[i] = (float) Reference.activate(f, x[i]);
                        ref[i] = dy[i] * Reference.derivative(f, x[i]);
                    }
                    Tensor ty = s.tensor(y, n);
                    Tensor tdy = s.tensor(dy, n);
                    Tensor tdx = s.zeros(n);
                    kernels.activateBackward(f, ty, tdy, tdx);
                    // The derivative from a float output loses what the output rounded away (sigmoid near 1).
                    Check.close(f + " backward", tdx.toFloatArray(), ref, 2e-6, 1e-5);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> derivativeMatchesCentralDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Activation f : ALL) {
            tests.add(test(f.toString(), s -> {
                int n = 200;
                float[] x = uniform(new SplittableRandom(12), n, -4, 4);
                for (int i = 0; i < n; i++) {
                    if (Math.abs(x[i]) < 0.01f) {
                        x[i] = 0.3f;
                    }
                }
                Tensor tx = s.tensor(x, n);
                Tensor ty = s.zeros(n);
                kernels.activate(f, tx, ty);
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                Tensor tdx = s.zeros(n);
                kernels.activateBackward(f, ty, s.tensor(ones, n), tdx);
                double h = 1e-4;
                double[] numeric = new double[n];
                for (int i = 0; i < n; i++) {
                    numeric[i] = (Reference.activate(f, x[i] + h) - Reference.activate(f, x[i] - h)) / (2 * h);
                }
                Check.close(f + " vs central differences", tdx.toFloatArray(), numeric, 1e-4, 1e-3);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> softmaxForwardAndBackward() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(13);
        int[][] shapes = {{1, 1}, {1, 2}, {3, 1}, {2, 3}, {7, 9}, {32, 10}, {5, 17}, {1, 1000}, {256, 10}, {64, 33},
            {3000, 10}};
        for (int[] shape : shapes) {
            for (double spread : new double[] {1, 30, 500}) {
                long seed = seeds.nextLong();
                int rows = shape[0];
                int cols = shape[1];
                tests.add(test(rows + "x" + cols + " logits in +-" + spread, s -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] x = uniform(r, rows * cols, -spread, spread);
                    Tensor tx = s.tensor(x, rows, cols);
                    Tensor ty = s.zeros(rows, cols);
                    kernels.softmax(tx, ty);
                    double[] ref = Reference.softmax(x, rows, cols);
                    float[] y = ty.toFloatArray();
                    Check.close("softmax", y, ref, 1e-6, 1e-5);
                    float[] dy = uniform(r, rows * cols, -1, 1);
                    double[] dxRef = new double[rows * cols];
                    for (int i = 0; i < rows; i++) {
                        double dot = 0;
                        for (int j = 0; j < cols; j++) {
                            dot += dy[i * cols + j] * (double) y[i * cols + j];
                        }
                        for (int j = 0; j < cols; j++) {
                            dxRef[i * cols + j] = y[i * cols + j] * (dy[i * cols + j] - dot);
                        }
                    }
                    Tensor tdx = s.zeros(rows, cols);
                    kernels.softmaxBackward(ty, s.tensor(dy, rows, cols), tdx);
                    Check.close("softmaxBackward", tdx.toFloatArray(), dxRef, 1e-6, 1e-5);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void softmaxOfHugeLogitsIsFinite() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor x = s.tensor(new float[] {1e30f, 1e30f, -1e30f, 88f, 89f, 90f}, 2, 3);
            Tensor y = s.zeros(2, 3);
            kernels.softmax(x, y);
            for (float v : y.toFloatArray()) {
                assertTrue(Float.isFinite(v), "softmax overflowed");
            }
        }
    }
}
