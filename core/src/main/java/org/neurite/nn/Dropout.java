package org.neurite.nn;

import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/**
 * Dropout (Srivastava et al. 2014) as Keras does it: in training, each value is zeroed with probability
 * {@code rate} and the survivors are scaled by {@code 1 / (1 - rate)}; at inference it passes values
 * through. The mask is drawn on the host from the model's seed and uploaded each step (one float per
 * value); a device-side generator is future work.
 */
public final class Dropout extends Layer {
    private final float rate;
    private SplittableRandom random;
    private Tensor mask;

    public Dropout(float rate) {
        this(uniqueName("dropout"), rate);
    }

    /** The fraction of inputs dropped in training. */
    public float rate() {
        return rate;
    }

    Dropout(String name, float rate) {
        super(name);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        return inputFeatures;
    }

    @Override
    public void build(Backend backend, int inputFeatures, SplittableRandom random) {
        super.build(backend, inputFeatures, random);
        this.random = random.split();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!training || rate == 0f) {
            mask = null;
            return input;
        }
        int rows = input.rows();
        float[] m = new float[rows * inputFeatures];
        float keep = 1f / (1f - rate);
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() < rate ? 0f : keep;
        }
        mask = buffers.get(backend, "mask", rows, inputFeatures);
        mask.copyFrom(m);
        Tensor out = buffers.get(backend, "output", rows, inputFeatures);
        backend.kernels().multiply(input, mask, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!inputGradientNeeded) {
            return null;
        }
        if (mask == null) {
            return gradOutput;
        }
        Tensor dx = buffers.get(backend, "dx", gradOutput.rows(), inputFeatures);
        backend.kernels().multiply(gradOutput, mask, dx);
        return dx;
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "Dropout", "name", name(), "rate", (double) rate);
    }

    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return 0;
    }
}
