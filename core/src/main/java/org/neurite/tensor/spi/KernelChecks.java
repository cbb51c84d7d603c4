package org.neurite.tensor.spi;

import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.Activation;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Kernels;

/**
 * Argument checks shared by every backend's {@link Kernels}, so that the same mistake gives the same
 * message on every backend. Backends call the check for an operation before launching it; the
 * conformance suite holds them to it.
 */
public final class KernelChecks {
    private KernelChecks() {
    }

    /** {@code t} is non-null, open, and belongs to {@code backend}. */
    public static void owned(String op, Backend backend, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " (" + t.describe() + ") is " + t.closedState());
        }
        if (t.backend() != backend) {
            throw new IllegalArgumentException(op + ": " + name + " (" + t.describe()
                    + ") belongs to another backend instance (" + instance(t.backend()) + "), not to this one ("
                    + instance(backend) + "); copy it through the host first (Ops.copyTo)");
        }
    }

    private static String instance(Backend b) {
        return b.device() + " @" + Integer.toHexString(System.identityHashCode(b));
    }

    /** Checks GEMM's operands and returns {m, n, k}. */
    public static int[] gemm(Backend backend, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c,
                             Tensor bias, Activation activation) {
        String op = "gemm";
        owned(op, backend, "A", a);
        owned(op, backend, "B", b);
        owned(op, backend, "C", c);
        if (activation == null) {
            throw new NullPointerException("gemm: activation is null (use Activation.identity())");
        }
        matrix(op, "A", a);
        matrix(op, "B", b);
        matrix(op, "C", c);
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: " + opShape(a, transA) + " x "
                    + opShape(b, transB));
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: output C is " + c.shape() + " but " + opShape(a, transA)
                    + " x " + opShape(b, transB) + " is [" + m + ", " + n + "]");
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: output C must not be one of the inputs");
        }
        if (bias != null) {
            owned(op, backend, "bias", bias);
            if (bias.size() != n || bias.shape().rank() > 2 || bias.rows() != 1) {
                throw new IllegalArgumentException("gemm: bias " + bias.shape() + " does not match the " + n
                        + " columns of C " + c.shape());
            }
        }
        return new int[] {m, n, k};
    }

    private static String opShape(Tensor t, boolean transposed) {
        return transposed ? "[" + t.rows() + ", " + t.cols() + "]^T" : "[" + t.rows() + ", " + t.cols() + "]";
    }

    /** {@code t} is a matrix (rank 2). */
    public static void matrix(String op, String name, Tensor t) {
        if (t.shape().rank() != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be a matrix (rank 2), got " + t.shape());
        }
    }

    /** All tensors are owned and have identical shapes; names pair with tensors. */
    public static void sameShape(String op, Backend backend, String nameA, Tensor a, String nameB, Tensor b) {
        owned(op, backend, nameA, a);
        owned(op, backend, nameB, b);
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + nameA + " " + a.shape() + ", " + nameB
                    + " " + b.shape());
        }
    }

    /** Three tensors of one shape. */
    public static void sameShape(String op, Backend backend, String nameA, Tensor a, String nameB, Tensor b,
                                 String nameC, Tensor c) {
        sameShape(op, backend, nameA, a, nameB, b);
        sameShape(op, backend, nameA, a, nameC, c);
    }

    /** A one-element output. */
    public static void scalar(String op, Backend backend, String name, Tensor t) {
        owned(op, backend, name, t);
        if (t.size() != 1) {
            throw new IllegalArgumentException(op + ": " + name + " must have one element, got " + t.shape());
        }
    }

    /** {@code out} has {@code expected} elements, as a vector or a one-row/one-column matrix. */
    public static void vectorOf(String op, Backend backend, String name, Tensor out, int expected, String why) {
        vectorOf(op, backend, name, out, expected, () -> why);
    }

    /** As {@link #vectorOf(String, Backend, String, Tensor, int, String)}, the reason built only for the message. */
    public static void vectorOf(String op, Backend backend, String name, Tensor out, int expected,
                                java.util.function.Supplier<String> why) {
        owned(op, backend, name, out);
        if (out.size() != expected || out.shape().rank() > 2) {
            throw new IllegalArgumentException(op + ": " + name + " " + out.shape() + " must hold " + expected
                    + " elements (" + why.get() + ")");
        }
    }

    /** Checks a reduction along {@code axis} and returns the output length. */
    public static int reduction(String op, Backend backend, Tensor x, int axis, Tensor out) {
        owned(op, backend, "x", x);
        matrix(op, "x", x);
        if (axis != 0 && axis != 1) {
            throw new IllegalArgumentException(op + ": axis must be 0 (over rows) or 1 (over columns), got " + axis);
        }
        int len = axis == 0 ? x.cols() : x.rows();
        vectorOf(op, backend, "out", out, len, () -> axis == 0 ? "one per column of " + x.shape()
                : "one per row of " + x.shape());
        if (out == x) {
            throw new IllegalArgumentException(op + ": out must not be x");
        }
        return len;
    }

    /** Checks a loss or its gradient; {@code result} is the scalar out or the gradient. */
    public static void loss(String op, Backend backend, LossFunction f, Tensor predictions, Tensor targets,
                            Tensor result, boolean gradient) {
        if (f == null) {
            throw new NullPointerException(op + ": loss function is null");
        }
        owned(op, backend, "predictions", predictions);
        owned(op, backend, "targets", targets);
        if (f.sparse()) {
            matrix(op, "predictions", predictions);
            if (targets.size() != predictions.rows() || targets.shape().rank() > 2) {
                throw new IllegalArgumentException(op + ": " + f + " needs one class index per row: predictions "
                        + predictions.shape() + ", targets " + targets.shape());
            }
        } else if (!predictions.shape().equals(targets.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: predictions " + predictions.shape()
                    + ", targets " + targets.shape());
        }
        if (f.kind() == LossFunction.Kind.CATEGORICAL_CROSS_ENTROPY) {
            matrix(op, "predictions", predictions);
        }
        if (gradient) {
            owned(op, backend, "gradient", result);
            if (!result.shape().equals(predictions.shape())) {
                throw new IllegalArgumentException(op + ": gradient " + result.shape() + " must have the shape of "
                        + "predictions " + predictions.shape());
            }
        } else {
            scalar(op, backend, "out", result);
        }
    }

    /** Optimizer state tensors: each of {@code param}'s shape. */
    public static void update(String op, Backend backend, Tensor param, Tensor grad, Tensor... state) {
        sameShape(op, backend, "param", param, "grad", grad);
        for (int i = 0; i < state.length; i++) {
            sameShape(op, backend, "param", param, "state[" + i + "]", state[i]);
        }
    }

    /** Checks an argmax over rows: a matrix, and one output per row. */
    public static void argmaxRows(Backend backend, Tensor x, Tensor out) {
        owned("argmaxRows", backend, "x", x);
        matrix("argmaxRows", "x", x);
        vectorOf("argmaxRows", backend, "out", out, x.rows(), () -> "one per row of " + x.shape());
    }

    /** Checks a copy: both tensors ours, the same number of elements. */
    public static void copy(Backend backend, Tensor source, Tensor destination) {
        owned("copy", backend, "source", source);
        owned("copy", backend, "destination", destination);
        if (source.size() != destination.size()) {
            throw new IllegalArgumentException("copy: source " + source.shape() + " and destination "
                    + destination.shape() + " differ in size");
        }
    }

    /** Checks a per-column affine map: {@code out} shaped as the matrix {@code x}, a scale and shift per column. */
    public static void affineColumns(Backend backend, Tensor x, Tensor scale, Tensor shift, Tensor out) {
        String op = "affineColumns";
        sameShape(op, backend, "x", x, "out", out);
        matrix(op, "x", x);
        vectorOf(op, backend, "scale", scale, x.cols(), () -> "one per column of " + x.shape());
        vectorOf(op, backend, "shift", shift, x.cols(), () -> "one per column of " + x.shape());
    }

    /** Checks a clip: same shapes, {@code lo <= hi}. */
    public static void clip(Backend backend, Tensor x, float lo, float hi, Tensor out) {
        sameShape("clip", backend, "x", x, "out", out);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: lo " + lo + " is above hi " + hi);
        }
    }

    /**
     * Checks an SGD update; returns true for the plain form {@code w -= lr g} (momentum 0, no Nesterov, no
     * velocity), false when {@code velocity} is used (and then checked).
     */
    public static boolean sgd(Backend backend, Tensor param, Tensor grad, Tensor velocity, float learningRate,
                              float momentum, boolean nesterov) {
        String op = "sgdUpdate";
        positive(op, "learningRate", learningRate);
        unitInterval(op, "momentum", momentum);
        sameShape(op, backend, "param", param, "grad", grad);
        if (momentum == 0f && !nesterov && velocity == null) {
            return true;
        }
        if (velocity == null) {
            throw new NullPointerException(op + ": velocity is null but momentum is " + momentum);
        }
        update(op, backend, param, grad, velocity);
        return false;
    }

    /**
     * Checks an Adam (or AdamW) update and returns its bias-corrected step size
     * {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)}.
     */
    public static float adam(Backend backend, Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate,
                             float beta1, float beta2, float epsilon, int step, float weightDecay) {
        String op = "adamUpdate";
        moments(op, backend, param, grad, m, v, learningRate, beta1, beta2, epsilon);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException(op + ": weightDecay must be >= 0, got " + weightDecay);
        }
        return (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
    }

    /** Checks a Nadam update. */
    public static void nadam(Backend backend, Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate,
                             float beta1, float beta2, float epsilon, float secondMomentCorrection) {
        String op = "nadamUpdate";
        moments(op, backend, param, grad, m, v, learningRate, beta1, beta2, epsilon);
        positive(op, "secondMomentCorrection", secondMomentCorrection);
    }

    private static void moments(String op, Backend backend, Tensor param, Tensor grad, Tensor m, Tensor v,
                                float learningRate, float beta1, float beta2, float epsilon) {
        update(op, backend, param, grad, m, v);
        positive(op, "learningRate", learningRate);
        unitInterval(op, "beta1", beta1);
        unitInterval(op, "beta2", beta2);
        positive(op, "epsilon", epsilon);
    }

    /** Checks an RMSprop update. */
    public static void rmsprop(Backend backend, Tensor param, Tensor grad, Tensor meanSquare, float learningRate,
                               float rho, float epsilon) {
        String op = "rmspropUpdate";
        update(op, backend, param, grad, meanSquare);
        positive(op, "learningRate", learningRate);
        unitInterval(op, "rho", rho);
        positive(op, "epsilon", epsilon);
    }

    /** Checks an Adagrad update. */
    public static void adagrad(Backend backend, Tensor param, Tensor grad, Tensor accumulator, float learningRate,
                               float epsilon) {
        String op = "adagradUpdate";
        update(op, backend, param, grad, accumulator);
        positive(op, "learningRate", learningRate);
        positive(op, "epsilon", epsilon);
    }

    /** A finite, positive learning rate and friends. */
    public static void positive(String op, String name, float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be positive and finite, got " + value);
        }
    }

    /** A value in [0, 1). */
    public static void unitInterval(String op, String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(op + ": " + name + " must be in [0, 1), got " + value);
        }
    }

    /**
     * Checks a row gather and returns {rows of source, elements per row}. A row is everything under the
     * first dimension, so a vector of labels gathers element by element.
     */
    public static int[] gatherRows(Backend backend, Tensor source, Tensor indices, int offset, Tensor destination) {
        String op = "gatherRows";
        owned(op, backend, "source", source);
        owned(op, backend, "indices", indices);
        owned(op, backend, "destination", destination);
        int[] src = source.shape().dims();
        int[] dst = destination.shape().dims();
        if (src.length == 0 || dst.length != src.length
                || !java.util.Arrays.equals(src, 1, src.length, dst, 1, dst.length)) {
            throw new IllegalArgumentException("gatherRows: rows of source " + source.shape()
                    + " do not fit destination " + destination.shape());
        }
        if (offset < 0 || (long) offset + dst[0] > indices.size()) {
            throw new IllegalArgumentException("gatherRows: indices[" + offset + " .. " + (offset + dst[0])
                    + ") out of range for " + indices.size() + " indices");
        }
        return new int[] {src[0], src[0] == 0 ? 0 : source.size() / src[0]};
    }

    /** Checks a column-block copy. */
    public static void copyColumns(Backend backend, Tensor source, int srcCol, Tensor destination, int dstCol, int cols) {
        String op = "copyColumns";
        owned(op, backend, "source", source);
        owned(op, backend, "destination", destination);
        matrix(op, "source", source);
        matrix(op, "destination", destination);
        if (source.rows() != destination.rows()) {
            throw new IllegalArgumentException("copyColumns: rows differ: source " + source.shape() + ", destination "
                    + destination.shape());
        }
        if (cols < 0 || srcCol < 0 || dstCol < 0 || srcCol + cols > source.cols() || dstCol + cols > destination.cols()) {
            throw new IllegalArgumentException("copyColumns: columns [" + srcCol + ", " + (srcCol + cols) + ") of "
                    + source.shape() + " to [" + dstCol + ", " + (dstCol + cols) + ") of " + destination.shape()
                    + " are out of range");
        }
        if (source == destination) {
            throw new IllegalArgumentException("copyColumns: source and destination must differ");
        }
    }

    /** Fails with a message naming the operation if an index is not a valid row/class index. */
    public static int index(String op, float value, int limit, String what, int position) {
        int i = (int) value;
        if (i != value || i < 0 || i >= limit) {
            throw new IndexOutOfBoundsException(op + ": " + what + " " + position + " " + value
                    + " is not an integer in [0, " + limit + ")");
        }
        return i;
    }
}
