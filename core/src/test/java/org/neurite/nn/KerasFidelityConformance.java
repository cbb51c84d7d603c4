package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Activation;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/**
 * Where Neurite once differed from Keras 3, Keras's numbers, computed from Keras's formulas and written here:
 * Nadam's momentum schedule, cross-entropy on probabilities whose rows do not sum to 1, "accuracy" with binary
 * cross-entropy (multi-label), the variance-scaling initializers and Dense's default, SELU's derivative at 0.
 */
public abstract class KerasFidelityConformance extends ConformanceBase {

    /** keras/src/optimizers/nadam.py over five steps, in double: u_t = b1 (1 - 0.5 * 0.96^t). */
    @Test
    void nadamFollowsKeras3() {
        float lr = 0.01f;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-7;
        float[] w0 = {0.5f, -1.25f, 2f};
        float[][] grads = {{0.1f, -0.2f, 0.3f}, {0.05f, 0.4f, -0.1f}, {-0.3f, 0.1f, 0.2f}, {0.2f, -0.05f, -0.4f},
            {0.15f, 0.25f, 0.05f}};
        double[] w = {w0[0], w0[1], w0[2]};
        double[] m = new double[3];
        double[] v = new double[3];
        double uProduct = 1;
        for (int step = 1; step <= grads.length; step++) {
            double ut = b1 * (1 - 0.5 * Math.pow(0.96, step));
            double ut1 = b1 * (1 - 0.5 * Math.pow(0.96, step + 1));
            uProduct *= ut;
            double uProduct1 = uProduct * ut1;
            for (int i = 0; i < 3; i++) {
                double g = grads[step - 1][i];
                m[i] += (g - m[i]) * (1 - b1);
                v[i] += (g * g - v[i]) * (1 - b2);
                double mHat = ut1 * m[i] / (1 - uProduct1) + (1 - ut) * g / (1 - uProduct);
                double vHat = v[i] / (1 - Math.pow(b2, step));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        try (TensorScope s = new TensorScope(backend); Nadam nadam = new Nadam(lr)) {
            Parameter p = new Parameter("w", s.tensor(w0, 3), s.zeros(3));
            for (float[] g : grads) {
                p.gradient().copyFrom(g);
                nadam.apply(List.of(p));
            }
            float[] got = p.value().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(w[i], got[i], 1e-6 + 1e-5 * Math.abs(w[i]), "Nadam weight " + i + " after 5 steps");
            }
        }
    }

    /**
     * A row of probabilities summing to 1.5, class 0 true: Keras gives 1.0986 (-log(1/3)) for categorical and
     * sparse categorical cross-entropy, and the gradient (-4/3, 2/3, 2/3); without the rescale it was 0.6931.
     */
    @Test
    void crossEntropyOnProbabilitiesRescalesRowsAsKeras() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor p = s.tensor(new float[] {0.5f, 0.5f, 0.5f}, 1, 3);
            for (LossFunction f : new LossFunction[] {LossFunction.categoricalCrossEntropy(false),
                LossFunction.sparseCategoricalCrossEntropy(false)}) {
                Tensor t = f.sparse() ? s.tensor(new float[] {0}, 1) : s.tensor(new float[] {1, 0, 0}, 1, 3);
                Tensor loss = s.zeros(1);
                kernels.loss(f, p, t, loss);
                assertEquals(1.0986123, loss.item(), 1e-5, f + " value");
                Tensor g = s.zeros(1, 3);
                kernels.lossGradient(f, p, t, g);
                assertArrayEquals(new float[] {-4f / 3, 2f / 3, 2f / 3}, g.toFloatArray(), 1e-5f, f + " gradient");
            }
        }
    }

    /**
     * Multi-label classification (sigmoid outputs, binary cross-entropy): "accuracy" is Keras's binary_accuracy,
     * element-wise {@code y == (p > 0.5)} averaged, not an argmax across the labels.
     */
    @Test
    void accuracyWithBinaryCrossEntropyIsElementWise() {
        // logits whose sigmoid is above 0.5 where positive; the targets agree with 10 of the 12 labels
        float[] x = {2, -1, 3, -2, 1, 1, -3, -1, 2, 0.5f, -0.5f, -4};
        float[] y = {1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1};
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 1, new ActivationLayer("sigmoid"))) {
            model.compile(Loss.binaryCrossEntropy(), new SGD(0.1f), Metric.ACCURACY);
            var r = model.evaluate(s.tensor(x, 4, 3), s.tensor(y, 4, 3), 3);
            assertEquals(10.0 / 12, r.get("accuracy"), 1e-6);
        }
    }

    /** Keras's variance scaling: variance scale / n, uniform or normal truncated at 2 stddev (rescaled). */
    @Test
    void initializersHaveKerasStatistics() {
        int in = 300;
        int out = 200;
        Object[][] cases = {
            {Initializer.GLOROT_UNIFORM, 1.0 / ((in + out) / 2.0), true},
            {Initializer.GLOROT_NORMAL, 1.0 / ((in + out) / 2.0), false},
            {Initializer.HE_UNIFORM, 2.0 / in, true},
            {Initializer.HE_NORMAL, 2.0 / in, false},
            {Initializer.LECUN_UNIFORM, 1.0 / in, true},
            {Initializer.LECUN_NORMAL, 1.0 / in, false},
        };
        for (Object[] c : cases) {
            Initializer init = (Initializer) c[0];
            double variance = (Double) c[1];
            boolean uniform = (Boolean) c[2];
            float[] w = init.sample(new SplittableRandom(5), in, out);
            double sum = 0;
            double sq = 0;
            double max = 0;
            for (float v : w) {
                sum += v;
                sq += v * (double) v;
                max = Math.max(max, Math.abs(v));
            }
            double mean = sum / w.length;
            double var = sq / w.length - mean * mean;
            assertEquals(0, mean, 0.01 * Math.sqrt(variance), init + " mean");
            assertEquals(variance, var, 0.02 * variance, init + " variance");
            double bound = uniform ? Math.sqrt(3 * variance) : 2 * Math.sqrt(variance) / 0.87962566103423978;
            assertTrue(max <= bound * (1 + 1e-6), init + ": " + max + " beyond " + bound);
        }
        // Dense's default is Glorot-uniform whatever the activation, as Keras's (selu too)
        try (Sequential m = new Sequential(backend, in, 3, new Dense(out, "selu"))) {
            float[] k = ((Dense) m.layers().get(0)).kernel().value().toFloatArray();
            // the model's seed gives the same draws as sampling Glorot-uniform directly: exactly these values
            assertArrayEquals(Initializer.GLOROT_UNIFORM.sample(new SplittableRandom(3), in, out), k);
        }
    }

    /** TensorFlow's gradient kernels, which Keras 3 trains with: selu'(0) = scale, elu'(0) = 1. */
    @Test
    void derivativesAtZeroFollowTensorFlow() {
        try (TensorScope s = new TensorScope(backend)) {
            Tensor y = s.zeros(1);
            Tensor dy = s.tensor(new float[] {1}, 1);
            Tensor dx = s.zeros(1);
            kernels.activateBackward(Activation.selu(), y, dy, dx);
            assertEquals(1.0507009873554805, dx.item(), 1e-6, "selu'(0)");
            kernels.activateBackward(Activation.elu(), y, dy, dx);
            assertEquals(1.0, dx.item(), 1e-6, "elu'(0)");
        }
    }
}
