package org.neurite.cpu;

import org.neurite.tensor.Activation;
import org.neurite.tensor.spi.KernelChecks;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;

/** The {@link Kernels} contract on Java arrays: checks, then threading, then {@link ElementOps} or {@link Gemm}. */
final class CpuKernels implements Kernels {
    /** Elementwise work below this many elements stays on the calling thread. */
    private static final int GRAIN = 1 << 15;

    private final CpuBackend backend;
    private final Parallel parallel;
    private final ElementOps ops;
    private final Gemm gemm;

    CpuKernels(CpuBackend backend, Parallel parallel, ElementOps ops, Gemm gemm) {
        this.backend = backend;
        this.parallel = parallel;
        this.ops = ops;
        this.gemm = gemm;
    }

    private static float[] d(Tensor t) {
        return ((CpuTensor) t).data();
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                     Tensor bias, Activation activation) {
        int[] mnk = KernelChecks.gemm(backend, transA, transB, a, b, c, bias, activation);
        gemm.multiply(transA, transB, mnk[0], mnk[1], mnk[2], alpha, d(a), d(b), beta, d(c),
                bias == null ? null : d(bias), activation);
    }

    @Override
    public void activate(Activation f, Tensor x, Tensor y) {
        KernelChecks.sameShape("activate", backend, "x", x, "y", y);
        float[] xs = d(x);
        float[] ys = d(y);
        parallel.forRange(x.size(), GRAIN / 4, 64, (from, to) -> ops.activate(f, xs, ys, from, to));
    }

