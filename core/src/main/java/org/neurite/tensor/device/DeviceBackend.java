package org.neurite.tensor.device;

import java.util.concurrent.atomic.AtomicLong;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.spi.TensorLifetimes;

/**
 * The half of an accelerator backend that does not depend on the accelerator, written once: tensors (allocation
 * from the backend's memory, zero-fill, upload), their lifetimes and the live-bytes count, the kernels
 * ({@link DeviceKernels} over the backend's {@link DeviceRuntime}), and the open/closed state. A backend
 * <em>has</em> a runtime (the few low-level operations an accelerator must provide) rather than being one, as
 * tinygrad's devices have an allocator and a program runner; the OpenCL and CUDA backends extend this.
 *
 * <p>Thread-safety: the methods that touch the device are {@code synchronized} on the backend, and subclasses
 * synchronize their runtime on the same monitor.
 */
public abstract class DeviceBackend implements Backend {
    private final String name;
    private final AtomicLong liveBytes = new AtomicLong();
    private final TensorLifetimes lifetimes;
    private volatile DeviceKernels kernels;
    private volatile boolean closed;
    private static final System.Logger LOG = System.getLogger("org.neurite.tensor");
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create(r -> {
        Thread t = new Thread(r, "neurite-device-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final AtomicLong RELEASED_UNCLOSED = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private java.lang.ref.Cleaner.Cleanable cleanup;

    protected DeviceBackend(String name) {
        this.name = name;
        this.lifetimes = new TensorLifetimes(name);
    }

    private final DeviceRuntime runtime = new Runtime();

    /** The low-level operations {@link DeviceKernels} drives: a view of the protected methods below. */
    protected final DeviceRuntime runtime() {
        return runtime;
    }

    /** Takes back a tensor's buffer (see {@link DeviceRuntime#free}). */
    protected abstract void free(Object buffer, long bytes);

    /** See {@link DeviceRuntime#read}. */
    protected abstract void read(Object buffer, float[] out);

    /** See {@link DeviceRuntime#write}. */
    protected abstract void write(Object buffer, float[] data);

    /** See {@link DeviceRuntime#fill}. */
    protected abstract void fill(Object buffer, float value, long bytes);

    /** See {@link DeviceRuntime#copy}. */
    protected abstract void copy(Object from, Object to, long bytes);

    /** See {@link DeviceRuntime#scratch}. */
    protected abstract Object scratch(long bytes);

    /** See {@link DeviceRuntime#releaseScratch}. */
    protected abstract void releaseScratch(Object buffer, long bytes);

    /** See {@link DeviceRuntime#elementGroup}. */
    protected abstract int elementGroup();

    /** See {@link DeviceRuntime#gemm}. */
    protected abstract void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, Object b,
            float beta, Object c, Object bias, Activation f);

    /** See {@link DeviceRuntime#launch}. */
    protected abstract void launch(String family, String kernel, long[] global, long[] local, Object... args);

    /** Device memory of at least {@code bytes} for a tensor (from the backend's pool). */
    protected abstract Object acquire(long bytes);

    /** Makes the device usable from the calling thread (a CUDA context); checks the backend is open. */
    protected void enter() {
        checkOpen();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Kernels kernels() {
        checkOpen();
        DeviceKernels k = kernels;
        if (k == null) {
            synchronized (this) {
                k = kernels;
                if (k == null) {
                    kernels = k = new DeviceKernels(this, runtime());
                }
            }
        }
        return k;
    }

    @Override
    public synchronized Tensor zeros(Shape shape) {
        enter();
        DeviceTensor t = allocate(shape);
        runtime().fill(t.buffer(), 0f, t.bytes());
        return t;
    }

    @Override
    public synchronized Tensor tensor(float[] data, Shape shape) {
        enter();
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor: " + data.length + " values for shape " + shape + " ("
                    + shape.size() + " elements)");
        }
        DeviceTensor t = allocate(shape);
        if (data.length > 0) {
            runtime().write(t.buffer(), data);
        }
        return t;
    }

    private DeviceTensor allocate(Shape shape) {
        long bytes = 4L * shape.size();
        lifetimes.drain();   // tensors found dropped: their buffers back to the pool first
        Object buffer = acquire(bytes);
        liveBytes.addAndGet(bytes);
        return new DeviceTensor(this, shape, runtime(), lifetimes, buffer, bytes);
    }

    /** Counts a tensor's buffer of {@code bytes} out; the runtime's {@code free} calls it. */
    protected final void freed(long bytes) {
        liveBytes.addAndGet(-bytes);
    }

    /** Bytes held by open tensors; tensors dropped without close() leave it once the collector has found them. */
    @Override
    public long liveBytes() {
        lifetimes.drain();
        return liveBytes.get();
    }

    /** Whether {@link #close} has begun. */
    protected final boolean isClosed() {
        return closed;
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " backend is closed");
        }
    }

