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

    /** NaN, the infinities and both zeros, then two ordinary values: a cycle of seven. */
    static final float[] SPECIAL_CYCLE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1.5f, -2.5f};
    /** Lengths that put every element in the vector body and in the scalar tail of 4-, 8- and 16-lane loops. */
    static final int[] SPECIAL_SIZES = {1, 5, 8, 9, 17, 33, 67};

    /** {@code n} values where each of the seven shifts puts each special value at every position mod 7. */
    static float[] specials(int n, int shift) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = SPECIAL_CYCLE[(i + shift) % SPECIAL_CYCLE.length];
        }
        return x;
    }

    /**
     * The IEEE answer for NaN, the infinities and signed zeros, at every position of the vector body and the
     * tail: NaN in gives NaN out, forward and backward (identity's constant derivative aside), never a 0 that
     * would let a NaN weight train on unseen. Same tolerances as above.
     */
    @TestFactory
    Stream<DynamicTest> specialValuesGiveTheIeeeAnswerInEveryPosition() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Activation f : ALL) {
            tests.add(test(f.toString(), s -> {
                SplittableRandom r = new SplittableRandom(77);
                for (int n : SPECIAL_SIZES) {
                    for (int shift = 0; shift < SPECIAL_CYCLE.length; shift++) {
                        float[] x = specials(n, shift);
                        Tensor tx = s.tensor(x, n);
                        Tensor ty = s.zeros(n);
                        kernels.activate(f, tx, ty);
                        double[] ref = new double[n];
                        double[] dref = new double[n];
                        float[] dy = uniform(r, n, 0.5, 2);
                        for (int i = 0; i < n; i++) {
                            ref[i] = Reference.activate(f, x[i]);
                            dref[i] = dy[i] * Reference.derivative(f, x[i]);
                        }
                        Check.close(f + " forward n=" + n + " shift=" + shift, ty.toFloatArray(), ref, 1e-6, 2e-6);
                        Tensor tdx = s.zeros(n);
                        kernels.activateBackward(f, ty, s.tensor(dy, n), tdx);
                        Check.close(f + " backward n=" + n + " shift=" + shift, tdx.toFloatArray(), dref, 2e-6, 1e-5);
                    }
                }
            }));
        }
        return tests.stream();
    }

    /** The GEMM's fused bias + activation epilogue keeps NaN and infinities from A as the plain kernels do. */
    @TestFactory
    Stream<DynamicTest> gemmEpilogueKeepsNanAndInfinity() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Activation f : ALL) {
            tests.add(test(f.toString(), s -> {
                SplittableRandom r = new SplittableRandom(78);
                for (int[] mnk : new int[][] {{1, 1, 1}, {3, 9, 2}, {7, 17, 5}, {33, 40, 3}, {9, 67, 4}}) {
                    int m = mnk[0];
                    int n = mnk[1];
                    int k = mnk[2];
                    float[] a = uniform(r, m * k, -1, 1);
                    for (int i = 0; i < m; i += 2) {
                        a[i * k + (i / 2) % k] = SPECIAL_CYCLE[(i / 2) % 3];   // NaN, +inf, -inf in every other row
                    }
                    float[] b = uniform(r, k * n, 0.25, 1);   // positive: an infinity stays one
                    float[] bias = uniform(r, n, -1, 1);
                    double[] c = Reference.gemm(false, false, m, n, k, 1f, a, b, 0f, new float[m * n], bias, f)[0];
                    Tensor tc = s.zeros(m, n);
                    kernels.gemm(false, false, 1f, s.tensor(a, m, k), s.tensor(b, k, n), 0f, tc, s.tensor(bias, n), f);
                    Check.close(f + " gemm epilogue " + m + "x" + n + "x" + k, tc.toFloatArray(), c, 1e-5, 1e-5);
                }
            }));
        }
        return tests.stream();
    }

    /** A row holding NaN or +inf has no defined softmax: the whole row is NaN; -inf entries get 0. */
    @Test
    void softmaxOfSpecialValues() {
        try (TensorScope s = new TensorScope(backend)) {
            float nan = Float.NaN;
            float inf = Float.POSITIVE_INFINITY;
            int cols = 9;
            float[] x = new float[4 * cols];
            for (int j = 0; j < cols; j++) {
                x[j] = j;
                x[cols + j] = j;
                x[2 * cols + j] = j;
                x[3 * cols + j] = j % 2 == 0 ? -inf : 1f;
            }
            x[8] = nan;   // the tail of an 8-lane row
            x[cols] = nan;
            x[2 * cols + 4] = inf;
            Tensor y = s.zeros(4, cols);
            kernels.softmax(s.tensor(x, 4, cols), y);
            float[] out = y.toFloatArray();
            for (int j = 0; j < 3 * cols; j++) {
                assertTrue(Float.isNaN(out[j]), "softmax: element " + j + " is " + out[j] + ", expected NaN");
            }
            for (int j = 0; j < cols; j++) {
                float expected = j % 2 == 0 ? 0f : 0.25f;
                assertTrue(Math.abs(out[3 * cols + j] - expected) < 1e-6, "softmax with -inf: " + out[3 * cols + j]);
            }
        }
    }
}
