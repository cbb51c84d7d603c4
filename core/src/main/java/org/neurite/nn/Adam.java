package org.neurite.nn;

import org.neurite.tensor.Kernels;
import org.neurite.tensor.Tensor;

/** Adam with Keras's defaults (beta1 0.9, beta2 0.999, epsilon 1e-7); with weight decay it is AdamW. */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;

    /** Keras's default learning rate is 0.001. */
    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f, 0f);
    }

    public Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** AdamW (Loshchilov and Hutter): decoupled weight decay; Keras's default decay is 0.004. */
    public static Adam adamW(float learningRate, float weightDecay) {
        return new Adam(learningRate, 0.9f, 0.999f, 1e-7f, weightDecay);
    }

    @Override
    protected java.util.Map<String, Object> config() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("class", "Adam");
        c.put("learning_rate", (double) learningRate);
        c.put("beta1", (double) beta1);
        c.put("beta2", (double) beta2);
        c.put("epsilon", (double) epsilon);
        c.put("weight_decay", (double) weightDecay);
        c.put("iterations", iterations);
        return c;
    }

    @Override
    protected int stateCount() {
        return 2;
    }

    @Override
    protected void update(Kernels k, Parameter p, Tensor[] s) {
        k.adamUpdate(p.value(), p.gradient(), s[0], s[1], learningRate, beta1, beta2, epsilon, iterations, weightDecay);
    }
}