    @Override
    public void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx) {
        KernelChecks.sameShape("activateBackward", backend, "y", y, "dy", dy, "dx", dx);
        float[] ys = d(y);
        float[] dys = d(dy);
        float[] dxs = d(dx);
        parallel.forRange(y.size(), GRAIN / 4, 64, (from, to) -> ops.activateBackward(f, ys, dys, dxs, from, to));
    }

    @Override
    public void softmax(Tensor x, Tensor y) {
        KernelChecks.sameShape("softmax", backend, "x", x, "y", y);
        float[] xs = d(x);
        float[] ys = d(y);
        int cols = x.cols();
        parallel.forRange(x.rows(), Math.max(1, GRAIN / 4 / Math.max(1, cols)), 1, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                float max = ops.max(xs, o, o + cols);
                double sum = ops.expShiftSum(xs, o, cols, max, ys, o);
                ops.scale((float) (1.0 / sum), ys, o, o + cols);
            }
        });
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        KernelChecks.sameShape("softmaxBackward", backend, "y", y, "dy", dy, "dx", dx);
        float[] ys = d(y);
        float[] dys = d(dy);
        float[] dxs = d(dx);
        int cols = y.cols();
        for (int r = 0; r < y.rows(); r++) {
            int o = r * cols;
            float dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += dys[o + j] * ys[o + j];
            }
            for (int j = 0; j < cols; j++) {
                dxs[o + j] = ys[o + j] * (dys[o + j] - dot);
            }
        }
    }

    @Override
    public void sum(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("sum", backend, x, axis, out);
        reduceSumOrMean(x, axis, out, false);
    }

    @Override
    public void mean(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("mean", backend, x, axis, out);
        reduceSumOrMean(x, axis, out, true);
    }

    private void reduceSumOrMean(Tensor x, int axis, Tensor out, boolean mean) {
        float[] xs = d(x);
        float[] os = d(out);
        int rows = x.rows();
        int cols = x.cols();
        if (axis == 0) {
            // Column sums: one axpy per row into the output, which vectorizes along the row.
            java.util.Arrays.fill(os, 0f);
            for (int r = 0; r < rows; r++) {
                ops.axpy(1f, xs, r * cols, os, 0, cols);
            }
            if (mean && rows > 0) {
                ops.scale(1f / rows, os, 0, cols);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                float s = ops.sum(xs, r * cols, (r + 1) * cols);
                os[r] = mean && cols > 0 ? s / cols : s;
            }
        }
    }

    @Override
    public void max(Tensor x, int axis, Tensor out) {
        KernelChecks.reduction("max", backend, x, axis, out);
        float[] xs = d(x);
        float[] os = d(out);
        int rows = x.rows();
        int cols = x.cols();
        if (axis == 0) {
            java.util.Arrays.fill(os, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    os[j] = Math.max(os[j], xs[r * cols + j]);
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                os[r] = ops.max(xs, r * cols, (r + 1) * cols);
            }
        }
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        KernelChecks.argmaxRows(backend, x, out);
        float[] xs = d(x);
        float[] os = d(out);
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            int o = r * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) {
                float v = xs[o + j];
                float b = xs[o + best];
                if (v > b || (v != v && b == b)) {   // the first NaN wins, as NumPy's argmax
                    best = j;
                }
            }
            os[r] = best;
        }
    }

    @Override
    public void sumAll(Tensor x, Tensor out) {
        KernelChecks.owned("sumAll", backend, "x", x);
        KernelChecks.scalar("sumAll", backend, "out", out);
        float[] xs = d(x);
        d(out)[0] = ops.sum(xs, 0, xs.length);
    }

    @Override
    public void loss(LossFunction f, Tensor predictions, Tensor targets, Tensor out) {
        KernelChecks.loss("loss", backend, f, predictions, targets, out, false);
        d(out)[0] = (float) CpuLosses.value(ops, f, d(predictions), d(targets), predictions.rows(), predictions.cols());
    }

    @Override
    public void lossGradient(LossFunction f, Tensor predictions, Tensor targets, Tensor gradient) {
        KernelChecks.loss("lossGradient", backend, f, predictions, targets, gradient, true);
        float[] p = d(predictions);
        float[] t = d(targets);
        float[] g = d(gradient);
        int rows = predictions.rows();
        int cols = predictions.cols();
        if (f.kind() == LossFunction.Kind.CATEGORICAL_CROSS_ENTROPY
                || f.kind() == LossFunction.Kind.SPARSE_CATEGORICAL_CROSS_ENTROPY) {
            // rows are independent: split them over the threads
            parallel.forRange(rows, Math.max(1, GRAIN / 8 / Math.max(1, cols)), 1,
                    (r0, r1) -> CpuLosses.crossEntropyGradient(ops, f, p, t, g, rows, cols, r0, r1));
        } else {
            CpuLosses.gradient(ops, f, p, t, g, rows, cols);
        }
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                          boolean nesterov) {
        boolean plain = KernelChecks.sgd(backend, param, grad, velocity, learningRate, momentum, nesterov);
        float[] w = d(param);
        float[] g = d(grad);
        if (plain) {
            parallel.forRange(w.length, GRAIN, 64, (from, to) -> ops.axpy(-learningRate, g, from, w, from, to - from));
            return;
        }
        float[] v = d(velocity);
        parallel.forRange(w.length, GRAIN, 64,
                (from, to) -> ops.sgdMomentum(w, g, v, from, to, learningRate, momentum, nesterov));
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                           float beta2, float epsilon, int step, float weightDecay) {
        float lrT = KernelChecks.adam(backend, param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
        float decay = learningRate * weightDecay;
        float[] w = d(param);
        float[] g = d(grad);
        float[] ms = d(m);
        float[] vs = d(v);
        parallel.forRange(w.length, GRAIN, 64,
                (from, to) -> ops.adam(w, g, ms, vs, from, to, lrT, beta1, beta2, epsilon, decay));
    }

    @Override
    public void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                            float beta2, float epsilon, float momentumCoefficient, float gradientCoefficient,
                            float secondMomentCorrection) {
        KernelChecks.nadam(backend, param, grad, m, v, learningRate, beta1, beta2, epsilon, secondMomentCorrection);
        float[] w = d(param);
        float[] g = d(grad);
        float[] ms = d(m);
        float[] vs = d(v);
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float mi = beta1 * ms[i] + c1 * gi;
            float vi = beta2 * vs[i] + c2 * gi * gi;
            ms[i] = mi;
            vs[i] = vi;
            w[i] -= learningRate * (momentumCoefficient * mi + gradientCoefficient * gi)
                    / ((float) Math.sqrt(vi / secondMomentCorrection) + epsilon);
        }
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, float learningRate, float rho,
                              float epsilon) {
        KernelChecks.rmsprop(backend, param, grad, meanSquare, learningRate, rho, epsilon);
        float[] w = d(param);
        float[] g = d(grad);
        float[] s = d(meanSquare);
        parallel.forRange(w.length, GRAIN, 64, (from, to) -> ops.rmsprop(w, g, s, from, to, learningRate, rho, epsilon));
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor accumulator, float learningRate, float epsilon) {
        KernelChecks.adagrad(backend, param, grad, accumulator, learningRate, epsilon);
        float[] w = d(param);
        float[] g = d(grad);
        float[] a = d(accumulator);
        parallel.forRange(w.length, GRAIN, 64, (from, to) -> ops.adagrad(w, g, a, from, to, learningRate, epsilon));
    }

    @Override
    public void gatherRows(Tensor source, Tensor indices, int offset, Tensor destination) {
        int[] rowsAndLength = KernelChecks.gatherRows(backend, source, indices, offset, destination);
        int limit = rowsAndLength[0];
        int len = rowsAndLength[1];
        float[] src = d(source);
        float[] idx = d(indices);
        float[] dst = d(destination);
        int count = destination.shape().dim(0);
        // Rows scattered over a large source miss the caches; two threads keep twice the misses in flight.
        parallel.forRange(count, Math.max(1, GRAIN / 4 / Math.max(1, len)), 1, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int from = KernelChecks.index("gatherRows", idx[offset + r], limit, "row index at", offset + r);
                System.arraycopy(src, from * len, dst, r * len, len);
            }
        });
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        KernelChecks.copy(backend, source, destination);
        System.arraycopy(d(source), 0, d(destination), 0, source.size());
    }

    @Override
    public void copyColumns(Tensor source, int srcCol, Tensor destination, int dstCol, int cols) {
        KernelChecks.copyColumns(backend, source, srcCol, destination, dstCol, cols);
        float[] src = d(source);
        float[] dst = d(destination);
        int sw = source.cols();
        int dw = destination.cols();
        for (int r = 0; r < source.rows(); r++) {
            System.arraycopy(src, r * sw + srcCol, dst, r * dw + dstCol, cols);
        }
    }

    @Override
    public void fill(Tensor x, float value) {
        KernelChecks.owned("fill", backend, "x", x);
        java.util.Arrays.fill(d(x), value);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        KernelChecks.sameShape("axpy", backend, "x", x, "y", y);
        float[] xs = d(x);
        float[] ys = d(y);
        parallel.forRange(xs.length, GRAIN, 64, (from, to) -> ops.axpy(alpha, xs, from, ys, from, to - from));
    }

    @Override
    public void scale(float alpha, Tensor x) {
        KernelChecks.owned("scale", backend, "x", x);
        float[] xs = d(x);
        parallel.forRange(xs.length, GRAIN, 64, (from, to) -> ops.scale(alpha, xs, from, to));
    }

    @Override
    public void affineColumns(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        KernelChecks.affineColumns(backend, x, scale, shift, out);
        float[] xs = d(x);
        float[] os = d(out);
        float[] a = d(scale);
        float[] b = d(shift);
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                os[o + j] = xs[o + j] * a[j] + b[j];
            }
        }
    }

    @Override
    public void clip(Tensor x, float lo, float hi, Tensor out) {
        KernelChecks.clip(backend, x, lo, hi, out);
        float[] xs = d(x);
        float[] os = d(out);
        for (int i = 0; i < xs.length; i++) {
            os[i] = Math.min(Math.max(xs[i], lo), hi);
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        KernelChecks.sameShape("add", backend, "a", a, "b", b, "out", out);
        float[] as = d(a);
        float[] bs = d(b);
        float[] os = d(out);
        parallel.forRange(as.length, GRAIN, 64, (from, to) -> ops.add(as, bs, os, from, to));
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        KernelChecks.sameShape("multiply", backend, "a", a, "b", b, "out", out);
        float[] as = d(a);
        float[] bs = d(b);
        float[] os = d(out);
        parallel.forRange(as.length, GRAIN, 64, (from, to) -> ops.multiply(as, bs, os, from, to));
    }
}
