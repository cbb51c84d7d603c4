package org.neurite.tensor.device;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device buffers pooled by exact byte size: the caching allocator of the accelerator backends. A
 * training loop allocates the same sizes every step, so after the first step every allocation is a hit
 * and device memory stays flat. Freed buffers are kept up to {@code limit} bytes; past that they are
 * freed, and when the device runs out of memory the pool is emptied and the allocation retried once.
 * Not thread-safe: the backend serializes access.
 *
 * @param <M> the device's buffer handle
 */
public final class BufferPool<M> {

    /** How a backend creates and frees its buffers. */
    public interface Device<M> {
        M allocate(long bytes);

        void free(M buffer);

        /** Whether {@code e}, thrown by {@link #allocate}, means the device is out of memory. */
        boolean outOfMemory(RuntimeException e);
    }

    private final Device<M> device;
    private final long limit;
    private final Map<Long, ArrayDeque<M>> free = new HashMap<>();
    private long pooledBytes;
    private long deviceBytes;

    public BufferPool(Device<M> device, long limit) {
        this.device = device;
        this.limit = limit;
    }

    /** A buffer of exactly {@code bytes} bytes (at least 4), from the pool when one is free. */
    public M acquire(long bytes) {
        long size = Math.max(4, bytes);
        ArrayDeque<M> q = free.get(size);
        if (q != null && !q.isEmpty()) {
            pooledBytes -= size;
            return q.pop();
        }
        M m;
        try {
            m = device.allocate(size);
        } catch (RuntimeException e) {
            if (!device.outOfMemory(e)) {
                throw e;
            }
            trim();
            try {
                m = device.allocate(size);
            } catch (RuntimeException again) {
                if (!device.outOfMemory(again)) {
                    throw again;
                }
                throw new IllegalStateException("out of device memory: cannot allocate " + describe(size) + "; this "
                        + "backend holds " + describe(deviceBytes) + " in open tensors and scratch (its cache was "
                        + "emptied and the allocation retried). Close tensors no longer needed (TensorScope), or use "
                        + "smaller batches.", again);
            }
        }
        deviceBytes += size;
        return m;
    }

    /** Returns a buffer of {@code bytes} bytes (as acquired) to the pool, or frees it past the limit. */
    public void release(M m, long bytes) {
        long size = Math.max(4, bytes);
        if (pooledBytes + size > limit) {
            device.free(m);
            deviceBytes -= size;
            return;
        }
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(m);
        pooledBytes += size;
    }

    /** Frees every pooled buffer. */
    public void trim() {
        for (Map.Entry<Long, ArrayDeque<M>> e : free.entrySet()) {
            for (M m : e.getValue()) {
                device.free(m);
                deviceBytes -= e.getKey();
            }
        }
        free.clear();
        pooledBytes = 0;
    }

    /** Bytes of device memory this pool's buffers hold, in use or free. */
    public long deviceBytes() {
        return deviceBytes;
    }

    private static String describe(long bytes) {
        return bytes >= 10L << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
