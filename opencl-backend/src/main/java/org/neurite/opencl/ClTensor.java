package org.neurite.opencl;

import org.jocl.cl_mem;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A tensor in an OpenCL buffer. Besides the buffer it tracks what the kernels know about its contents as
 * indices: a version counter bumped by every write, and a cached bound (all elements are integers in
 * {@code [0, bound)}), so that class labels and row permutations are validated on the device once per
 * upload instead of once per use.
 */
final class ClTensor extends Tensor {
    static final int UNKNOWN = -1;
    static final int NOT_INDICES = -2;

    private final OpenClBackend owner;
    private cl_mem mem;
    private final long bytes;
    long version;
    int indexBound = UNKNOWN;
    /** Where a gather copied these values from (and that tensor's version then), to inherit its bound. */
    ClTensor boundSource;
    long boundSourceVersion;

    ClTensor(OpenClBackend owner, Shape shape, cl_mem mem, long bytes) {
        super(owner, shape);
        this.owner = owner;
        this.mem = mem;
        this.bytes = bytes;
    }

    cl_mem mem() {
        return mem;
    }

    long bytes() {
        return bytes;
    }

    /** The contents changed: what was known about them as indices is void. */
    void written() {
        version++;
        indexBound = UNKNOWN;
        boundSource = null;
    }

    @Override
    protected void readInto(float[] out) {
        owner.read(mem, out);
    }

    @Override
    protected void writeFrom(float[] data) {
        owner.write(mem, data);
        written();
    }

    @Override
    protected void release() {
        owner.free(this);
        mem = null;
        boundSource = null;
    }
}
