package org.neurite.cpu;

import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/** A tensor in a Java array. */
final class CpuTensor extends Tensor {
    private float[] data;

    CpuTensor(CpuBackend backend, Shape shape, float[] data, org.neurite.tensor.spi.TensorLifetimes lifetimes,
              Runnable free) {
        super(backend, shape, lifetimes, free);
        this.data = data;
    }

    /** The storage; only the CPU kernels touch it, after checking the tensor is open. */
    float[] data() {
        return data;
    }

    @Override
    protected void readInto(float[] out) {
        System.arraycopy(data, 0, out, 0, out.length);
    }

    @Override
    protected void writeFrom(float[] values) {
        System.arraycopy(values, 0, data, 0, values.length);
    }
}
