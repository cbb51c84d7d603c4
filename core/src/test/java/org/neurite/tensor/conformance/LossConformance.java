package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;

/**
 * Every loss, value and gradient. The value is compared with {@link Reference#loss}
 * (|v - ref| <= 1e-6 + 1e-5 |ref|); the gradient with central differences of that double-precision
 * reference (|g - numeric| <= 1e-3 (|numeric| + max|numeric|) + 1e-7), so that the analytic gradient of
 * each backend is checked numerically, not against another analytic formula.
 */
public abstract class LossConformance extends ConformanceBase {
    static final LossFunction[] ALL = {LossFunction.mse(), LossFunction.mae(), LossFunction.huber(),
        LossFunction.huber(0.3f), LossFunction.binaryCrossEntropy(false), LossFunction.binaryCrossEntropy(true),
        LossFunction.categoricalCrossEntropy(false), LossFunction.categoricalCrossEntropy(true),
        LossFunction.sparseCategoricalCrossEntropy(false), LossFunction.sparseCategoricalCrossEntropy(true)};

    private static final int[][] SHAPES = shapes();

    /** Fixed edge shapes, then random ones (seeded): tiny, odd, a batch of 32 by 10 classes, wide rows. */
    private static int[][] shapes() {
        java.util.List<int[]> list = new java.util.ArrayList<>(java.util.List.of(new int[] {1, 1}, new int[] {1, 2},
                new int[] {2, 1}, new int[] {32, 10}, new int[] {1, 1000}, new int[] {256, 3}));
        SplittableRandom r = new SplittableRandom(31);
        while (list.size() < 30) {
            list.add(new int[] {1 + r.nextInt(40), 1 + r.nextInt(40)});
        }
        return list.toArray(new int[0][]);
    }

