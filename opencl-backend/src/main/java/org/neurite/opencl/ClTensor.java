package org.neurite.opencl;

import org.jocl.cl_mem;
import org.neurite.tensor.Shape;
import org.neurite.tensor.device.DeviceTensor;

/** A tensor in an OpenCL buffer (pooled by size; see {@link org.neurite.tensor.device.BufferPool}). */
final class ClTensor extends DeviceTensor {
    private final OpenClBackend owner;
    private cl_mem mem;
    private final long bytes;

    ClTensor(OpenClBackend owner, Shape shape, cl_mem mem, long bytes) {
        super(owner, shape);
        this.owner = owner;
        this.mem = mem;
        this.bytes = bytes;
    }

    @Override
    public cl_mem buffer() {
        return mem;
    }

    long bytes() {
        return bytes;
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
        forgetSource();
    }
}
