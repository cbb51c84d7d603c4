package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/**
 * Nadam (Dozat 2016): Adam with Nesterov momentum, as Keras 3 computes it (beta1 0.9, beta2 0.999,
 * epsilon 1e-7, momentum cache {@code u_t = b1 (1 - 0.5 * 0.96^t)} for step t = 1, 2, ..., as
 * {@code keras/src/optimizers/nadam.py}; tf.keras 2 used {@code 0.96^(0.004 t)}). The optimizer keeps the running
 * product of the {@code u_t} and hands the kernel the step's coefficients.
 */
public final class Nadam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private double uProduct = 1;
    private int productStep;

    /** Keras's default learning rate is 0.001. */
    public Nadam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    public Nadam(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private double cache(int t) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, t));
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "Nadam", "learning_rate", (double) learningRate, "beta1", (double) beta1,
                "beta2", (double) beta2, "epsilon", (double) epsilon, "iterations", iterations);
    }

    @Override
    protected int stateCount() {
        return 2;
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        int t = iterations;
        while (productStep < t) {   // advances once per step, however many parameters
            productStep++;
            uProduct *= cache(productStep);
        }
        if (productStep > t) {      // reset() or a restored model: recompute from the start
            uProduct = 1;
            for (productStep = 1; productStep <= t; productStep++) {
                uProduct *= cache(productStep);
            }
            productStep = t;
        }
        double ut = cache(t);
        double ut1 = cache(t + 1);
        k.nadamUpdate(p.value(), p.gradient(), s[0], s[1], learningRate, beta1, beta2, epsilon,
                (float) (ut1 / (1 - uProduct * ut1)), (float) ((1 - ut) / (1 - uProduct)),
                (float) (1 - Math.pow(beta2, t)));
    }
}
