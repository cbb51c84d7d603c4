package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * Sums, means, maxima along either axis, argmax per row and the full sum, against double-precision
 * loops. Tolerance for sums: |s - ref| <= 2 n u sum|x| + 1e-6 (n terms); max and argmax exact.
 */
public abstract class ReductionConformance extends ConformanceBase {
    private static final double U = Math.ulp(1f) / 2;

    private static int[][] shapes() {
        SplittableRandom r = new SplittableRandom(20);
        List<int[]> list = new ArrayList<>(List.of(new int[] {1, 1}, new int[] {1, 9}, new int[] {9, 1},
                new int[] {32, 300}, new int[] {1024, 3}, new int[] {3, 1025}, new int[] {300, 300}));
        for (int i = 0; i < 30; i++) {
            list.add(new int[] {1 + r.nextInt(70), 1 + r.nextInt(70)});
        }
        return list.toArray(new int[0][]);
    }

    @TestFactory
    Stream<DynamicTest> sumMeanMaxAlongBothAxes() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 21;
        for (int[] shape : shapes()) {
            int rows = shape[0];
            int cols = shape[1];
            for (int axis = 0; axis <= 1; axis++) {
                for (String op : new String[] {"sum", "mean", "max"}) {
                    int ax = axis;
                    long sd = seed++;
                    tests.add(test(op + " axis=" + axis + " " + rows + "x" + cols, s -> {
                        float[] x = uniform(new SplittableRandom(sd), rows * cols, -3, 3);
                        int len = ax == 0 ? cols : rows;
                        int count = ax == 0 ? rows : cols;
                        double[] ref = new double[len];
                        double[] mag = new double[len];
                        for (int o = 0; o < len; o++) {
                            double acc = op.equals("max") ? Double.NEGATIVE_INFINITY : 0;
                            for (int q = 0; q < count; q++) {
                                double v = ax == 0 ? x[q * cols + o] : x[o * cols + q];
                                acc = op.equals("max") ? Math.max(acc, v) : acc + v;
                                mag[o] += Math.abs(v);
                            }
                            ref[o] = op.equals("mean") ? acc / count : acc;
                            mag[o] = op.equals("mean") ? mag[o] / count : mag[o];
                        }
                        Tensor tx = s.tensor(x, rows, cols);
                        Tensor out = s.zeros(len);
                        switch (op) {
                            case "sum": kernels.sum(tx, ax, out); break;
                            case "mean": kernels.mean(tx, ax, out); break;
                            default: kernels.max(tx, ax, out); break;
                        }
                        Check.withinBound(op, out.toFloatArray(), ref, mag, op.equals("max") ? 0 : 2 * (count + 2) * U,
                                op.equals("max") ? 0 : 1e-6);
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> argmaxAndSumAll() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 500;
        for (int[] shape : shapes()) {
            int rows = shape[0];
            int cols = shape[1];
            long sd = seed++;
            tests.add(test("argmaxRows " + rows + "x" + cols, s -> {
                SplittableRandom r = new SplittableRandom(sd);
                float[] x = new float[rows * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(7) - 3;   // many ties: the first maximum wins
                }
                float[] ref = new float[rows];
                for (int i = 0; i < rows; i++) {
                    int best = 0;
                    for (int j = 1; j < cols; j++) {
                        if (x[i * cols + j] > x[i * cols + best]) {
                            best = j;
                        }
                    }
                    ref[i] = best;
                }
                Tensor out = s.zeros(rows);
                kernels.argmaxRows(s.tensor(x, rows, cols), out);
                assertArrayEquals(ref, out.toFloatArray());
            }));
            tests.add(test("sumAll " + rows + "x" + cols, s -> {
                float[] x = uniform(new SplittableRandom(sd), rows * cols, -3, 3);
                double ref = 0;
                double mag = 0;
                for (float v : x) {
                    ref += v;
                    mag += Math.abs(v);
                }
                Tensor out = s.zeros(1);
                kernels.sumAll(s.tensor(x, rows, cols), out);
                Check.withinBound("sumAll", out.toFloatArray(), new double[] {ref}, new double[] {mag},
                        2 * (x.length + 2) * U, 1e-6);
            }));
        }
        return tests.stream();
    }

    @Test
    void sumAllOfLargeVectorIsAccurate() {
        try (TensorScope s = new TensorScope(backend)) {
            int n = 1 << 20;
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            Tensor out = s.zeros(1);
            kernels.sumAll(s.tensor(ones, n), out);
            assertEquals(n, out.item(), 0f);
        }
    }

    /**
     * NaN and the infinities at every position of body and tail: sum, mean and max give the IEEE answer (max's
     * NaN wins, as NumPy's), argmaxRows the index of the first NaN, else of the largest value.
     */
    @TestFactory
    Stream<DynamicTest> specialValuesGiveTheIeeeAnswer() {
        List<DynamicTest> tests = new ArrayList<>();
        float[] cycle = ActivationConformance.SPECIAL_CYCLE;
        for (int[] shape : new int[][] {{1, 1}, {3, 5}, {2, 8}, {4, 9}, {5, 17}, {2, 33}, {9, 67}, {70, 3}}) {
            int rows = shape[0];
            int cols = shape[1];
            tests.add(test(rows + "x" + cols, s -> {
                for (int shift = 0; shift < cycle.length; shift++) {
                    float[] x = new float[rows * cols];
                    for (int i = 0; i < x.length; i++) {
                        // mostly ordinary values, so that rows and columns differ in which specials they hold
                        x[i] = (i + shift) % 5 == 0 ? cycle[(i / 5 + shift) % cycle.length] : (float) ((i * 7 + shift) % 13 - 6);
                    }
                    Tensor tx = s.tensor(x, rows, cols);
                    for (int ax = 0; ax <= 1; ax++) {
                        int len = ax == 0 ? cols : rows;
                        int count = ax == 0 ? rows : cols;
                        double[] sum = new double[len];
                        double[] max = new double[len];
                        for (int o = 0; o < len; o++) {
                            double acc = 0;
                            double m = Double.NEGATIVE_INFINITY;
                            for (int q = 0; q < count; q++) {
                                double v = ax == 0 ? x[q * cols + o] : x[o * cols + q];
                                acc += v;
                                m = Double.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v);
                            }
                            sum[o] = acc;
                            max[o] = m;
                        }
                        Tensor out = s.zeros(len);
                        kernels.sum(tx, ax, out);
                        Check.close("sum axis " + ax + " shift " + shift, out.toFloatArray(), sum, 1e-4, 1e-5);
                        kernels.max(tx, ax, out);
                        Check.close("max axis " + ax + " shift " + shift, out.toFloatArray(), max, 0, 0);
                    }
                    double[] argmax = new double[rows];
                    for (int r = 0; r < rows; r++) {
                        int best = 0;
                        for (int j = 1; j < cols; j++) {
                            float v = x[r * cols + j];
                            float b = x[r * cols + best];
                            if (!Float.isNaN(b) && (Float.isNaN(v) || v > b)) {
                                best = j;
                            }
                        }
                        argmax[r] = best;
                    }
                    Tensor idx = s.zeros(rows);
                    kernels.argmaxRows(tx, idx);
                    Check.close("argmaxRows shift " + shift, idx.toFloatArray(), argmax, 0, 0);
                }
            }));
        }
        return tests.stream();
    }
}
