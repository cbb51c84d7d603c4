package org.neurite.tensor;

/**
 * The kernel contract: the short list of operations a backend must provide. Every operation writes into
 * outputs the caller allocated, so that training can allocate its buffers once and reuse them.
 * Convenience forms that allocate their result live in {@link Ops}, written once on top of this.
 *
 * <p>Conventions, for every backend:
 * <ul>
 *   <li>Matrices are row-major; a tensor of rank other than 2 is seen as
 *       {@code [shape.rows(), shape.cols()]} where an operation works on rows.</li>
 *   <li>Elementwise operations need operands of identical shape and allow the output to be one of the
 *       inputs (in place). GEMM's output must not alias its inputs.</li>
 *   <li>Every tensor must be open and belong to the backend these kernels came from; anything else fails
 *       with an exception naming the operation and the offending shapes or tensors
 *       ({@code gemm: inner dimensions differ: [32, 784] x [300, 100]}).</li>
 *   <li>GPU backends may run kernels asynchronously; reading a tensor to the host waits for them.</li>
 *   <li>Index tensors (class labels, row indices) hold integers stored exactly as floats (up to 2^24).</li>
 * </ul>
 */
public interface Kernels {

    // ---------------------------------------------------------------- GEMM

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
     * With {@code beta == 0}, C's old contents are ignored (NaNs in it do not propagate).
     */
    default void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        gemm(transA, transB, alpha, a, b, beta, c, null, Activation.identity());
    }

    /**
     * GEMM with a fused epilogue: {@code C = f(alpha * op(A) * op(B) + beta * C + bias)}, the bias (a vector
     * of C's column count, or null) added to every row, then the activation {@code f} applied. This is a
     * dense layer's forward pass in one call.
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c,
              Tensor bias, Activation activation);

    // ---------------------------------------------------------------- activations

    /** {@code y = f(x)} elementwise. */
    void activate(Activation f, Tensor x, Tensor y);

    /**
     * {@code dx = dy * f'(x)}, computed from the forward <em>output</em> {@code y = f(x)} (see
     * {@link Activation} for why).
     */
    void activateBackward(Activation f, Tensor y, Tensor dy, Tensor dx);

    /** Row-wise softmax, numerically stable (the row maximum is subtracted first). */
    void softmax(Tensor x, Tensor y);

    /** Softmax backward from its output: {@code dx = y * (dy - sum(dy * y, row))}. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx);

    // ---------------------------------------------------------------- reductions

    /**
     * Sum of a matrix along {@code axis}: 0 sums over rows ({@code out} has {@code cols} elements; a bias
     * gradient), 1 sums over columns ({@code out} has {@code rows} elements).
     */
    void sum(Tensor x, int axis, Tensor out);

    /** Mean of a matrix along {@code axis}, shaped as {@link #sum}. */
    void mean(Tensor x, int axis, Tensor out);

    /** Maximum of a matrix along {@code axis}, shaped as {@link #sum}. */
    void max(Tensor x, int axis, Tensor out);

    /** Index of the largest element of each row (the first one on ties), {@code out} has {@code rows} elements. */
    void argmaxRows(Tensor x, Tensor out);

    /** Sum of all elements into the one-element tensor {@code out}. */
    void sumAll(Tensor x, Tensor out);

    // ---------------------------------------------------------------- losses

    /** The mean loss over the batch into the one-element tensor {@code out} (see {@link LossFunction}). */
    void loss(LossFunction f, Tensor predictions, Tensor targets, Tensor out);

    /** Gradient of the mean loss with respect to {@code predictions} (the logits where {@code fromLogits}). */
    void lossGradient(LossFunction f, Tensor predictions, Tensor targets, Tensor gradient);

    // ---------------------------------------------------------------- optimizer updates (in place)

    /**
     * SGD as Keras does it: {@code v = momentum * v - lr * g}, then {@code w = w + v}, or with Nesterov
     * {@code w = w + momentum * v - lr * g}. With momentum 0, {@code velocity} may be null and the update is
     * {@code w = w - lr * g}.
     */
    void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                   boolean nesterov);

    /**
     * Adam (Kingma and Ba), as Keras: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
     * {@code w = w - lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)} for step {@code t >= 1}.
     * With {@code weightDecay > 0} it is AdamW: {@code w = w - lr * weightDecay * w} first (decoupled).
     */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                    float beta2, float epsilon, int step, float weightDecay);

    /**
     * Nadam's fused step (Dozat 2016, as Keras computes it): {@code m = b1 m + (1 - b1) g},
     * {@code v = b2 v + (1 - b2) g^2}, {@code w = w - lr (cm m + cg g) / (sqrt(v / vc) + eps)}. The caller
     * computes the schedule-dependent coefficients {@code cm}, {@code cg} and {@code vc = 1 - b2^t}, which
     * carry the momentum-cache product across steps.
     */
    void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                     float epsilon, float momentumCoefficient, float gradientCoefficient, float secondMomentCorrection);

    /** RMSprop as Keras 3: {@code s = rho s + (1 - rho) g^2}, {@code w = w - lr * g / sqrt(s + eps)}. */
    void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, float learningRate, float rho,
                       float epsilon);

    /** Adagrad as Keras 3: {@code a = a + g^2}, {@code w = w - lr * g / sqrt(a + eps)}. */
    void adagradUpdate(Tensor param, Tensor grad, Tensor accumulator, float learningRate, float epsilon);

    // ---------------------------------------------------------------- data movement and elementwise

    /**
     * {@code destination[r] = source[indices[offset + r]]} for every row r of {@code destination}: the
     * rows of a shuffled batch, with the permutation uploaded once per epoch.
     */
    void gatherRows(Tensor source, Tensor indices, int offset, Tensor destination);

    /** {@code destination = source}; shapes must hold the same number of elements. */
    void copy(Tensor source, Tensor destination);

    /**
     * {@code destination[r, dstCol + j] = source[r, srcCol + j]} for every row r and {@code j < cols}: a
     * block of columns, for concatenating and splitting matrices side by side. Rows must match.
     */
    void copyColumns(Tensor source, int srcCol, Tensor destination, int dstCol, int cols);

    /** Every element set to {@code value}. */
    void fill(Tensor x, float value);

    /** {@code y = y + alpha * x}. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code x = alpha * x}. */
    void scale(float alpha, Tensor x);

    /**
     * {@code out[r, j] = x[r, j] * scale[j] + shift[j]}: a per-column affine map (feature standardization;
     * {@code out} may be {@code x}).
     */
    void affineColumns(Tensor x, Tensor scale, Tensor shift, Tensor out);

    /** {@code out = min(max(x, lo), hi)}, elementwise (gradient clipping by value). */
    void clip(Tensor x, float lo, float hi, Tensor out);

    /** {@code out = a + b}. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a * b}, elementwise. */
    void multiply(Tensor a, Tensor b, Tensor out);
}
