package org.neurite.tensor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The caching allocator of the device backends, on a fake device with a fixed capacity. */
class BufferPoolTest {

    /** A device of {@code capacity} bytes whose buffers are their sizes (boxed, so each is distinct). */
    static class FakeDevice implements BufferPool.Device<long[]> {
        final long capacity;
        long used;
        int allocations;
        int frees;

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long[] allocate(long bytes) {
            if (used + bytes > capacity) {
                throw new RuntimeException("FAKE_OUT_OF_MEMORY");
            }
            used += bytes;
            allocations++;
            return new long[] {bytes};
        }

        @Override
        public void free(long[] buffer) {
            used -= buffer[0];
            frees++;
        }

        @Override
        public boolean outOfMemory(RuntimeException e) {
            return "FAKE_OUT_OF_MEMORY".equals(e.getMessage());
        }
    }

    @Test
    void releasedBuffersAreReusedBySizeUpToTheLimit() {
        FakeDevice d = new FakeDevice(1000);
        BufferPool<long[]> pool = new BufferPool<>(d, 100);
        long[] a = pool.acquire(64);
        pool.release(a, 64);
        assertSame(a, pool.acquire(64));
        assertEquals(1, d.allocations);
        long[] b = pool.acquire(2);   // rounded up to 4 bytes
        assertEquals(4, b[0]);
        pool.release(a, 64);
        long[] big = pool.acquire(80);
        pool.release(big, 80);         // 64 + 80 > 100: freed, not cached
        assertEquals(1, d.frees);
        assertEquals(68, pool.deviceBytes());
        pool.trim();
        assertEquals(4, pool.deviceBytes());
        assertEquals(4, d.used);
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeDevice d = new FakeDevice(100);
        BufferPool<long[]> pool = new BufferPool<>(d, 100);
        pool.release(pool.acquire(60), 60);   // cached, still on the device
        long[] b = pool.acquire(50);           // 60 + 50 > 100: the cache is emptied, then it fits
        assertEquals(50, b[0]);
        assertEquals(50, d.used);
        assertEquals(50, pool.deviceBytes());
    }

    @Test
    void outOfMemoryAfterTheRetryNamesTheSizes() {
        FakeDevice d = new FakeDevice(100 << 20);
        BufferPool<long[]> pool = new BufferPool<>(d, 0);
        pool.acquire(90L << 20);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.acquire(20L << 20));
        assertEquals("out of device memory: cannot allocate 20 MiB; this backend holds 90 MiB in open tensors and "
                + "scratch (its cache was emptied and the allocation retried). Close tensors no longer needed "
                + "(TensorScope), or use smaller batches.", e.getMessage());
        assertTrue(d.outOfMemory((RuntimeException) e.getCause()));
        assertEquals(90L << 20, pool.deviceBytes());   // nothing half-counted
        RuntimeException other = assertThrows(RuntimeException.class, () -> new BufferPool<long[]>(
                new FakeDevice(0) {
                    @Override
                    public long[] allocate(long bytes) {
                        throw new RuntimeException("DEVICE_LOST");
                    }
                }, 0).acquire(4));
        assertEquals("DEVICE_LOST", other.getMessage());   // other failures pass through unchanged
    }
}
