package org.neurite.opencl;

import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers pooled by exact byte size. A training loop allocates the same sizes every step, so after
 * the first step every allocation is a hit and device memory stays flat. Freed buffers are kept up to
 * {@code limit} bytes; past that, or when the device runs out of memory, they are released. Not
 * thread-safe: the backend serializes access.
 */
final class ClMemoryPool {
    private final cl_context context;
    private final long limit;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long pooledBytes;
    private long deviceBytes;
    private long allocations;
    private long hits;

    ClMemoryPool(cl_context context, long limit) {
        this.context = context;
        this.limit = limit;
    }

    /** A buffer of exactly {@code bytes} bytes (at least 4), from the pool when one is free. */
    cl_mem acquire(long bytes) {
        long size = Math.max(4, bytes);
        ArrayDeque<cl_mem> q = free.get(size);
        if (q != null && !q.isEmpty()) {
            pooledBytes -= size;
            hits++;
            return q.pop();
        }
        allocations++;
        try {
            cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
            deviceBytes += size;
            return m;
        } catch (CLException e) {
            if (e.getStatus() != CL_MEM_OBJECT_ALLOCATION_FAILURE && e.getStatus() != CL_OUT_OF_RESOURCES) {
                throw e;
            }
            trim();
            cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
            deviceBytes += size;
            return m;
        }
    }

    /** Returns a buffer of {@code bytes} bytes (as acquired) to the pool, or frees it past the limit. */
    void release(cl_mem m, long bytes) {
        long size = Math.max(4, bytes);
        if (pooledBytes + size > limit) {
            clReleaseMemObject(m);
            deviceBytes -= size;
            return;
        }
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(m);
        pooledBytes += size;
    }

    /** Frees every pooled buffer. */
    void trim() {
        for (Map.Entry<Long, ArrayDeque<cl_mem>> e : free.entrySet()) {
            for (cl_mem m : e.getValue()) {
                clReleaseMemObject(m);
                deviceBytes -= e.getKey();
            }
        }
        free.clear();
        pooledBytes = 0;
    }

    /** Bytes held by free buffers waiting for reuse. */
    long pooledBytes() {
        return pooledBytes;
    }

    /** Bytes of device memory this pool's buffers hold, in use or free. */
    long deviceBytes() {
        return deviceBytes;
    }

    /** Buffers created on the device so far (misses). */
    long allocations() {
        return allocations;
    }

    /** Acquisitions served from the pool. */
    long hits() {
        return hits;
    }
}