    /**
     * The first step of a subclass's {@code close()}: frees the tensors still open (using one afterwards throws,
     * saying the backend was closed) while the device is still up, then marks the backend closed. False if it
     * was closed already.
     */
    protected final boolean beginClose() {
        if (closed) {
            return false;
        }
        lifetimes.closeAll();
        closed = true;
        return true;
    }

    /**
     * The safety net for a backend dropped without {@code close()}: once the garbage collector finds the backend
     * unreachable, {@code release} frees its device resources (context, queue, pool) on a cleaner thread, and the
     * drop is logged once. {@code release} must not refer to the backend (or it would never become unreachable).
     * Subclasses call this once, at the end of their constructor, and {@link #released()} at the end of close.
     */
    protected final void releaseIfDropped(Runnable release) {
        java.util.concurrent.atomic.AtomicBoolean done = released;
        String kind = name;
        cleanup = CLEANER.register(this, () -> {
            if (done.compareAndSet(false, true)) {
                if (RELEASED_UNCLOSED.incrementAndGet() == 1) {
                    LOG.log(System.Logger.Level.WARNING, "a " + kind + " backend was garbage-collected without close(); "
                            + "released its device (logged once). Close backends, with try-with-resources.");
                }
                try {
                    release.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, kind + ": releasing a dropped backend failed: " + e);
                }
            }
        });
    }

    /** The end of a subclass's {@code close()}: its device is released, the safety net has nothing left to do. */
    protected final void released() {
        released.set(true);
        if (cleanup != null) {
            cleanup.clean();
        }
    }

    /** Device backends released by the safety net, since the JVM started. */
    public static long releasedUnclosed() {
        return RELEASED_UNCLOSED.get();
    }

    @Override
    public String toString() {
        return device();
    }

    /**
     * What {@link DeviceKernels} drives: the protected runtime methods, as a {@link DeviceRuntime} that only this
     * class hands out, so that the backend a user holds has no public launch, read or write.
     */
    private final class Runtime implements DeviceRuntime {
        @Override
        public void free(Object buffer, long bytes) {
            DeviceBackend.this.free(buffer, bytes);
        }

        @Override
        public void read(Object buffer, float[] out) {
            DeviceBackend.this.read(buffer, out);
        }

        @Override
        public void write(Object buffer, float[] data) {
            DeviceBackend.this.write(buffer, data);
        }

        @Override
        public void fill(Object buffer, float value, long bytes) {
            DeviceBackend.this.fill(buffer, value, bytes);
        }

        @Override
        public void copy(Object from, Object to, long bytes) {
            DeviceBackend.this.copy(from, to, bytes);
        }

        @Override
        public Object scratch(long bytes) {
            return DeviceBackend.this.scratch(bytes);
        }

        @Override
        public void releaseScratch(Object buffer, long bytes) {
            DeviceBackend.this.releaseScratch(buffer, bytes);
        }

        @Override
        public int elementGroup() {
            return DeviceBackend.this.elementGroup();
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, Object b, float beta,
                Object c, Object bias, Activation f) {
            DeviceBackend.this.gemm(transA, transB, m, n, k, alpha, a, b, beta, c, bias, f);
        }

        @Override
        public void launch(String family, String kernel, long[] global, long[] local, Object... args) {
            DeviceBackend.this.launch(family, kernel, global, local, args);
        }
    }
}
