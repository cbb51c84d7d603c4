package org.neurite.tensor.device;

import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A tensor in an accelerator's memory, as {@link DeviceKernels} sees it: a buffer handle, and what the
 * kernels know about its contents as indices. A version counter is bumped by every write, and a cached
 * bound (all elements are integers in {@code [0, bound)}) lets class labels and row permutations be
 * validated on the device once per upload instead of once per use; a batch gathered from a validated
 * tensor inherits its bound.
 */
public abstract class DeviceTensor extends Tensor {
    static final int UNKNOWN = -1;
    static final int NOT_INDICES = -2;

    long version;
    int indexBound = UNKNOWN;
    DeviceTensor boundSource;
    long boundSourceVersion;

    protected DeviceTensor(Backend backend, Shape shape) {
        super(backend, shape);
    }

    /** The backend's handle of the device memory (a {@code cl_mem}, a {@code CUdeviceptr}, ...). */
    public abstract Object buffer();

    /** The contents changed: what was known about them as indices is void. Call on every write. */
    public final void written() {
        version++;
        indexBound = UNKNOWN;
        boundSource = null;
    }

    /** Drops the reference to a gather source, so that a closed tensor holds no other alive. */
    protected final void forgetSource() {
        boundSource = null;
    }
}