    @TestFactory
    Stream<DynamicTest> valueAndNumericalGradient() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 30;
        for (LossFunction f : ALL) {
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int cols = shape[1];
                long sd = seed++;
                tests.add(test(f + " " + rows + "x" + cols, s -> {
                    SplittableRandom r = new SplittableRandom(sd);
                    float[] p = predictions(f, r, rows, cols);
                    float[] t = targets(f, r, rows, cols);
                    Tensor tp = s.tensor(p, rows, cols);
                    Tensor tt = f.sparse() ? s.tensor(t, rows) : s.tensor(t, rows, cols);
                    Tensor out = s.zeros(1);
                    kernels.loss(f, tp, tt, out);
                    double ref = Reference.loss(f, Reference.toDouble(p), t, rows, cols);
                    Check.close(f + " value", out.toFloatArray(), new double[] {ref}, 1e-6, 1e-5);

                    Tensor grad = s.zeros(rows, cols);
                    kernels.lossGradient(f, tp, tt, grad);
                    double[] numeric = new double[p.length];
                    double[] pd = Reference.toDouble(p);
                    double h = 1e-6;
                    double max = 0;
                    for (int i = 0; i < p.length; i++) {
                        double keep = pd[i];
                        pd[i] = keep + h;
                        double up = Reference.loss(f, pd, t, rows, cols);
                        pd[i] = keep - h;
                        double down = Reference.loss(f, pd, t, rows, cols);
                        pd[i] = keep;
                        numeric[i] = (up - down) / (2 * h);
                        max = Math.max(max, Math.abs(numeric[i]));
                    }
                    Check.close(f + " gradient vs central differences", grad.toFloatArray(), numeric,
                            1e-3 * max + 1e-7, 1e-3);
                }));
            }
        }
        return tests.stream();
    }

    /** Probabilities strictly inside (0, 1) away from the clip, logits anywhere, regression values anywhere. */
    private static float[] predictions(LossFunction f, SplittableRandom r, int rows, int cols) {
        switch (f.kind()) {
            case BINARY_CROSS_ENTROPY:
                return f.fromLogits() ? uniform(r, rows * cols, -6, 6) : uniform(r, rows * cols, 0.02, 0.98);
            case CATEGORICAL_CROSS_ENTROPY:
            case SPARSE_CATEGORICAL_CROSS_ENTROPY: {
                float[] z = uniform(r, rows * cols, -3, 3);
                if (f.fromLogits()) {
                    return z;
                }
                double[] q = Reference.softmax(z, rows, cols);
                float[] p = new float[q.length];
                for (int i = 0; i < q.length; i++) {
                    p[i] = (float) Math.min(Math.max(q[i], 1e-4), 1 - 1e-4);
                }
                // Rows that do not sum to 1, as a model's output may not: Keras rescales (or, sparse, normalizes
                // through a softmax of the logs), so value and gradient depend on the row's sum.
                for (int row = 0; row < rows; row++) {
                    double scale = row % 3 == 0 ? 1 : r.nextDouble(0.6, 1.4);
                    for (int j = 0; j < cols; j++) {
                        p[row * cols + j] = (float) Math.min(p[row * cols + j] * scale, 0.98);
                    }
                }
                return p;
            }
            default:
                return uniform(r, rows * cols, -2, 2);
        }
    }

    private static float[] targets(LossFunction f, SplittableRandom r, int rows, int cols) {
        switch (f.kind()) {
            case BINARY_CROSS_ENTROPY: {
                float[] t = new float[rows * cols];
                for (int i = 0; i < t.length; i++) {
                    t[i] = r.nextInt(3) == 0 ? (float) r.nextDouble() : r.nextInt(2);   // hard and soft labels
                }
                return t;
            }
            case CATEGORICAL_CROSS_ENTROPY: {
                float[] t = new float[rows * cols];
                for (int i = 0; i < rows; i++) {
                    if (r.nextBoolean()) {
                        t[i * cols + r.nextInt(cols)] = 1f;
                    } else {
                        double[] soft = Reference.softmax(uniform(r, cols, -1, 1), 1, cols);
                        for (int j = 0; j < cols; j++) {
                            t[i * cols + j] = (float) soft[j];
                        }
                    }
                }
                return t;
            }
            case SPARSE_CATEGORICAL_CROSS_ENTROPY: {
                float[] t = new float[rows];
                for (int i = 0; i < rows; i++) {
                    t[i] = r.nextInt(cols);
                }
                return t;
            }
            default:
                return uniform(r, rows * cols, -2, 2);
        }
    }

    /**
     * A NaN prediction is never hidden: whatever its position (vector body or tail, target or not), every loss
     * is NaN, and so is the gradient at that element.
     */
    @TestFactory
    Stream<DynamicTest> aNanPredictionMakesTheLossAndItsGradientNan() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LossFunction f : ALL) {
            tests.add(test(f.toString(), s -> {
                SplittableRandom r = new SplittableRandom(31);
                for (int[] shape : new int[][] {{1, 1}, {3, 2}, {2, 9}, {4, 17}, {3, 10}}) {
                    int rows = shape[0];
                    int cols = shape[1];
                    boolean sparse = f.sparse();
                    boolean rowwise = f.kind() == LossFunction.Kind.CATEGORICAL_CROSS_ENTROPY || sparse;
                    for (int at = 0; at < rows * cols; at++) {
                        float[] p = uniform(r, rows * cols, 0.05, 0.95);
                        float[] t;
                        if (sparse) {
                            t = new float[rows];
                            for (int i = 0; i < rows; i++) {
                                t[i] = r.nextInt(cols);
                            }
                        } else if (rowwise) {
                            t = new float[rows * cols];
                            for (int i = 0; i < rows; i++) {
                                t[i * cols + r.nextInt(cols)] = 1;
                            }
                        } else {
                            t = uniform(r, rows * cols, 0, 1);
                        }
                        p[at] = Float.NaN;
                        Tensor tp = s.tensor(p, rows, cols);
                        Tensor tt = sparse ? s.tensor(t, rows) : s.tensor(t, rows, cols);
                        Tensor loss = s.zeros(1);
                        kernels.loss(f, tp, tt, loss);
                        assertTrue(Float.isNaN(loss.item()), f + " " + rows + "x" + cols + ": NaN at " + at
                                + " gave loss " + loss.item());
                        Tensor g = s.zeros(rows, cols);
                        kernels.lossGradient(f, tp, tt, g);
                        float ga = g.toFloatArray()[at];
                        assertTrue(Float.isNaN(ga), f + " " + rows + "x" + cols + ": NaN at " + at + " gave gradient " + ga);
                    }
                }
            }));
        }
        return tests.stream();
    }
}
