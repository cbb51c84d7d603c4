package org.neurite.cpu;

import java.util.concurrent.atomic.AtomicLong;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * The pure-Java backend: tensors in Java arrays, kernels vectorized with the Vector API when the JVM has
 * it ({@code --add-modules jdk.incubator.vector}), multi-threaded over a fixed pool.
 *
 * <pre>{@code
 * try (CpuBackend cpu = CpuBackend.builder().threads(2).build()) { ... }
 * }</pre>
 * Through {@link org.neurite.tensor.Backends}: {@code cpu}, {@code cpu:threads=1}, {@code cpu:scalar}.
 * Defaults come from the properties {@code neurite.cpu.threads} (else all cores) and
 * {@code neurite.cpu.simd} ({@code false} forces the scalar kernels).
 *
 * <p>Results are the same on every run for a given thread count. Between thread counts they may differ in the last
 * bits: a short, deep product (a layer's forward pass) sums its depth in one part per thread.
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final boolean vectorized;
    private final Parallel parallel;
    private final CpuKernels kernels;
    private final AtomicLong liveBytes = new AtomicLong();
    private final String device;
    private volatile boolean closed;
    private final org.neurite.tensor.spi.TensorLifetimes lifetimes = new org.neurite.tensor.spi.TensorLifetimes("cpu");
    /** Stops the worker threads of a backend dropped without close(); refers to the threads, not the backend. */
    private final java.lang.ref.Cleaner.Cleanable threadsCleanup;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create(r -> {
        Thread t = new Thread(r, "neurite-cpu-cleaner");
        t.setDaemon(true);
        return t;
    });

    private CpuBackend(Builder b) {
        this.threads = b.threads;
        this.vectorized = b.vectorized && Simd.available();
        if (b.vectorized && !vectorized) {
            Simd.hintOnce();
        }
        this.parallel = new Parallel(threads);
        Parallel workers = parallel;
        this.threadsCleanup = CLEANER.register(this, workers::close);
        ElementOps ops = vectorized ? VectorPath.elementOps() : new ScalarOps();
        MicroKernel micro = vectorized ? VectorPath.microKernel(b.kernel) : new ScalarMicroKernel();
        this.kernels = new CpuKernels(this, parallel, ops, new Gemm(micro, ops, parallel));
        this.device = "cpu (" + threads + (threads == 1 ? " thread, " : " threads, ")
                + (vectorized ? "Vector API " + VectorPath.bits() + "-bit, " + micro.mr() + "x" + micro.nr()
                        + " GEMM tile" : "scalar") + ")";
    }

    /** A builder with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    /** A backend with the defaults. */
    public static CpuBackend create() {
        return builder().build();
    }

    /** Parses the options of a {@code cpu:...} spec: {@code threads=N} and {@code scalar}, separated by ':'. */
    static CpuBackend fromOptions(String options) {
        Builder b = builder();
        if (!options.isBlank()) {
            for (String opt : options.split(":")) {
                String o = opt.trim();
                if (o.equals("scalar")) {
                    b.vectorized(false);
                } else if (o.startsWith("kernel=")) {
                    b.kernel(o.substring("kernel=".length()));
                } else if (o.startsWith("threads=")) {
                    try {
                        b.threads(Integer.parseInt(o.substring("threads=".length())));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("cpu: threads must be a number, got '" + o + "'");
                    }
                } else {
                    throw new IllegalArgumentException("cpu: unknown option '" + o
                            + "' (known: threads=N, scalar, kernel=4x2|6x2|8x2|12x2)");
                }
            }
        }
        return b.build();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return device + (closed ? " [closed]" : "");
    }

    /** Worker threads, the caller's included. */
    public int threads() {
        return threads;
    }

    /** Whether the Vector API kernels are in use. */
    public boolean vectorized() {
        return vectorized;
    }

    @Override
    public Kernels kernels() {
        checkOpen();
        return kernels;
    }

    @Override
    public Tensor zeros(Shape shape) {
        checkOpen();
        return allocate(shape, new float[shape.size()]);
    }

    @Override
    public Tensor tensor(float[] data, Shape shape) {
        checkOpen();
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor: " + data.length + " values for shape " + shape + " ("
                    + shape.size() + " elements)");
        }
        return allocate(shape, data.clone());
    }

    private Tensor allocate(Shape shape, float[] data) {
        lifetimes.drain();   // tensors found dropped leave the count first
        long bytes = 4L * data.length;
        liveBytes.addAndGet(bytes);
        AtomicLong counter = liveBytes;   // the free action must not hold the tensor, nor need the backend
        return new CpuTensor(this, shape, data, lifetimes, () -> counter.addAndGet(-bytes));
    }

    /** Counts open tensors; tensors dropped without close() leave it once the garbage collector has found them. */
    @Override
    public long liveBytes() {
        lifetimes.drain();
        return liveBytes.get();
    }

    /** Tensors of this backend found garbage-collected without close() (each freed and logged). */
    public long leakedTensors() {
        lifetimes.drain();
        return lifetimes.leaks();
    }

    @Override
    public void synchronize() {
        // Kernels run synchronously on the calling thread (and its helpers): nothing is ever pending.
    }

    /**
     * Frees every tensor still open (using one afterwards throws, saying the backend was closed) and stops the
     * worker threads. A second call does nothing.
     */
    @Override
    public void close() {
        closed = true;
        lifetimes.closeAll();
        threadsCleanup.clean();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cpu backend is closed");
        }
    }

    @Override
    public String toString() {
        return device;
    }

    /** Options for a {@link CpuBackend}. */
    public static final class Builder {
        private int threads = defaultThreads();
        private boolean vectorized = true;
        private String kernel;

        private Builder() {
        }

        /**
         * The GEMM micro-kernel shape on the vector path: {@code 4x2}, {@code 6x2}, {@code 8x2} or {@code 12x2} (rows x vectors;
         * default: property {@code neurite.cpu.kernel}, else chosen from the register file).
         */
        public Builder kernel(String shape) {
            this.kernel = shape;
            return this;
        }

        /** Worker threads, at least 1 (default: property {@code neurite.cpu.threads}, else all cores). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("cpu: threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Use the Vector API kernels when the JVM has them (default true); false forces scalar. */
        public Builder vectorized(boolean vectorized) {
            this.vectorized = vectorized;
            return this;
        }

        public CpuBackend build() {
            return new CpuBackend(this);
        }

        private static int defaultThreads() {
            String p = System.getProperty("neurite.cpu.threads");
            if (p != null && !p.isBlank()) {
                try {
                    return Math.max(1, Integer.parseInt(p.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("neurite.cpu.threads must be a number, got '" + p + "'");
                }
            }
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
