package org.neurite.tensor;

import org.neurite.tensor.spi.TensorLifetimes;

/**
 * Float32 data in one backend's memory, with a {@link Shape}, an owner {@link Backend}, and an explicit
 * lifetime. Close a tensor when done with it (try-with-resources); closing it twice, or using it after
 * close, fails with an {@link IllegalStateException} that names the tensor.
 *
 * <p>Moving data between the host and the device is explicit: {@link #toFloatArray()} reads (and waits
 * for pending work), {@link #copyFrom(float[])} writes. Kernels never move data implicitly.
 *
 * <pre>{@code
 * try (Tensor x = backend.tensor(new float[] {1, 2, 3, 4}, 2, 2)) {
 *     float[] back = x.toFloatArray();
 * }
 * }</pre>
 *
 * <p>Closing the backend frees its tensors still open: using one afterwards fails with an
 * {@link IllegalStateException} saying so, and closing it is then a no-op. A tensor dropped without
 * {@code close()} is freed by a safety net once the garbage collector finds it, and logged as a leak (see
 * {@link TensorLifetimes}); it is a safety net, not a way to manage memory: device memory is scarcer than the
 * heap the collector watches.
 *
 * <p>Backends subclass this class; everything a caller sees is final here, so that lifetime checks and
 * messages are the same on every backend. A tensor is not thread-safe: one thread at a time may use it.
 */
public abstract class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Shape shape;
    private volatile boolean closed;
    private final TensorLifetimes.Entry lifetime;

    /**
     * For backends: a tensor of {@code shape} owned by {@code backend}, outside any {@link TensorLifetimes}:
     * {@link #release()} frees it on close, and nothing frees it if it is dropped or its backend closes.
     */
    protected Tensor(Backend backend, Shape shape) {
        this.backend = backend;
        this.shape = shape;
        this.lifetime = null;
    }

    /**
     * For backends: a tensor whose storage {@code free} releases, exactly once: on {@link #close()}, when the
     * backend closes ({@link TensorLifetimes#closeAll()}), or after the tensor was dropped unclosed. {@code free}
     * must not refer to this tensor; {@link #release()} is then not called.
     */
    protected Tensor(Backend backend, Shape shape, TensorLifetimes lifetimes, Runnable free) {
        this.backend = backend;
        this.shape = shape;
        this.lifetime = lifetimes.register(this, free);
    }

    /** The backend whose memory holds this tensor; only its kernels accept it. */
    public final Backend backend() {
        return backend;
    }

    /** The dimensions. */
    public final Shape shape() {
        return shape;
    }

    /** Number of elements. */
    public final int size() {
        return shape.size();
    }

    /** Rows of the matrix view (see {@link Shape#rows()}). */
    public final int rows() {
        return shape.rows();
    }

    /** Columns of the matrix view (see {@link Shape#cols()}). */
    public final int cols() {
        return shape.cols();
    }

    /** Whether {@link #close()} has been called, or the backend was closed (which frees its tensors). */
    public final boolean isClosed() {
        return closed || backendClosed();
    }

    private boolean backendClosed() {
        return lifetime != null && lifetime.backendClosed();
    }

    /** Copies the data to a new host array, waiting for all work that writes it. */
    public final float[] toFloatArray() {
        checkOpen("toFloatArray");
        float[] out = new float[size()];
        readInto(out);
        return out;
    }

    /** The only element of a one-element tensor (a loss value, say), read to the host. */
    public final float item() {
        checkOpen("item");
        if (size() != 1) {
            throw new IllegalStateException("item: tensor " + shape + " has " + size() + " elements, not 1");
        }
        float[] out = new float[1];
        readInto(out);
        return out[0];
    }

    /** Overwrites the data with {@code data}, which must have exactly {@link #size()} elements. */
    public final void copyFrom(float[] data) {
        checkOpen("copyFrom");
        if (data.length != size()) {
            throw new IllegalArgumentException("copyFrom: " + data.length + " values for a tensor of shape "
                    + shape + " (" + size() + " elements)");
        }
        writeFrom(data);
    }

    /**
     * Frees the memory (or returns it to the backend's pool). A second call fails: a double free is a
     * bug in the caller's ownership logic, and we would rather say so than hide it.
     */
    @Override
    public final void close() {
        if (closed) {
            throw new IllegalStateException("close: " + describe() + " is already closed");
        }
        closed = true;
        if (lifetime == null) {
            release();
        } else {
            lifetime.close();   // a no-op when the backend's close freed it already
        }
    }

    /**
     * Fails with a message naming {@code operation} if this tensor was closed. Kernels call it for every
     * argument.
     */
    public final void checkOpen(String operation) {
        if (isClosed()) {
            throw new IllegalStateException(operation + ": " + describe() + " is " + closedState());
        }
    }

    /** {@code closed}, or why: the words error messages use for a tensor that cannot be used. */
    public final String closedState() {
        return backendClosed() ? "freed: its " + backend.name() + " backend was closed" : "closed";
    }

    /** {@code tensor [32, 784] on cpu}: how errors name a tensor. */
    public final String describe() {
        return "tensor " + shape + " on " + backend.name();
    }

    @Override
    public String toString() {
        return (closed ? "closed " : "") + describe();
    }

    /** For backends: copy the whole tensor into {@code out} (same length), synchronizing as needed. */
    protected abstract void readInto(float[] out);

    /** For backends: overwrite the whole tensor with {@code data} (same length). */
    protected abstract void writeFrom(float[] data);

    /** For backends: free or pool the storage. Called exactly once, on close, for tensors outside a lifetime. */
    protected void release() {
    }
}
