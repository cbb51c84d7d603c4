package org.neurite.cpu;

import org.neurite.tensor.spi.KernelChecks;
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
                    double rowSum = f.fromLogits() ? 1 : rowSum(p, o, cols, false);   // Keras rescales rows to sum 1
                    for (int j = 0; j < cols; j++) {
                        // Terms of zero targets are zero (a -inf logit there must not give 0 * -inf), but a NaN
                        // prediction anywhere in the row makes the row NaN, as in Keras; the accelerators agree.
                        if (t[o + j] != 0 || Float.isNaN(p[o + j])) {
                            double logq = f.fromLogits() ? p[o + j] - lse : Math.log(clip(p[o + j] / rowSum));
                            total -= t[o + j] * logq;
                        }
                    }
                }
                return total / rows;
            case SPARSE_CATEGORICAL_CROSS_ENTROPY:
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    int y = KernelChecks.index("loss", t[r], cols, "class index of row", r);
                    // On probabilities, as Keras 3: -log_softmax(log(clip(p)))[y] = -log(clip(p_y)) + log(sum clip(p_j)),
                    // which a NaN anywhere in the row makes NaN.
                    total -= f.fromLogits() ? p[o + y] - logSumExp(ops, p, o, cols)
                            : Math.log(clip(p[o + y])) - Math.log(rowSum(p, o, cols, true));
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
            } else if (sparse) {
                // d/dp_k of -log(c_y) + log(C), c = clip(p), C = sum c: m_k (1/C - [k = y] / c_k), m_k the clip's mask
                double c = rowSum(p, o, cols, true);
                for (int j = 0; j < cols; j++) {
                    double q = p[o + j];
                    g[o + j] = q < EPS || q > 1 - EPS ? 0f : (float) ((1 / c - (j == y ? 1 / q : 0)) / rows);
                }
            } else {
                // d/dp_k of -sum t_j log(clip(p_j / S)): (A - m_k t_k / q_k) / S with q = p / S, m the clip's mask
                // and A = sum_j m_j t_j
                double sum = rowSum(p, o, cols, false);
                double a = 0;
                for (int j = 0; j < cols; j++) {
                    double q = p[o + j] / sum;
                    if (q >= EPS && q <= 1 - EPS) {
                        a += t[o + j];
                    }
                }
                for (int j = 0; j < cols; j++) {
                    double q = p[o + j] / sum;
                    double own = q < EPS || q > 1 - EPS || t[o + j] == 0 ? 0 : t[o + j] / q;
                    g[o + j] = (float) ((a - own) / sum / rows);
                }
            }
        }
    }

    /** The row's sum, of the clipped values if {@code clipped}; NaN if any value is. */
    private static double rowSum(float[] p, int o, int cols, boolean clipped) {
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += clipped ? clip(p[o + j]) : p[o + j];
        }
        return sum;
    }

    private static double clip(double q) {
        return Math.min(Math.max(q, EPS), 1 - EPS);
    }

    private static double logSumExp(ElementOps ops, float[] x, int off, int n) {
        float max = ops.max(x, off, off + n);
        return max + Math.log(ops.expShiftSum(x, off, n, max, null, 0));
    }
}
