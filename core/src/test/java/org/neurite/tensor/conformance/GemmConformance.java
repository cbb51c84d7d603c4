package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * GEMM with transposes, alpha, beta, bias and activation against {@link Reference#gemm}.
 *
 * <p>Tolerance: |C - ref| <= 8 (k + 2) u B + 1e-6, with u = 2^-24 the float unit roundoff and B the sum of
 * the absolute values of the terms (the standard forward error bound of a dot product, with a factor 8 of
 * slack for the epilogue's function evaluation).
 */
public abstract class GemmConformance extends ConformanceBase {
    private static final double U = Math.ulp(1f) / 2;

    private static final int[][] FIXED = {
        {1, 1, 1}, {1, 1, 7}, {1, 9, 1}, {7, 1, 1}, {2, 3, 4}, {5, 3, 17}, {6, 16, 16}, {6, 17, 5}, {13, 29, 7},
        {33, 65, 31}, {63, 17, 129}, {4, 8, 300}, {12, 33, 257}, {64, 64, 64}, {32, 300, 784}, {32, 10, 100},
        {1100, 37, 300}, {20, 530, 1100}, {257, 1025, 64}, {4, 2100, 8}, {1024, 1024, 16}, {3, 1, 1030}};

    @TestFactory
    Stream<DynamicTest> fixedShapesEveryTransposeCombination() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int[] s : FIXED) {
            for (int t = 0; t < 4; t++) {
                tests.add(gemmCase(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1f, 0f, false, Activation.identity(),
                        r.nextLong()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> randomShapesAlphaBetaBiasActivation() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        float[] alphas = {1f, -1f, 0.5f, 1.7f, 0f};
        float[] betas = {0f, 1f, -0.3f, 2.5f};
        Activation[] fs = {Activation.identity(), Activation.relu(), Activation.sigmoid(), Activation.tanh(),
            Activation.leakyRelu(0.2f), Activation.elu(), Activation.selu(), Activation.softplus()};
        for (int i = 0; i < 240; i++) {
            int m = dim(r);
            int n = dim(r);
            int k = dim(r);
            tests.add(gemmCase(m, n, k, r.nextBoolean(), r.nextBoolean(), alphas[r.nextInt(alphas.length)],
                    betas[r.nextInt(betas.length)], r.nextBoolean(), fs[r.nextInt(fs.length)], r.nextLong()));
        }
        return tests.stream();
    }

    /**
     * Short, deep products (a dense layer's forward pass on a batch), which a multi-threaded backend may split along
     * the depth and sum: with beta, bias and activation applied once, not per part, in every transpose combination,
     * with a depth that is not a multiple of any tile.
     */
    @TestFactory
    Stream<DynamicTest> shortDeepProductsWithBetaBiasActivation() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(4);
        int[][] shapes = {{32, 300, 784}, {16, 200, 901}, {9, 37, 1203}, {64, 100, 300}, {2, 500, 2050}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                tests.add(gemmCase(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, t == 3 ? 0f : 0.5f, -0.3f, true,
                        t == 0 ? Activation.relu() : Activation.tanh(), r.nextLong()));
            }
        }
        return tests.stream();
    }

    /**
     * NaN and infinity in a short, deep product, placed in different halves of the depth (which a backend may sum in
     * separate parts): a NaN row stays NaN, an infinite input gives signed infinities, the other rows are exact.
     */
    @Test
    void nanAndInfinityInAShortDeepProduct() {
        try (TensorScope s = new TensorScope(backend)) {
            SplittableRandom r = new SplittableRandom(5);
            int m = 16;
            int n = 200;
            int k = 900;
            float[] a = uniform(r, m * k, -1, 1);
            float[] b = uniform(r, k * n, 0.1, 1);
            for (int j = 0; j < n; j++) {
                b[100 * n + j] = j % 2 == 0 ? 0.5f : -0.5f;
            }
            a[3 * k + 700] = Float.NaN;
            a[5 * k + 100] = Float.POSITIVE_INFINITY;
            Tensor c = s.zeros(m, n);
            kernels.gemm(false, false, 1f, s.tensor(a, m, k), s.tensor(b, k, n), 0f, c);
            float[] got = c.toFloatArray();
            double[][] ref = Reference.gemm(false, false, m, n, k, 1f, a, b, 0f, new float[m * n], null,
                    Activation.identity());
            for (int j = 0; j < n; j++) {
                assertTrue(Float.isNaN(got[3 * n + j]), "row with a NaN, column " + j + ": " + got[3 * n + j]);
                assertEquals(j % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, got[5 * n + j],
                        "row with +inf, column " + j);
            }
            float[] finite = got.clone();
            double[] expect = ref[0].clone();
            double[] bound = ref[1].clone();
            for (int j = 0; j < n; j++) {
                for (int row : new int[] {3, 5}) {
                    finite[row * n + j] = 0f;
                    expect[row * n + j] = 0;
                    bound[row * n + j] = 0;
                }
            }
            Check.withinBound("short, deep product beside NaN and inf rows", finite, expect, bound, 8 * (k + 2) * U,
                    1e-6);
        }
    }

    /** Mostly small and odd, sometimes a few hundred: the sizes where edge handling goes wrong. */
    private static int dim(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0: return 1 + r.nextInt(8);
            case 1: return 1 + r.nextInt(40);
            case 2: return 1 + r.nextInt(130);
            default: return 100 + r.nextInt(300);
        }
    }

    private DynamicTest gemmCase(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta,
                                 boolean withBias, Activation f, long seed) {
        String name = String.format(Locale.ROOT, "%s%s m=%d n=%d k=%d alpha=%s beta=%s%s %s", ta ? "T" : "N",
                tb ? "T" : "N", m, n, k, alpha, beta, withBias ? " bias" : "", f);
        return test(name, s -> {
            SplittableRandom r = new SplittableRandom(seed);
            float[] a = uniform(r, m * k, -1, 1);
            float[] b = uniform(r, k * n, -1, 1);
            float[] c = uniform(r, m * n, -1, 1);
            float[] bias = withBias ? uniform(r, n, -1, 1) : null;
            Tensor ta_ = s.tensor(a, ta ? k : m, ta ? m : k);
            Tensor tb_ = s.tensor(b, tb ? n : k, tb ? k : n);
            Tensor tc = s.tensor(c, m, n);
            Tensor tbias = withBias ? s.tensor(bias, n) : null;
            kernels.gemm(ta, tb, alpha, ta_, tb_, beta, tc, tbias, f);
            double[][] ref = Reference.gemm(ta, tb, m, n, k, alpha, a, b, beta, c, bias, f);
            Check.withinBound(name, tc.toFloatArray(), ref[0], ref[1], 8 * (k + 2) * U, 1e-6);
        });
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        try (TensorScope s = new TensorScope(backend)) {
            float[] nan = new float[6];
            java.util.Arrays.fill(nan, Float.NaN);
            Tensor a = s.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = s.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor c = s.tensor(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
            kernels.gemm(false, false, 1f, a, b, 0f, c);
            assertArrayEquals(new float[] {4, 5, 10, 11}, c.toFloatArray());
        }
    }

    @Test
    void zeroInnerDimensionGivesBetaTimesCPlusBias() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor a = s.zeros(3, 0);
            Tensor b = s.zeros(0, 2);
            Tensor c = s.tensor(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
            Tensor bias = s.tensor(new float[] {10, -10}, 2);
            kernels.gemm(false, false, 1f, a, b, 2f, c, bias, Activation.relu());
            assertArrayEquals(new float[] {12, 0, 16, 0, 20, 2}, c.toFloatArray());
        }
    }

    @Test
    void resultsAreDeterministic() {
        SplittableRandom r = new SplittableRandom(3);
        sameTwice(r, 300, 400, 500, "two identical GEMMs differ");
        sameTwice(r, 32, 300, 784, "two identical short, deep GEMMs differ");   // a layer's forward pass
    }

    /** Runs the same random m x k by k x n product twice and asserts the two results are bit for bit the same. */
    private void sameTwice(SplittableRandom r, int m, int n, int k, String message) {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor a = s.tensor(uniform(r, m * k, -1, 1), m, k);
            Tensor b = s.tensor(uniform(r, k * n, -1, 1), k, n);
            Tensor c1 = s.zeros(m, n);
            Tensor c2 = s.zeros(m, n);
            kernels.gemm(false, false, 1f, a, b, 0f, c1);
            kernels.gemm(false, false, 1f, a, b, 0f, c2);
            assertArrayEquals(c1.toFloatArray(), c2.toFloatArray(), message);
        }
    }
}
