package org.neurite.nn;

import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Flattens each sample to one row, as Keras's {@code Flatten()}: a {@code [batch, 28, 28]} image batch
 * becomes {@code [batch, 784]}. Declare the model's input with the flattened width; this layer accepts
 * any tensor whose samples have that many values.
 */
public final class Flatten extends Layer {

    public Flatten() {
        this(uniqueName("flatten"));
    }

    Flatten(String name) {
        super(name);
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        return inputFeatures;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        int rows = input.shape().rank() == 0 ? 1 : input.shape().dim(0);
        if (input.size() != rows * inputFeatures) {
            throw new IllegalArgumentException(name() + ": samples of " + input.shape() + " do not hold " + inputFeatures
                    + " values each");
        }
        if (input.shape().rank() == 2) {
            return input;
        }
        Tensor out = buffers.get(backend, "output", Shape.of(rows, inputFeatures));
        backend.kernels().copy(input, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return inputGradientNeeded ? gradOutput : null;   // the caller's gradient has the flattened shape
    }

    @Override
    protected java.util.Map<String, Object> config() {
        return java.util.Map.of("class", "Flatten", "name", name());
    }

    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return 0;
    }
}
