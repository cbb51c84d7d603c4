package org.neurite.tensor;

/**
 * Convenience operations that allocate their result, written once on top of {@link Kernels} for every
 * backend. The caller owns (and must close) each returned tensor. In training loops, prefer the
 * {@link Kernels} forms with buffers allocated once.
 *
 * <pre>{@code
 * try (Tensor h = Ops.matmul(x, w); Tensor y = Ops.relu(h)) { ... }
 * }</pre>
 */
public final class Ops {
    private Ops() {
    }

    /** {@code a · b}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    /** {@code op(a) · op(b)}, each optionally transposed. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        int m = transA ? a.cols() : a.rows();
        int n = transB ? b.rows() : b.cols();
        Tensor c = a.backend().zeros(Shape.of(m, n));
        return fill(c, () -> a.backend().kernels().gemm(transA, transB, 1f, a, b, 0f, c));
    }

    /** {@code f(x · w + bias)}: a dense layer's forward pass. */
    public static Tensor dense(Tensor x, Tensor w, Tensor bias, Activation f) {
        Tensor c = x.backend().zeros(Shape.of(x.rows(), w.cols()));
        return fill(c, () -> x.backend().kernels().gemm(false, false, 1f, x, w, 0f, c, bias, f));
    }

    /** {@code f(x)} elementwise. */
    public static Tensor activate(Activation f, Tensor x) {
        Tensor y = x.backend().zeros(x.shape());
        return fill(y, () -> x.backend().kernels().activate(f, x, y));
    }

    public static Tensor relu(Tensor x) {
        return activate(Activation.relu(), x);
    }

    public static Tensor sigmoid(Tensor x) {
        return activate(Activation.sigmoid(), x);
    }

    public static Tensor tanh(Tensor x) {
        return activate(Activation.tanh(), x);
    }

    /** Row-wise softmax. */
    public static Tensor softmax(Tensor x) {
        Tensor y = x.backend().zeros(x.shape());
        return fill(y, () -> x.backend().kernels().softmax(x, y));
    }

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = a.backend().zeros(a.shape());
        return fill(out, () -> a.backend().kernels().add(a, b, out));
    }

    public static Tensor multiply(Tensor a, Tensor b) {
        Tensor out = a.backend().zeros(a.shape());
        return fill(out, () -> a.backend().kernels().multiply(a, b, out));
    }

    /** Sum along {@code axis} (0: over rows, 1: over columns) as a vector. */
    public static Tensor sum(Tensor x, int axis) {
        Tensor out = x.backend().zeros(Shape.of(axis == 0 ? x.cols() : x.rows()));
        return fill(out, () -> x.backend().kernels().sum(x, axis, out));
    }

    /** Index of each row's largest element, as a vector of exact floats. */
    public static Tensor argmaxRows(Tensor x) {
        Tensor out = x.backend().zeros(Shape.of(x.rows()));
        return fill(out, () -> x.backend().kernels().argmaxRows(x, out));
    }

    /** The mean loss, read back to the host. */
    public static float loss(LossFunction f, Tensor predictions, Tensor targets) {
        try (Tensor out = predictions.backend().zeros(Shape.of(1))) {
            predictions.backend().kernels().loss(f, predictions, targets, out);
            return out.item();
        }
    }

    /** A copy of {@code x} on {@code target} (through the host when the backends differ). */
    public static Tensor copyTo(Tensor x, Backend target) {
        return target.tensor(x.toFloatArray(), x.shape());
    }

    /** Runs {@code kernel} into the freshly allocated {@code result}, closing it if the kernel fails. */
    private static Tensor fill(Tensor result, Runnable kernel) {
        try {
            kernel.run();
            return result;
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
    }
}
