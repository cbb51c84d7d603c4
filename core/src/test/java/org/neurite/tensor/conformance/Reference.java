package org.neurite.tensor.conformance;

import org.neurite.tensor.Activation;
import org.neurite.tensor.LossFunction;

/**
 * The plain, obviously-correct definitions every backend is compared with: straight loops in double
 * precision, written from the formulas and nothing else. Slow on purpose.
 */
public final class Reference {
    private Reference() {
    }

    /** op(X)[i][j] of a row-major {@code rows x cols} matrix, transposed or not. */
    static double at(float[] x, int rows, int cols, boolean trans, int i, int j) {
        return trans ? x[j * cols + i] : x[i * cols + j];
    }

    /**
     * GEMM with epilogue. Returns {value, bound} per element of C, where bound is the sum of the absolute
     * terms (|alpha| sum |a b| + |beta c| + |bias|): the scale a floating-point error is relative to.
     */
    public static double[][] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                                  float beta, float[] c, float[] bias, Activation f) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        double[] value = new double[m * n];
        double[] bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double t = at(a, aRows, aCols, ta, i, p) * at(b, bRows, bCols, tb, p, j);
                    s += t;
                    mag += Math.abs(t);
                }
                double z = alpha * s + (beta == 0 ? 0 : beta * (double) c[i * n + j]);
                double zmag = Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * (double) c[i * n + j]));
                if (bias != null) {
                    z += bias[j];
                    zmag += Math.abs(bias[j]);
                }
                value[i * n + j] = activate(f, z);
                // The activation's slope scales the error (at most 1 for all but SELU's 1.05).
                bound[i * n + j] = zmag * Math.max(1.0, Math.abs(derivative(f, z)));
            }
        }
        return new double[][] {value, bound};
    }

    /** NaN in gives NaN out, for every activation. */
    public static double activate(Activation f, double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double a = f.alpha();
        switch (f.kind()) {
            case IDENTITY: return x;
            case HEAVISIDE: return x >= 0 ? 1 : 0;
            case SIGN: return Math.signum(x);
            case SIGMOID: return 1 / (1 + Math.exp(-x));
            case TANH: return Math.tanh(x);
            case RELU: return Math.max(x, 0);
            case LEAKY_RELU: return x > 0 ? x : a * x;
            case ELU: return x > 0 ? x : a * (Math.exp(x) - 1);
            case SELU: return Activation.SELU_SCALE * (x > 0 ? x : Activation.SELU_ALPHA * (Math.exp(x) - 1));
            case SOFTPLUS: return Math.log(1 + Math.exp(x));
            default: throw new AssertionError(f);
        }
    }

    /** f'(x), from the input (the backends compute it from the output; the two must agree). */
    public static double derivative(Activation f, double x) {
        if (Double.isNaN(x) && f.kind() != Activation.Kind.IDENTITY) {
            return Double.NaN;   // identity's derivative is the constant 1; every other one is NaN at NaN
        }
        double a = f.alpha();
        switch (f.kind()) {
            case IDENTITY: return 1;
            case HEAVISIDE:
            case SIGN: return 0;
            case SIGMOID: {
                double s = 1 / (1 + Math.exp(-x));
                return s * (1 - s);
            }
            case TANH: return 1 - Math.tanh(x) * Math.tanh(x);
            case RELU: return x > 0 ? 1 : 0;
            case LEAKY_RELU: return x > 0 ? 1 : a;
            case ELU: return x > 0 ? 1 : a * Math.exp(x);
            case SELU: return Activation.SELU_SCALE * (x >= 0 ? 1 : Activation.SELU_ALPHA * Math.exp(x));   // TF's at 0
            case SOFTPLUS: return 1 / (1 + Math.exp(-x));
            default: throw new AssertionError(f);
        }
    }

    public static double[] softmax(float[] x, int rows, int cols) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r * cols + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                y[r * cols + j] = Math.exp(x[r * cols + j] - max) / s;
            }
        }
        return y;
    }

    /** Mean loss over the batch, straight from the definitions in {@link LossFunction}. */
    public static double loss(LossFunction f, double[] p, float[] t, int rows, int cols) {
        double eps = LossFunction.EPSILON;
        double total = 0;
        switch (f.kind()) {
            case MSE:
                for (int i = 0; i < p.length; i++) {
                    total += (p[i] - t[i]) * (p[i] - t[i]);
                }
                return total / p.length;
            case MAE:
                for (int i = 0; i < p.length; i++) {
                    total += Math.abs(p[i] - t[i]);
                }
                return total / p.length;
            case HUBER:
                for (int i = 0; i < p.length; i++) {
                    double e = Math.abs(p[i] - t[i]);
                    total += e <= f.delta() ? e * e / 2 : f.delta() * e - f.delta() * f.delta() / 2;
                }
                return total / p.length;
            case BINARY_CROSS_ENTROPY:
                for (int i = 0; i < p.length; i++) {
                    double q = f.fromLogits() ? 1 / (1 + Math.exp(-p[i])) : Math.min(Math.max(p[i], eps), 1 - eps);
                    total -= t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
                }
                return total / p.length;
            case CATEGORICAL_CROSS_ENTROPY:
            case SPARSE_CATEGORICAL_CROSS_ENTROPY:
                // Keras 3 (keras/src/backend/tensorflow/nn.py): on probabilities, categorical rescales each row
                // to sum 1, then clips; sparse takes -log_softmax(log(clip(p)))[y] = -log(clip(p_y)) + log(sum clip(p)).
                for (int r = 0; r < rows; r++) {
                    double norm = 0;
                    double sum = 0;
                    double clippedSum = 0;
                    for (int j = 0; j < cols; j++) {
                        norm += Math.exp(p[r * cols + j]);
                        sum += p[r * cols + j];
                        clippedSum += Math.min(Math.max(p[r * cols + j], eps), 1 - eps);
                    }
                    for (int j = 0; j < cols; j++) {
                        double target = f.sparse() ? (j == (int) t[r] ? 1 : 0) : t[r * cols + j];
                        if (target == 0) {
                            continue;
                        }
                        double q = f.fromLogits() ? Math.exp(p[r * cols + j]) / norm
                                : Math.min(Math.max(p[r * cols + j] / (f.sparse() ? 1 : sum), eps), 1 - eps);
                        total -= target * Math.log(q);
                    }
                    if (f.sparse() && !f.fromLogits()) {
                        total += Math.log(clippedSum);
                    }
                }
                return total / rows;
            default:
                throw new AssertionError(f);
        }
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
