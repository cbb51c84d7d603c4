package org.neurite.tensor.device;

import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A tensor in an accelerator's memory: a buffer handle of its {@link DeviceRuntime}, and what the kernels
 * know about its contents as indices. A version counter is bumped by every write, and a cached bound (all
 * elements are integers in {@code [0, bound)}) lets class labels and row permutations be validated on the
 * device once per upload instead of once per use; a batch gathered from a validated tensor inherits its
 * bound (see {@link DeviceKernels}).
 */
public final class DeviceTensor extends Tensor {
    static final int UNKNOWN = -1;
    static final int NOT_INDICES = -2;

    private final DeviceRuntime runtime;
    private Object buffer;
    private final long bytes;
    long version;
    int indexBound = UNKNOWN;
    DeviceTensor boundSource;
    long boundSourceVersion;

    /** A tensor of {@code backend} over {@code buffer} ({@code bytes} long) of {@code runtime}'s memory. */
    public DeviceTensor(Backend backend, Shape shape, DeviceRuntime runtime, org.neurite.tensor.spi.TensorLifetimes lifetimes,
                        Object buffer, long bytes) {
        super(backend, shape, lifetimes, () -> runtime.free(buffer, bytes));
        this.runtime = runtime;
        this.buffer = buffer;
        this.bytes = bytes;
    }

    /** The runtime's handle of the device memory (a {@code cl_mem}, a {@code CUdeviceptr}, ...). */
    public Object buffer() {
        return buffer;
    }

    /** Bytes of the buffer. */
    public long bytes() {
        return bytes;
    }

    /** The contents changed: what was known about them as indices is void. Called on every write. */
    void written() {
        version++;
        indexBound = UNKNOWN;
        boundSource = null;
    }

    @Override
    protected void readInto(float[] out) {
        runtime.read(buffer, out);
    }

    @Override
    protected void writeFrom(float[] data) {
        runtime.write(buffer, data);
        written();
    }
}
