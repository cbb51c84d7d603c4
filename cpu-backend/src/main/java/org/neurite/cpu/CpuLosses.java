package org.neurite.cpu;

import org.neurite.tensor.KernelChecks;
import org.neurite.tensor.LossFunction;

/** Loss values and gradients on arrays (see {@link LossFunction} for the definitions). */
final class CpuLosses {
    private static final float EPS = LossFunction.EPSILON;

    private CpuLosses() {
    }

    static double value(ElementOps ops, LossFunction f, float[] p, float[] t, int rows, int cols) {
        double total = 0;
        switch (f.kind()) {
            case MSE:
                for (int i = 0; i < p.length; i++) {
                    double e = p[i] - t[i];
                    total += e * e;
                }
                return total / p.length;
            case MAE:
                for (int i = 0; i < p.length; i++) {
                    total += Math.abs(p[i] - t[i]);
                }
                return total / p.length;
            case HUBER: {
                double d = f.delta();
                for (int i = 0; i < p.length; i++) {
                    double e = Math.abs(p[i] - t[i]);
                    total += e <= d ? 0.5 * e * e : d * (e - 0.5 * d);
                }
                return total / p.length;
            }
            case BINARY_CROSS_ENTROPY:
                for (int i = 0; i < p.length; i++) {
                    if (f.fromLogits()) {
                        double z = p[i];
                        total += Math.max(z, 0) - z * t[i] + Math.log1p(Math.exp(-Math.abs(z)));
                    } else {
                        double q = clip(p[i]);
                        total -= t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
                    }
                }
                return total / p.length;
            case CATEGORICAL_CROSS_ENTROPY:
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    double lse = f.fromLogits() ? logSumExp(ops, p, o, cols) : 0;
                    for (int j = 0; j < cols; j++) {
                        // Terms of zero targets are zero (a -inf logit there must not give 0 * -inf), but a NaN
                        // prediction anywhere in the row makes the row NaN, as in Keras; the accelerators agree.
                        if (t[o + j] != 0 || Float.isNaN(p[o + j])) {
                            double logq = f.fromLogits() ? p[o + j] - lse : Math.log(clip(p[o + j]));
                            total -= t[o + j] * logq;
                        }
                    }
                }
                return total / rows;
            case SPARSE_CATEGORICAL_CROSS_ENTROPY:
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    int y = KernelChecks.index("loss", t[r], cols, "class index of row", r);
                    total -= f.fromLogits() ? p[o + y] - logSumExp(ops, p, o, cols) : Math.log(clip(p[o + y]));
                    if (!f.fromLogits() && Float.isNaN(ops.max(p, o, o + cols))) {
                        total = Double.NaN;   // a NaN prediction anywhere in the row, as in Keras
                    }
                }
                return total / rows;
            default:
                throw new AssertionError(f.kind());
        }
    }

    static void gradient(ElementOps ops, LossFunction f, float[] p, float[] t, float[] g, int rows, int cols) {
        int n = p.length;
        switch (f.kind()) {
            case MSE:
                for (int i = 0; i < n; i++) {
                    g[i] = 2f * (p[i] - t[i]) / n;
                }
                return;
            case MAE:
                for (int i = 0; i < n; i++) {
                    g[i] = Math.signum(p[i] - t[i]) / n;
                }
                return;
            case HUBER: {
                float d = f.delta();
                for (int i = 0; i < n; i++) {
                    float e = p[i] - t[i];
                    g[i] = (Math.abs(e) <= d ? e : d * Math.signum(e)) / n;
                }
                return;
            }
            case BINARY_CROSS_ENTROPY:
                for (int i = 0; i < n; i++) {
                    if (f.fromLogits()) {
                        g[i] = (ScalarMath.sigmoid(p[i]) - t[i]) / n;
                    } else {
                        double q = p[i];
                        g[i] = q < EPS || q > 1 - EPS ? 0f : (float) ((q - t[i]) / (q * (1 - q)) / n);
                    }
                }
                return;
            case CATEGORICAL_CROSS_ENTROPY:
            case SPARSE_CATEGORICAL_CROSS_ENTROPY:
                crossEntropyGradient(ops, f, p, t, g, rows, cols, 0, rows);
                return;
            default:
                throw new AssertionError(f.kind());
        }
    }

    /** Rows {@code [r0, r1)} of a (sparse) categorical cross-entropy gradient over {@code rows} rows. */
    static void crossEntropyGradient(ElementOps ops, LossFunction f, float[] p, float[] t, float[] g, int rows,
                                     int cols, int r0, int r1) {
        boolean sparse = f.sparse();
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            int y = sparse ? KernelChecks.index("lossGradient", t[r], cols, "class index of row", r) : -1;
            if (f.fromLogits()) {
                // softmax(p) - target: exp(p - max) into g, then scaled
                float max = ops.max(p, o, o + cols);
                double inv = 1.0 / ops.expShiftSum(p, o, cols, max, g, o);
                for (int j = 0; j < cols; j++) {
                    double target = sparse ? (j == y ? 1 : 0) : t[o + j];
                    g[o + j] = (float) ((g[o + j] * inv - target) / rows);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    double target = sparse ? (j == y ? 1 : 0) : t[o + j];
                    double q = p[o + j];
                    g[o + j] = q < EPS || q > 1 - EPS ? 0f : (float) (-target / q / rows);
                }
            }
        }
    }

    private static double clip(double q) {
        return Math.min(Math.max(q, EPS), 1 - EPS);
    }

    private static double logSumExp(ElementOps ops, float[] x, int off, int n) {
        float max = ops.max(x, off, off + n);
        return max + Math.log(ops.expShiftSum(x, off, n, max, null, 0));
    }
}
