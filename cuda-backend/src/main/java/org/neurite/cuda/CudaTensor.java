package org.neurite.cuda;

import jcuda.driver.CUdeviceptr;
import org.neurite.tensor.Shape;
import org.neurite.tensor.device.DeviceTensor;

/** A tensor in CUDA device memory (from the backend's caching allocator). */
final class CudaTensor extends DeviceTensor {
    private final CudaBackend owner;
    private CUdeviceptr ptr;
    private final long bytes;

    CudaTensor(CudaBackend owner, Shape shape, CUdeviceptr ptr, long bytes) {
        super(owner, shape);
        this.owner = owner;
        this.ptr = ptr;
        this.bytes = bytes;
    }

    @Override
    public CUdeviceptr buffer() {
        return ptr;
    }

    long bytes() {
        return bytes;
    }

    @Override
    protected void readInto(float[] out) {
        owner.read(ptr, out);
    }

    @Override
    protected void writeFrom(float[] data) {
        owner.write(ptr, data);
        written();
    }

    @Override
    protected void release() {
        owner.free(this);
        ptr = null;
        forgetSource();
    }
}
