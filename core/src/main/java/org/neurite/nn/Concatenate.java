package org.neurite.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/** Joins its inputs side by side, column-wise, as Keras's {@code Concatenate()}: the wide-and-deep join. */
public final class Concatenate extends Layer {
    private int[] widths;

    public Concatenate() {
        this(uniqueName("concatenate"));
    }

    Concatenate(String name) {
        super(name);
    }

    @Override
    protected int arity() {
        return -1;
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        throw new IllegalArgumentException(name() + ": takes two or more inputs");
    }

    @Override
    public int outputFeatures(int[] inputFeatures) {
        if (inputFeatures.length < 2) {
            throw new IllegalArgumentException(name() + ": takes two or more inputs, got " + inputFeatures.length);
        }
        int sum = 0;
        for (int w : inputFeatures) {
            sum += w;
        }
        return sum;
    }

    @Override
    public void build(Backend backend, int[] inputFeatures, java.util.SplittableRandom random) {
        outputFeatures(inputFeatures);
        this.backend = backend;
        this.widths = inputFeatures.clone();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        throw new IllegalArgumentException(name() + ": takes two or more inputs");
    }

    @Override
    public Tensor forward(List<Tensor> inputs, boolean training) {
        int rows = inputs.get(0).rows();
        int total = outputFeatures(widths);
        Tensor out = buffers.get(backend, "output", rows, total);
        int col = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            if (in.rows() != rows || in.cols() != widths[i]) {
                throw new IllegalArgumentException(name() + ": input " + i + " is " + in.shape() + ", expected [" + rows
                        + ", " + widths[i] + "]");
            }
            backend.kernels().copyColumns(in, 0, out, col, widths[i]);
            col += widths[i];
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new IllegalArgumentException(name() + ": use backwardAll");
    }

    @Override
    public List<Tensor> backwardAll(Tensor gradOutput) {
        List<Tensor> grads = new ArrayList<>();
        int col = 0;
        for (int i = 0; i < widths.length; i++) {
            Tensor g = buffers.get(backend, "d" + i, gradOutput.rows(), widths[i]);
            backend.kernels().copyColumns(gradOutput, col, g, 0, widths[i]);
            grads.add(g);
            col += widths[i];
        }
        return Collections.unmodifiableList(grads);
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("class", "Concatenate", "name", name());
    }

    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return 0;
    }
}
