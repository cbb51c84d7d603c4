package org.neurite.tensor.device;

import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.spi.KernelChecks;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;

/**
 * The {@link Kernels} contract for accelerators, written once for every {@link DeviceRuntime}: the shared
 * argument checks, then one or two asynchronous launches of the shared kernel families. The only host
 * round trips are the validations of index tensors (class labels, row permutations), done once per
 * upload of each (see {@link DeviceTensor}). The OpenCL and CUDA backends both run on this class, and
 * both compile the same kernel sources, so that what the conformance suite proves on one (PoCL in CI)
 * holds for the other's code as well.
 */
public final class DeviceKernels implements Kernels {
    /** Work-group size of the one-row-per-group kernels (a power of two). */
    public static final int ROW_WG = 64;
    /**
     * Work-group shape of the 2-D data-movement kernels. Every launch uses a fixed work-group size (the
     * global size is padded instead), since PoCL compiles each kernel anew for each size it meets.
     */
    private static final long[] TILE_2D = {64, 4};

    private final Backend backend;
    private final DeviceRuntime rt;
    private final long[] elementLocal;

    /** Kernels for {@code backend}'s tensors (instances of {@link DeviceTensor}), launched through {@code rt}. */
    public DeviceKernels(Backend backend, DeviceRuntime rt) {
        this.backend = backend;
        this.rt = rt;
        this.elementLocal = new long[] {rt.elementGroup()};
    }

    /** An input's buffer. */
    private static Object in(Tensor t) {
        return ((DeviceTensor) t).buffer();
    }

    /** An output's buffer; its contents are about to change. */
    private static Object out(Tensor t) {
        DeviceTensor c = (DeviceTensor) t;
        c.written();
        return c.buffer();
    }

    private void elementwise(String family, String name, int n, Object... args) {
        rt.launch(family, name, new long[] {n}, elementLocal, args);
    }

