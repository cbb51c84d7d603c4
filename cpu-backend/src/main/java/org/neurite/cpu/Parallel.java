package org.neurite.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads and static partitioning: part {@code i} of {@code n} always covers the
 * same range, so results are deterministic for a given thread count. The calling thread runs part 0.
 *
 * <p>Hand-offs spin briefly before they park: a training step runs its parallel sections back to back,
 * and waking a parked thread through an executor's queue cost about 14 us per section on this project's
 * VMs (measured with a trivial body), several percent of an MLP step. A worker spins for
 * {@link #SPIN_NANOS} (20 us) after its last task, then parks; a caller waiting for a worker spins as long, then
 * parks until the worker wakes it.
 */
final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /**
     * How long a thread spins for the next hand-off before parking (property {@code neurite.cpu.spinNanos};
     * 0 parks at once). Long enough to bridge the gaps between one step's kernels, short enough not to
     * keep a core busy when the work stops.
     */
    static final long SPIN_NANOS = Long.getLong("neurite.cpu.spinNanos", 20_000);

    /** One contiguous piece of work. */
    interface Range {
        void run(int from, int to);
    }

    /** One contiguous piece of work, told which piece it is (0 for the first, run by the caller). */
    interface Part {
        void run(int part, int from, int to);
    }

    private final int threads;
    private final Worker[] workers;

    Parallel(int threads) {
        this.threads = threads;
        this.workers = new Worker[Math.max(0, threads - 1)];
        int id = POOLS.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("neurite-cpu-" + id + "-" + (i + 1));
            workers[i].start();
        }
    }

    private volatile boolean closed;

    int threads() {
        return threads;
    }

    /**
     * Splits {@code [0, n)} into at most {@code threads} pieces of at least {@code grain} elements, with
     * piece boundaries on multiples of {@code align}, and runs them in parallel. Not reentrant: one
     * caller at a time (the backend's kernels run on the caller's thread).
     */
    void forRange(int n, int grain, int align, Range body) {
        forParts(n, grain, align, (part, from, to) -> body.run(from, to));
    }

    /** How many pieces {@link #forRange} and {@link #forParts} cut {@code n} elements into, for this grain. */
    int parts(int n, int grain) {
        return Math.max(1, Math.min(threads, n / Math.max(1, grain)));
    }

    /** {@link #forRange}, with each piece told its index among {@link #parts} pieces. */
    void forParts(int n, int grain, int align, Part body) {
        if (closed) {
            // the workers are gone: handing them work would wait forever
            throw new IllegalStateException("cpu backend is closed: its worker threads were stopped");
        }
        int parts = parts(n, grain);
        if (parts == 1 || workers.length == 0) {
            body.run(0, 0, n);
            return;
        }
        int[] bounds = new int[parts + 1];
        for (int i = 1; i < parts; i++) {
            long b = (long) n * i / parts;
            bounds[i] = (int) Math.min(n, (b + align - 1) / align * align);
        }
        bounds[parts] = n;
        synchronized (this) {
            for (int i = 1; i < parts; i++) {
                int part = i;
                int from = bounds[i];
                int to = bounds[i + 1];
                if (from < to) {
                    workers[i - 1].submit(() -> body.run(part, from, to));
                }
            }
            RuntimeException failure = null;
            try {
                if (bounds[0] < bounds[1]) {
                    body.run(0, bounds[0], bounds[1]);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            for (int i = 1; i < parts; i++) {
                RuntimeException f = workers[i - 1].await();
                if (failure == null) {
                    failure = f;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            w.closing = true;
            LockSupport.unpark(w);
        }
    }

    /** A worker: runs one task at a time, handed over through a volatile slot. */
    private static final class Worker extends Thread {
        /** The task to run; the worker clears it when done (which publishes the task's writes). */
        private volatile Runnable task;
        private volatile boolean parked;
        private volatile Thread waiter;
        private volatile boolean closing;
        private RuntimeException failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Runnable r) {
            failure = null;
            task = r;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits until the task is done; returns its failure, if any. */
        RuntimeException await() {
            long start = System.nanoTime();
            while (task != null) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                waiter = Thread.currentThread();
                if (task != null) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
            return failure;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!closing) {
                Runnable t = task;
                if (t == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (task == null && !closing) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    continue;
                }
                try {
                    t.run();
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Throwable e) {
                    failure = new IllegalStateException("CPU kernel thread failed: " + e, e);
                }
                task = null;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
                idleSince = System.nanoTime();
            }
        }
    }
}
