package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.Tensor;

/**
 * Gather, copy, fill, axpy, scale, add and multiply. These are exact in float (one rounding per element,
 * the same as the reference's), so the comparison is exact, except axpy, which may fuse its multiply-add
 * (|y - ref| <= 1 ulp-scale: 1e-7 + 2^-23 |ref|).
 */
public abstract class DataMovementConformance extends ConformanceBase {

    @TestFactory
    Stream<DynamicTest> elementwise() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 60;
        SplittableRandom sizes = new SplittableRandom(61);
        int[] all = java.util.stream.IntStream.concat(java.util.Arrays.stream(SIZES),
                java.util.stream.IntStream.generate(() -> 1 + sizes.nextInt(5000)).limit(60)).toArray();
        for (int n : all) {
            long sd = seed++;
            tests.add(test("add, multiply, scale, fill, copy n=" + n, s -> {
                SplittableRandom r = new SplittableRandom(sd);
                float[] a = uniform(r, n, -5, 5);
                float[] b = uniform(r, n, -5, 5);
                float[] sum = new float[n];
                float[] prod = new float[n];
                float[] scaled = new float[n];
                for (int i = 0; i < n; i++) {
                    sum[i] = a[i] + b[i];
                    prod[i] = a[i] * b[i];
                    scaled[i] = -1.5f * a[i];
                }
                Tensor ta = s.tensor(a, n);
                Tensor tb = s.tensor(b, n);
                Tensor out = s.zeros(n);
                kernels.add(ta, tb, out);
                assertArrayEquals(sum, out.toFloatArray(), "add");
                kernels.multiply(ta, tb, out);
                assertArrayEquals(prod, out.toFloatArray(), "multiply");
                kernels.add(ta, tb, ta);
                assertArrayEquals(sum, ta.toFloatArray(), "add in place");
                kernels.copy(tb, out);
                assertArrayEquals(b, out.toFloatArray(), "copy");
                kernels.fill(out, 3.25f);
                float[] filled = new float[n];
                java.util.Arrays.fill(filled, 3.25f);
                assertArrayEquals(filled, out.toFloatArray(), "fill");
                Tensor tc = s.tensor(a, n);
                kernels.scale(-1.5f, tc);
                assertArrayEquals(scaled, tc.toFloatArray(), "scale");
            }));
            tests.add(test("clip n=" + n, s -> {
                float[] x = uniform(new SplittableRandom(sd), n, -3, 3);
                float[] ref = new float[n];
                for (int i = 0; i < n; i++) {
                    ref[i] = Math.min(Math.max(x[i], -1.25f), 0.5f);
                }
                Tensor tx = s.tensor(x, n);
                Tensor out = s.zeros(n);
                kernels.clip(tx, -1.25f, 0.5f, out);
                assertArrayEquals(ref, out.toFloatArray());
                kernels.clip(tx, -1.25f, 0.5f, tx);
                assertArrayEquals(ref, tx.toFloatArray(), "clip in place");
            }));
            tests.add(test("axpy n=" + n, s -> {
                SplittableRandom r = new SplittableRandom(sd);
                float[] x = uniform(r, n, -5, 5);
                float[] y = uniform(r, n, -5, 5);
                double[] ref = new double[n];
                for (int i = 0; i < n; i++) {
                    ref[i] = y[i] + 0.75 * x[i];
                }
                Tensor ty = s.tensor(y, n);
                kernels.axpy(0.75f, s.tensor(x, n), ty);
                Check.close("axpy", ty.toFloatArray(), ref, 1e-6, Math.ulp(1f));
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> copyColumns() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(80);
        for (int i = 0; i < 60; i++) {
            int rows = 1 + seeds.nextInt(40);
            int sw = 1 + seeds.nextInt(50);
            int dw = 1 + seeds.nextInt(50);
            int cols = seeds.nextInt(Math.min(sw, dw) + 1);
            int srcCol = seeds.nextInt(sw - cols + 1);
            int dstCol = seeds.nextInt(dw - cols + 1);
            long sd = seeds.nextLong();
            tests.add(test(rows + "x" + sw + "[" + srcCol + "+" + cols + "] -> " + rows + "x" + dw + "[" + dstCol + "]", s -> {
                SplittableRandom r = new SplittableRandom(sd);
                float[] src = uniform(r, rows * sw, -1, 1);
                float[] dst = uniform(r, rows * dw, -1, 1);
                float[] ref = dst.clone();
                for (int row = 0; row < rows; row++) {
                    System.arraycopy(src, row * sw + srcCol, ref, row * dw + dstCol, cols);
                }
                Tensor out = s.tensor(dst, rows, dw);
                kernels.copyColumns(s.tensor(src, rows, sw), srcCol, out, dstCol, cols);
                assertArrayEquals(ref, out.toFloatArray());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> affineColumns() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(90);
        for (int i = 0; i < 40; i++) {
            int rows = 1 + seeds.nextInt(60);
            int cols = 1 + seeds.nextInt(70);
            long sd = seeds.nextLong();
            tests.add(test(rows + "x" + cols, s -> {
                SplittableRandom r = new SplittableRandom(sd);
                float[] x = uniform(r, rows * cols, -3, 3);
                float[] a = uniform(r, cols, -2, 2);
                float[] b = uniform(r, cols, -2, 2);
                double[] ref = new double[rows * cols];
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < cols; j++) {
                        ref[row * cols + j] = (double) x[row * cols + j] * a[j] + b[j];
                    }
                }
                Tensor tx = s.tensor(x, rows, cols);
                Tensor out = s.zeros(rows, cols);
                kernels.affineColumns(tx, s.tensor(a, cols), s.tensor(b, cols), out);
                Check.close("affineColumns", out.toFloatArray(), ref, 1e-6, Math.ulp(1f));
                kernels.affineColumns(tx, s.tensor(a, cols), s.tensor(b, cols), tx);
                assertArrayEquals(out.toFloatArray(), tx.toFloatArray(), "in place");
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> gatherRows() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(70);
        List<int[]> shapes = new ArrayList<>(List.of(new int[] {1, 1}, new int[] {5, 3}, new int[] {100, 784},
                new int[] {60, 1}, new int[] {33, 17}, new int[] {1000, 10}));
        for (int i = 0; i < 30; i++) {
            shapes.add(new int[] {1 + seeds.nextInt(200), 1 + seeds.nextInt(70)});
        }
        for (int[] shape : shapes) {
            for (int batch : new int[] {1, 4, 32}) {
                long sd = seeds.nextLong();
                int rows = shape[0];
                int cols = shape[1];
                tests.add(test(rows + "x" + cols + " batch " + batch, s -> {
                    SplittableRandom r = new SplittableRandom(sd);
                    float[] src = uniform(r, rows * cols, -1, 1);
                    int total = batch + 3;
                    float[] idx = new float[total];
                    for (int i = 0; i < total; i++) {
                        idx[i] = r.nextInt(rows);
                    }
                    int offset = 3;
                    float[] ref = new float[batch * cols];
                    for (int i = 0; i < batch; i++) {
                        System.arraycopy(src, (int) idx[offset + i] * cols, ref, i * cols, cols);
                    }
                    Tensor dst = s.zeros(batch, cols);
                    kernels.gatherRows(s.tensor(src, rows, cols), s.tensor(idx, total), offset, dst);
                    assertArrayEquals(ref, dst.toFloatArray());
                }));
            }
        }
        tests.add(test("vector of labels and rank-3 rows", s -> {
            Tensor labels = s.tensor(new float[] {0, 1, 2, 3, 4}, 5);
            Tensor out = s.zeros(3);
            kernels.gatherRows(labels, s.tensor(new float[] {4, 0, 4, 2}, 4), 1, out);
            assertArrayEquals(new float[] {0, 4, 2}, out.toFloatArray());
            Tensor cube = s.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
            Tensor picked = s.zeros(1, 2, 2);
            kernels.gatherRows(cube, s.tensor(new float[] {1}, 1), 0, picked);
            assertArrayEquals(new float[] {5, 6, 7, 8}, picked.toFloatArray());
        }));
        return tests.stream();
    }
}
