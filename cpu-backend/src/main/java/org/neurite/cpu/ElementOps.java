package org.neurite.cpu;

import org.neurite.tensor.Activation;

/**
 * The inner loops of the elementwise kernels and reductions over {@code [from, to)} of Java arrays. The
 * scalar implementation defines them; the vectorized one overrides what the Vector API speeds up.
 * Threading and checks are {@link CpuKernels}' business, not this one's.
 */
interface ElementOps {
    void activate(Activation f, float[] x, float[] y, int from, int to);

    void activateBackward(Activation f, float[] y, float[] dy, float[] dx, int from, int to);

    /**
     * Part of a GEMM output row: {@code c[off + j] = f(c[off + j] + bias[biasOff + j])} for j in [0, n);
     * bias may be null.
     */
    void biasActivate(float[] c, int off, float[] bias, int biasOff, int n, Activation f);

    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    void scale(float alpha, float[] x, int from, int to);

    void add(float[] a, float[] b, float[] out, int from, int to);

    void multiply(float[] a, float[] b, float[] out, int from, int to);

    float sum(float[] x, int from, int to);

    float max(float[] x, int from, int to);

    /**
     * {@code out[outOff + j] = exp(x[off + j] - shift)} for j in [0, n) (skipped when {@code out} is null);
     * returns their sum. The softmax and log-sum-exp inner loop. Deliberately scalar {@link Math#exp} on every
     * path: the Vector API's {@code lanewise(EXP)} is SVML in C2-compiled code and {@code Math.exp} per lane
     * before that, which differ in the last bit, and made a seeded training run's result depend on JIT
     * timing (measured: 30-epoch Fashion-MNIST at 88.34% and 88.25% from the same code and seed).
     * A polynomial exp in Vector API arithmetic was tried: within 2 ulp, but on JDK 17 C2 failed to
     * intrinsify its integer shifts and reinterpretations in this loop, and it ran 3-25x slower.
     */
    double expShiftSum(float[] x, int off, int n, float shift, float[] out, int outOff);

    /** Adam with bias correction folded into {@code lrT}; {@code decay} = lr * weightDecay (AdamW). */
    void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lrT, float beta1, float beta2,
              float epsilon, float decay);

    void sgdMomentum(float[] w, float[] g, float[] vel, int from, int to, float lr, float momentum, boolean nesterov);

    void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float rho, float epsilon);

    void adagrad(float[] w, float[] g, float[] acc, int from, int to, float lr, float epsilon);
}
