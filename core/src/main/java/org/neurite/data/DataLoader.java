package org.neurite.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Batches of a {@link Dataset} for one epoch at a time: optionally shuffled (a seeded permutation of all indices per
 * epoch, as Keras's {@code fit(shuffle=True)} on arrays; the seed of epoch {@code e} is derived from the loader's seed
 * and {@code e}, so a run is reproducible), transformed ({@link #map}), and prepared by a background thread up to
 * {@link #prefetch} batches ahead while the caller trains on the current one, through a bounded queue.
 *
 * <p>Failures never hang: an exception in the data set or a transform stops the epoch and is rethrown by the
 * iterator's {@code next()} as a {@link DataPipelineException} with the cause; closing the iterator (or an abandoned
 * epoch's next {@link #epoch}) stops the thread.
 */
public final class DataLoader {
    /** How long a wait for the next batch may take before the producer thread is checked again. */
    private static final long POLL_MILLIS = 200;

    private final Dataset dataset;
    private final int batchSize;
    private boolean shuffle;
    private long seed;
    private int prefetch = 2;
    private BatchTransform transform;

    /**
     * Batches of {@code batchSize} samples of {@code dataset} (the last one shorter).
     *
     * @throws IllegalArgumentException for a batch size below 1 or an empty data set
     */
    public DataLoader(Dataset dataset, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batchSize must be at least 1, got " + batchSize);
        }
        if (dataset.size() < 1) {
            throw new IllegalArgumentException("DataLoader: the data set is empty");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
    }

    /** Shuffles every epoch with a permutation drawn from {@code seed} and the epoch number. */
    public DataLoader shuffle(long seed) {
        this.shuffle = true;
        this.seed = seed;
        return this;
    }

    /** Prepares up to {@code batches} batches ahead on a background thread; 0 reads each batch when asked. */
    public DataLoader prefetch(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + batches);
        }
        this.prefetch = batches;
        return this;
    }

    /** Applies {@code f} to every batch after reading it (on the background thread when prefetching). */
    public DataLoader map(BatchTransform f) {
        BatchTransform previous = transform;
        this.transform = previous == null ? f : b -> {
            previous.apply(b);
            f.apply(b);
        };
        return this;
    }

    /** The data set. */
    public Dataset dataset() {
        return dataset;
    }

    /** Batches per epoch. */
    public int batches() {
        return (dataset.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * The batches of epoch {@code epoch} (from 0). Each {@link Batch} is valid until the next call to {@code next()}:
     * its arrays are reused. Close the iterator when stopping early.
     */
    public Epoch epoch(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return prefetch == 0 ? new Synchronous(order) : new Prefetching(order);
    }

    /** One epoch's batches. */
    public abstract static class Epoch implements Iterator<Batch>, AutoCloseable {
        /** Stops the background thread, if any, and waits for it (bounded). */
        @Override
        public void close() {
        }
    }

    private void fill(Batch b, int[] order, int index) {
        int from = index * batchSize;
        int rows = Math.min(batchSize, order.length - from);
        b.set(rows, index);
        dataset.read(order, from, rows, b.inputs(), b.targets());
        if (transform != null) {
            transform.apply(b);
        }
    }

    private Batch newBatch() {
        return new Batch(batchSize, dataset.inputWidths(), dataset.targetWidths());
    }

    private final class Synchronous extends Epoch {
        private final int[] order;
        private final Batch batch = newBatch();
        private int next;

        Synchronous(int[] order) {
            this.order = order;
        }

        @Override
        public boolean hasNext() {
            return next < batches();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                fill(batch, order, next++);
            } catch (RuntimeException e) {
                throw new DataPipelineException("data: batch " + (next - 1) + " failed: " + e.getMessage(), e);
            }
            return batch;
        }
    }

    /** A producer thread filling batches into a bounded queue; buffers circulate through a free list. */
    private final class Prefetching extends Epoch {
        private final int total = batches();
        private final BlockingQueue<Object> ready;
        private final BlockingQueue<Batch> free;
        private final Thread producer;
        private volatile boolean stopped;
        private Batch current;
        private int taken;

        Prefetching(int[] order) {
            this.ready = new ArrayBlockingQueue<>(prefetch + 1);
            this.free = new ArrayBlockingQueue<>(prefetch + 2);
            for (int i = 0; i < prefetch + 1; i++) {
                free.add(newBatch());
            }
            this.producer = new Thread(() -> produce(order), "neurite-data-prefetch");
            producer.setDaemon(true);
            producer.start();
        }

        private void produce(int[] order) {
            try {
                for (int i = 0; i < total && !stopped; i++) {
                    Batch b = null;
                    while (b == null && !stopped) {
                        b = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    if (b == null) {
                        return;
                    }
                    fill(b, order, i);
                    while (!stopped && !ready.offer(b, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        // the consumer is busy training: wait, but notice a close
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                // Delivered in order: the consumer sees it after the batches already made. Room is guaranteed since
                // the queue holds at most prefetch + 1 batches and we took a free buffer for this one.
                while (!stopped) {
                    try {
                        if (ready.offer(new Failure(t), POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public boolean hasNext() {
            return taken < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (current != null) {
                free.offer(current);
                current = null;
            }
            try {
                while (true) {
                    Object o = ready.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (o instanceof Failure f) {
                        close();
                        throw new DataPipelineException("data: batch " + taken + " failed: " + f.cause.getMessage(),
                                f.cause);
                    }
                    if (o instanceof Batch b) {
                        taken++;
                        current = b;
                        return b;
                    }
                    if (!producer.isAlive() && ready.isEmpty()) {
                        throw new DataPipelineException("data: the prefetch thread stopped after " + taken + " of "
                                + total + " batches", null);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new DataPipelineException("data: interrupted while waiting for batch " + taken, e);
            }
        }

        @Override
        public void close() {
            stopped = true;
            producer.interrupt();
            try {
                producer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Failure(Throwable cause) {
    }
}