    private void rows(String family, String name, int rows, Object... args) {
        rt.launch(family, name, new long[] {(long) rows * ROW_WG}, new long[] {ROW_WG}, args);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                     Tensor bias, Activation activation) {
        int[] mnk = KernelChecks.gemm(backend, transA, transB, a, b, c, bias, activation);
        synchronized (rt) {
            rt.gemm(transA, transB, mnk[0], mnk[1], mnk[2], alpha, in(a), in(b), beta, out(c),
                    bias == null ? null : in(bias), activation);
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activate(Activation f, Tensor x, Tensor y) {
        KernelChecks.sameShape("activate", backend, "x", x, "y", y);
        synchronized (rt) {
            elementwise("elementwise", "activate", x.size(), f.kind().ordinal(), f.alpha(), in(x), out(y), x.size());
        }
    }

    @Override
    public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        KernelChecks.sameShape("activateBackward", backend, "y", y, "dy", dy, "dx", dx);
        synchronized (rt) {
            elementwise("elementwise", "activate_backward", y.size(), f.kind().ordinal(), f.alpha(), in(y), in(dy),
                    out(dx), y.size());
        }
    }

    @Override
    public void softmax(Tensor x, Tensor y) {
        KernelChecks.sameShape("softmax", backend, "x", x, "y", y);
        synchronized (rt) {
            rows("reduce", "softmax", x.rows(), in(x), out(y), x.cols());
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        KernelChecks.sameShape("softmaxBackward", backend, "y", y, "dy", dy, "dx", dx);
        synchronized (rt) {
            rows("reduce", "softmax_backward", y.rows(), in(y), in(dy), out(dx), y.cols());
        }
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void sum(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("sum", backend, x, axis, out);
        sumOrMean(x, axis, out, false);
    }

    @Override
    public void mean(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("mean", backend, x, axis, out);
        sumOrMean(x, axis, out, true);
    }

    private void sumOrMean(Tensor x, int axis, Tensor out, boolean mean) {
        int rows = x.rows();
        int cols = x.cols();
        synchronized (rt) {
            if (axis == 0) {
                float scale = mean && rows > 0 ? 1f / rows : 1f;
                elementwise("reduce", "sum_cols", cols, in(x), out(out), rows, cols, scale);
            } else {
                float scale = mean && cols > 0 ? 1f / cols : 1f;
                rows("reduce", "sum_rows", rows, in(x), out(out), cols, scale);
            }
        }
    }

    @Override
    public void max(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("max", backend, x, axis, out);
        synchronized (rt) {
            if (axis == 0) {
                elementwise("reduce", "max_cols", x.cols(), in(x), out(out), x.rows(), x.cols());
            } else {
                rows("reduce", "max_rows", x.rows(), in(x), out(out), x.cols());
            }
        }
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        KernelChecks.argmaxRows(backend, x, out);
        synchronized (rt) {
            if (x.cols() == 0) {
                rt.fill(out(out), 0f, 4L * x.rows());
                return;
            }
            elementwise("reduce", "argmax_rows", x.rows(), in(x), out(out), x.rows(), x.cols());
        }
    }

    @Override
    public void sumAll(Tensor x, Tensor out) {
        KernelChecks.owned("sumAll", backend, "x", x);
        KernelChecks.scalar("sumAll", backend, "out", out);
        synchronized (rt) {
            sumAll(in(x), x.size(), 1f, out(out));
        }
    }

    /** Sums above this many elements take two stages: one work-group would leave a GPU nearly idle. */
    static final int ONE_STAGE_MAX = 1 << 16;

    private void sumAll(Object x, int n, float scale, Object out) {
        if (n <= ONE_STAGE_MAX) {
            rt.launch("reduce", "sum_all", new long[] {ROW_WG}, new long[] {ROW_WG}, x, n, scale, out);
            return;
        }
        int groups = (int) Math.min(256, ((long) n + 16L * ROW_WG - 1) / (16L * ROW_WG));
        Object partial = rt.scratch(4L * groups);
        try {
            rt.launch("reduce", "sum_partial", new long[] {(long) groups * ROW_WG}, new long[] {ROW_WG}, x, n, groups,
                    partial);
            rt.launch("reduce", "sum_all", new long[] {ROW_WG}, new long[] {ROW_WG}, partial, groups, scale, out);
        } finally {
            rt.releaseScratch(partial, 4L * groups);
        }
    }

    // ---------------------------------------------------------------- losses

    @Override
    public void loss(LossFunction f, Tensor predictions, Tensor targets, Tensor out) {
        KernelChecks.loss("loss", backend, f, predictions, targets, out, false);
        int rows = predictions.rows();
        int cols = predictions.cols();
        synchronized (rt) {
            if (f.sparse()) {
                checkIndices("loss", (DeviceTensor) targets, 0, rows, cols, "class index of row");
            }
            boolean perRow = perRow(f);
            int terms = perRow ? rows : predictions.size();
            Object scratch = rt.scratch(4L * terms);
            try {
                if (perRow) {
                    rows("loss", "loss_terms_rows", rows, f.sparse() ? 1 : 0, f.fromLogits() ? 1 : 0,
                            in(predictions), in(targets), scratch, cols);
                } else {
                    elementwise("loss", "loss_terms_elem", terms, f.kind().ordinal(), f.fromLogits() ? 1 : 0,
                            f.delta(), in(predictions), in(targets), scratch, terms);
                }
                sumAll(scratch, terms, terms == 0 ? 1f : 1f / terms, out(out));
            } finally {
                rt.releaseScratch(scratch, 4L * terms);
            }
        }
    }

    /** The cross-entropies work row by row (a softmax or a class index per row); the rest elementwise. */
    private static boolean perRow(LossFunction f) {
        return f.kind() == LossFunction.Kind.CATEGORICAL_CROSS_ENTROPY || f.sparse();
    }

    @Override
    public void lossGradient(LossFunction f, Tensor predictions, Tensor targets, Tensor gradient) {
        KernelChecks.loss("lossGradient", backend, f, predictions, targets, gradient, true);
        int rows = predictions.rows();
        int cols = predictions.cols();
        synchronized (rt) {
            if (f.sparse()) {
                checkIndices("lossGradient", (DeviceTensor) targets, 0, rows, cols, "class index of row");
            }
            if (perRow(f)) {
                rows("loss", "loss_grad_rows", rows, f.sparse() ? 1 : 0, f.fromLogits() ? 1 : 0, in(predictions),
                        in(targets), out(gradient), rows, cols);
            } else {
                int n = predictions.size();
                elementwise("loss", "loss_grad_elem", n, f.kind().ordinal(), f.fromLogits() ? 1 : 0, f.delta(),
                        in(predictions), in(targets), out(gradient), n);
            }
        }
    }

    // ---------------------------------------------------------------- index validation

    /**
     * Fails as the CPU backend does unless {@code t[from .. from + count)} are integers in {@code [0, limit)}.
     * The fast path asks the device once per version of the tensor (or of the tensor it was gathered from)
     * for its largest element; only a tensor that fails that is read back to find the culprit.
     */
    private void checkIndices(String op, DeviceTensor t, int from, int count, int limit, String what) {
        int bound = indexBound(t);
        if (bound >= 0 && bound <= limit) {
            return;
        }
        float[] host = new float[t.size()];
        rt.read(t.buffer(), host);
        for (int i = from; i < from + count; i++) {
            KernelChecks.index(op, host[i], limit, what, i);
        }
    }

    private int indexBound(DeviceTensor t) {
        if (t.indexBound != DeviceTensor.UNKNOWN) {
            return t.indexBound;
        }
        DeviceTensor source = t.boundSource;
        if (source != null && !source.isClosed() && source.version == t.boundSourceVersion) {
            t.indexBound = indexBound(source);
            return t.indexBound;
        }
        Object stats = rt.scratch(8);
        try {
            rt.launch("reduce", "index_stats", new long[] {ROW_WG}, new long[] {ROW_WG}, t.buffer(), t.size(), stats);
            float[] s = new float[2];
            rt.read(stats, s);
            t.indexBound = s[0] != 0f || s[1] >= Integer.MAX_VALUE ? DeviceTensor.NOT_INDICES : (int) s[1] + 1;
        } finally {
            rt.releaseScratch(stats, 8);
        }
        return t.indexBound;
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                          boolean nesterov) {
        boolean plain = KernelChecks.sgd(backend, param, grad, velocity, learningRate, momentum, nesterov);
        int n = param.size();
        if (plain) {
            synchronized (rt) {
                elementwise("optimizer", "sgd", n, out(param), in(grad), learningRate, n);
            }
            return;
        }
        synchronized (rt) {
            elementwise("optimizer", "sgd_momentum", n, out(param), in(grad), out(velocity), learningRate, momentum,
                    nesterov ? 1 : 0, n);
        }
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                           float beta2, float epsilon, int step, float weightDecay) {
        float lrT = KernelChecks.adam(backend, param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
        int n = param.size();
        synchronized (rt) {
            elementwise("optimizer", "adam", n, out(param), in(grad), out(m), out(v), lrT, beta1, beta2, epsilon,
                    learningRate * weightDecay, n);
        }
    }

    @Override
    public void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                            float beta2, float epsilon, float momentumCoefficient, float gradientCoefficient,
                            float secondMomentCorrection) {
        KernelChecks.nadam(backend, param, grad, m, v, learningRate, beta1, beta2, epsilon, secondMomentCorrection);
        int n = param.size();
        synchronized (rt) {
            elementwise("optimizer", "nadam", n, out(param), in(grad), out(m), out(v), learningRate, beta1, beta2,
                    epsilon, momentumCoefficient, gradientCoefficient, secondMomentCorrection, n);
        }
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, float learningRate, float rho,
                              float epsilon) {
        KernelChecks.rmsprop(backend, param, grad, meanSquare, learningRate, rho, epsilon);
        int n = param.size();
        synchronized (rt) {
            elementwise("optimizer", "rmsprop", n, out(param), in(grad), out(meanSquare), learningRate, rho, epsilon, n);
        }
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor accumulator, float learningRate, float epsilon) {
        KernelChecks.adagrad(backend, param, grad, accumulator, learningRate, epsilon);
        int n = param.size();
        synchronized (rt) {
            elementwise("optimizer", "adagrad", n, out(param), in(grad), out(accumulator), learningRate, epsilon, n);
        }
    }

    // ---------------------------------------------------------------- data movement and elementwise

    @Override
    public void gatherRows(Tensor source, Tensor indices, int offset, Tensor destination) {
        int[] rowsAndLength = KernelChecks.gatherRows(backend, source, indices, offset, destination);
        int limit = rowsAndLength[0];
        int len = rowsAndLength[1];
        int count = destination.shape().dim(0);
        synchronized (rt) {
            checkIndices("gatherRows", (DeviceTensor) indices, offset, count, limit, "row index at");
            DeviceTensor src = (DeviceTensor) source;
            DeviceTensor dst = (DeviceTensor) destination;
            rt.launch("elementwise", "gather_rows", new long[] {len, count}, TILE_2D,
                    src.buffer(), in(indices), offset, out(dst), len, count);
            if (src != dst) {
                // The gathered rows are indices whenever the source's are: inherit its (lazily found) bound.
                dst.boundSource = src;
                dst.boundSourceVersion = src.version;
            }
        }
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        KernelChecks.copy(backend, source, destination);
        if (source == destination) {
            return;
        }
        synchronized (rt) {
            rt.copy(in(source), out(destination), 4L * source.size());
        }
    }

    @Override
    public void copyColumns(Tensor source, int srcCol, Tensor destination, int dstCol, int cols) {
        KernelChecks.copyColumns(backend, source, srcCol, destination, dstCol, cols);
        synchronized (rt) {
            rt.launch("elementwise", "copy_columns", new long[] {cols, source.rows()}, TILE_2D,
                    in(source), srcCol, source.cols(), out(destination), dstCol, destination.cols(), cols,
                    source.rows());
        }
    }

    @Override
    public void fill(Tensor x, float value) {
        KernelChecks.owned("fill", backend, "x", x);
        synchronized (rt) {
            rt.fill(out(x), value, 4L * x.size());
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        KernelChecks.sameShape("axpy", backend, "x", x, "y", y);
        synchronized (rt) {
            elementwise("elementwise", "axpy", x.size(), alpha, in(x), out(y), x.size());
        }
    }

    @Override
    public void scale(float alpha, Tensor x) {
        KernelChecks.owned("scale", backend, "x", x);
        synchronized (rt) {
            elementwise("elementwise", "scale", x.size(), alpha, out(x), x.size());
        }
    }

    @Override
    public void affineColumns(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        KernelChecks.affineColumns(backend, x, scale, shift, out);
        synchronized (rt) {
            elementwise("elementwise", "affine_columns", x.size(), in(x), in(scale), in(shift), out(out), x.cols(),
                    x.size());
        }
    }

    @Override
    public void clip(Tensor x, float lo, float hi, Tensor out) {
        KernelChecks.clip(backend, x, lo, hi, out);
        synchronized (rt) {
            elementwise("elementwise", "clip", x.size(), in(x), lo, hi, out(out), x.size());
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        KernelChecks.sameShape("add", backend, "a", a, "b", b, "out", out);
        synchronized (rt) {
            elementwise("elementwise", "add", a.size(), in(a), in(b), out(out), a.size());
        }
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        KernelChecks.sameShape("multiply", backend, "a", a, "b", b, "out", out);
        synchronized (rt) {
            elementwise("elementwise", "multiply", a.size(), in(a), in(b), out(out), a.size());
        }
    }
}
