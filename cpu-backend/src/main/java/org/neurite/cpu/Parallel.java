package org.neurite.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads and static partitioning: part {@code i} of {@code n} always covers the
 * same range, so results are deterministic for a given thread count. The calling thread runs part 0.
 */
final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** One contiguous piece of work. */
    interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = threads;
        if (threads > 1) {
            int id = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "neurite-cpu-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Splits {@code [0, n)} into at most {@code threads} pieces of at least {@code grain} elements, with
     * piece boundaries on multiples of {@code align}, and runs them in parallel.
     */
    void forRange(int n, int grain, int align, Range body) {
        int parts = Math.max(1, Math.min(threads, n / Math.max(1, grain)));
        if (parts == 1 || pool == null) {
            body.run(0, n);
            return;
        }
        int[] bounds = new int[parts + 1];
        for (int i = 1; i < parts; i++) {
            long b = (long) n * i / parts;
            bounds[i] = (int) Math.min(n, (b + align - 1) / align * align);
        }
        bounds[parts] = n;
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future[parts];
        for (int i = 1; i < parts; i++) {
            int from = bounds[i];
            int to = bounds[i + 1];
            futures[i] = from < to ? pool.submit(() -> body.run(from, to)) : null;
        }
        RuntimeException failure = null;
        try {
            if (bounds[0] < bounds[1]) {
                body.run(bounds[0], bounds[1]);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 1; i < parts; i++) {
            if (futures[i] == null) {
                continue;
            }
            try {
                futures[i].get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for CPU kernel threads", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
