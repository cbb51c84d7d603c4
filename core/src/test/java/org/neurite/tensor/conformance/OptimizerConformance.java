package org.neurite.tensor.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.neurite.tensor.Tensor;

/**
 * The fused optimizer updates, run for several steps against the Keras formulas in double precision.
 * Tolerance: |w - ref| <= 1e-6 + 1e-5 |ref| for parameters and state after 5 steps (Nadam's parameters:
 * 5e-6 + 2e-4 |ref|, see below).
 */
public abstract class OptimizerConformance extends ConformanceBase {
    private static final int STEPS = 5;

    private enum Kind { SGD, MOMENTUM, NESTEROV, ADAM, ADAMW, NADAM, RMSPROP, ADAGRAD }

    @TestFactory
    Stream<DynamicTest> updatesMatchTheFormulas() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 40;
        for (Kind kind : Kind.values()) {
            for (int n : SIZES) {
                long sd = seed++;
                tests.add(test(kind + " n=" + n, s -> {
                    SplittableRandom r = new SplittableRandom(sd);
                    float[] w0 = uniform(r, n, -1, 1);
                    double[] w = Reference.toDouble(w0);
                    double[] s1 = new double[n];
                    double[] s2 = new double[n];
                    Tensor tw = s.tensor(w0, n);
                    Tensor tg = s.zeros(n);
                    Tensor ts1 = s.zeros(n);
                    Tensor ts2 = s.zeros(n);
                    float lr = 0.05f;
                    for (int step = 1; step <= STEPS; step++) {
                        float[] g = uniform(r, n, -1, 1);
                        tg.copyFrom(g);
                        apply(kind, tw, tg, ts1, ts2, lr, step);
                        reference(kind, w, g, s1, s2, lr, step);
                    }
                    // Nadam's m-hat adds cm*m and cg*g, which nearly cancel when the gradient turns against the
                    // momentum; float32 keeps about four digits fewer there than in Adam.
                    double atol = kind == Kind.NADAM ? 5e-6 : 1e-6;
                    double rtol = kind == Kind.NADAM ? 2e-4 : 1e-5;
                    Check.close(kind + " parameters", tw.toFloatArray(), w, atol, rtol);
                    if (kind != Kind.SGD) {
                        Check.close(kind + " state", ts1.toFloatArray(), s1, 1e-6, 1e-5);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private void apply(Kind kind, Tensor w, Tensor g, Tensor s1, Tensor s2, float lr, int step) {
        switch (kind) {
            case SGD: kernels.sgdUpdate(w, g, null, lr, 0f, false); break;
            case MOMENTUM: kernels.sgdUpdate(w, g, s1, lr, 0.9f, false); break;
            case NESTEROV: kernels.sgdUpdate(w, g, s1, lr, 0.9f, true); break;
            case ADAM: kernels.adamUpdate(w, g, s1, s2, lr, 0.9f, 0.999f, 1e-7f, step, 0f); break;
            case ADAMW: kernels.adamUpdate(w, g, s1, s2, lr, 0.9f, 0.999f, 1e-7f, step, 0.004f); break;
            case NADAM: {
                double[] c = nadamCoefficients(step);
                kernels.nadamUpdate(w, g, s1, s2, lr, 0.9f, 0.999f, 1e-7f, (float) c[0], (float) c[1], (float) c[2]);
                break;
            }
            case RMSPROP: kernels.rmspropUpdate(w, g, s1, lr, 0.9f, 1e-7f); break;
            case ADAGRAD: kernels.adagradUpdate(w, g, s1, lr, 1e-7f); break;
            default: throw new AssertionError(kind);
        }
    }

    /** Keras 3's Nadam schedule: {cm, cg, 1 - b2^t} for step t, from the momentum-cache product. */
    static double[] nadamCoefficients(int t) {
        double product = 1;
        for (int s = 1; s <= t; s++) {
            product *= 0.9 * (1 - 0.5 * Math.pow(0.96, s));
        }
        double ut = 0.9 * (1 - 0.5 * Math.pow(0.96, t));
        double ut1 = 0.9 * (1 - 0.5 * Math.pow(0.96, t + 1));
        return new double[] {ut1 / (1 - product * ut1), (1 - ut) / (1 - product), 1 - Math.pow(0.999, t)};
    }

    /** Keras's update rules, written out. */
    private static void reference(Kind kind, double[] w, float[] g, double[] s1, double[] s2, double lr, int t) {
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            switch (kind) {
                case SGD:
                    w[i] -= lr * gi;
                    break;
                case MOMENTUM:
                    s1[i] = 0.9 * s1[i] - lr * gi;
                    w[i] += s1[i];
                    break;
                case NESTEROV:
                    s1[i] = 0.9 * s1[i] - lr * gi;
                    w[i] += 0.9 * s1[i] - lr * gi;
                    break;
                case ADAM:
                case ADAMW: {
                    double decay = kind == Kind.ADAMW ? 0.004 : 0;
                    w[i] -= lr * decay * w[i];
                    s1[i] = 0.9 * s1[i] + 0.1 * gi;
                    s2[i] = 0.999 * s2[i] + 0.001 * gi * gi;
                    double lrT = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                    w[i] -= lrT * s1[i] / (Math.sqrt(s2[i]) + 1e-7);
                    break;
                }
                case NADAM: {
                    double[] c = nadamCoefficients(t);
                    s1[i] = 0.9 * s1[i] + 0.1 * gi;
                    s2[i] = 0.999 * s2[i] + 0.001 * gi * gi;
                    double mHat = c[0] * s1[i] + c[1] * gi;
                    w[i] -= lr * mHat / (Math.sqrt(s2[i] / c[2]) + 1e-7);
                    break;
                }
                case RMSPROP:
                    s1[i] = 0.9 * s1[i] + 0.1 * gi * gi;
                    w[i] -= lr * gi / Math.sqrt(s1[i] + 1e-7);
                    break;
                case ADAGRAD:
                    s1[i] += gi * gi;
                    w[i] -= lr * gi / Math.sqrt(s1[i] + 1e-7);
                    break;
                default:
                    throw new AssertionError(kind);
            }
        }
    }
}
