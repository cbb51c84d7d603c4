package org.neurite.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * A two-layer MLP learns the three-arm spiral (the classic non-linearly-separable toy set), written
 * directly against {@link Kernels}: the forward pass, backpropagation and Adam in a page, micrograd-style,
 * with every buffer allocated once before the first step.
 *
 * <pre>
 *   x [batch, 2] -> Dense(hidden, relu) -> Dense(3) -> softmax cross-entropy (fused, from logits)
 * </pre>
 */
public final class Spiral {
    /** Settings, with the defaults the README's command uses. */
    public record Options(int pointsPerClass, int hidden, int epochs, int batchSize, float learningRate, long seed) {
        public static Options defaults() {
            return new Options(200, 64, 200, 32, 0.01f, 42);
        }
    }

    /** What a run produced. */
    /** {@code liveBytes*}: device memory held after the first and the last epoch; equal when nothing leaks. */
    public record Result(float finalLoss, float accuracy, long liveBytesAfterFirstEpoch, long liveBytesAtEnd) {
    }

    static final int CLASSES = 3;

    private Spiral() {
    }

    /** The data set: {@code points} 2-D points per class on three interleaved spiral arms, with noise. */
    static float[][] data(int points, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = points * CLASSES;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < points; i++) {
                int row = c * points + i;
                double radius = (double) i / points;
                double theta = c * 4.0 + 4.0 * radius + r.nextGaussian() * 0.2;
                x[row * 2] = (float) (radius * Math.sin(theta));
                x[row * 2 + 1] = (float) (radius * Math.cos(theta));
                y[row] = c;
            }
        }
        return new float[][] {x, y};
    }

    public static Result train(Backend backend, Options o, PrintStream out) {
        Kernels k = backend.kernels();
        float[][] xy = data(o.pointsPerClass(), o.seed());
        int n = o.pointsPerClass() * CLASSES;
        int batch = Math.min(o.batchSize(), n);
        int steps = n / batch;
        SplittableRandom r = new SplittableRandom(o.seed() + 1);
        try (TensorScope s = new TensorScope(backend)) {
            Tensor x = s.tensor(xy[0], n, 2);
            Tensor y = s.tensor(xy[1], n);
            // Parameters: Glorot-uniform kernels, zero biases (Keras's defaults).
            Tensor w1 = s.tensor(glorot(r, 2, o.hidden()), 2, o.hidden());
            Tensor b1 = s.zeros(o.hidden());
            Tensor w2 = s.tensor(glorot(r, o.hidden(), CLASSES), o.hidden(), CLASSES);
            Tensor b2 = s.zeros(CLASSES);
            Tensor[] params = {w1, b1, w2, b2};
            Tensor[] grads = new Tensor[4];
            Tensor[] m = new Tensor[4];
            Tensor[] v = new Tensor[4];
            for (int i = 0; i < 4; i++) {
                grads[i] = s.zeros(params[i].shape());
                m[i] = s.zeros(params[i].shape());
                v[i] = s.zeros(params[i].shape());
            }
            // Activations and their gradients, allocated once for the batch size.
            Tensor xb = s.zeros(batch, 2);
            Tensor yb = s.zeros(batch);
            Tensor h = s.zeros(batch, o.hidden());
            Tensor logits = s.zeros(batch, CLASSES);
            Tensor dLogits = s.zeros(batch, CLASSES);
            Tensor dh = s.zeros(batch, o.hidden());
            Tensor loss = s.zeros(1);
            Tensor order = s.zeros(n);
            LossFunction ce = LossFunction.sparseCategoricalCrossEntropy(true);

            float[] perm = new float[n];
            long liveAfterFirst = 0;
            float epochLoss = Float.NaN;
            int t = 0;
            for (int epoch = 1; epoch <= o.epochs(); epoch++) {
                shuffle(perm, r);
                order.copyFrom(perm);   // one upload per epoch; batches are gathered on the device
                double sum = 0;
                for (int step = 0; step < steps; step++) {
                    k.gatherRows(x, order, step * batch, xb);
                    k.gatherRows(y, order, step * batch, yb);
                    // Forward: h = relu(x W1 + b1), logits = h W2 + b2.
                    k.gemm(false, false, 1f, xb, w1, 0f, h, b1, Activation.relu());
                    k.gemm(false, false, 1f, h, w2, 0f, logits, b2, Activation.identity());
                    k.loss(ce, logits, yb, loss);
                    // Backward, layer by layer.
                    k.lossGradient(ce, logits, yb, dLogits);
                    k.gemm(true, false, 1f, h, dLogits, 0f, grads[2]);          // dW2 = h^T dLogits
                    k.sum(dLogits, 0, grads[3]);                                // db2
                    k.gemm(false, true, 1f, dLogits, w2, 0f, dh);               // dh = dLogits W2^T
                    k.activateBackward(Activation.relu(), h, dh, dh);           // through the ReLU
                    k.gemm(true, false, 1f, xb, dh, 0f, grads[0]);              // dW1 = x^T dh
                    k.sum(dh, 0, grads[1]);                                     // db1
                    t++;
                    for (int i = 0; i < 4; i++) {
                        k.adamUpdate(params[i], grads[i], m[i], v[i], o.learningRate(), 0.9f, 0.999f, 1e-7f, t, 0f);
                    }
                    sum += loss.item();
                }
                epochLoss = (float) (sum / steps);
                if (epoch == 1) {
                    liveAfterFirst = backend.liveBytes();
                }
                if (out != null && (epoch == 1 || epoch % 20 == 0 || epoch == o.epochs())) {
                    out.printf(Locale.ROOT, "epoch %4d/%d  loss %.4f%n", epoch, o.epochs(), epochLoss);
                }
            }
            long liveAtEnd = backend.liveBytes();
            float accuracy = accuracy(k, s, x, xy[1], w1, b1, w2, b2, o.hidden());
            return new Result(epochLoss, accuracy, liveAfterFirst, liveAtEnd);
        }
    }

    private static float accuracy(Kernels k, TensorScope s, Tensor x, float[] labels, Tensor w1, Tensor b1, Tensor w2,
                                  Tensor b2, int hidden) {
        int n = labels.length;
        Tensor h = s.zeros(n, hidden);
        Tensor logits = s.zeros(n, CLASSES);
        Tensor predicted = s.zeros(n);
        k.gemm(false, false, 1f, x, w1, 0f, h, b1, Activation.relu());
        k.gemm(false, false, 1f, h, w2, 0f, logits, b2, Activation.identity());
        k.argmaxRows(logits, predicted);
        float[] p = predicted.toFloatArray();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] == labels[i]) {
                correct++;
            }
        }
        return (float) correct / n;
    }

    static float[] glorot(SplittableRandom r, int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[fanIn * fanOut];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-limit, limit);
        }
        return w;
    }

    private static void shuffle(float[] perm, SplittableRandom r) {
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
    }
}
