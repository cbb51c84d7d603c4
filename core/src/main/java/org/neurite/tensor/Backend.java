package org.neurite.tensor;

/**
 * One device's memory and kernels: the CPU, a CUDA device, an OpenCL device. Obtain one from
 * {@link Backends}; allocate tensors from it; run {@link #kernels()} on them; close it when done.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create("auto");
 *      Tensor a = backend.tensor(new float[] {1, 2, 3, 4}, 2, 2);
 *      Tensor c = backend.zeros(Shape.of(2, 2))) {
 *     backend.kernels().gemm(false, false, 1f, a, a, 0f, c);
 *     System.out.println(java.util.Arrays.toString(c.toFloatArray()));   // [7, 10, 15, 22]
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A backend is safe to share between threads: allocation, {@link #liveBytes()} and kernel
 * calls may come from several at once (on an accelerator they are ordered on the backend's one queue). A
 * {@link Tensor} is not: one thread at a time may use it.
 *
 * <p><b>Lifetimes.</b> Tensors are freed by {@link Tensor#close()} (or a {@link TensorScope}); closing the
 * backend frees those still open; a tensor dropped without being closed is freed by a safety net once the
 * garbage collector finds it, and logged as a leak (see {@link org.neurite.tensor.spi.TensorLifetimes}).
 */
public interface Backend extends AutoCloseable {

    /** The provider's name: {@code cpu}, {@code cuda}, {@code opencl}. */
    String name();

    /** A one-line description of the device and its settings, e.g. {@code cpu (2 threads, Vector API 256-bit)}. */
    String device();

    /** The kernels, which accept only this backend's tensors. */
    Kernels kernels();

    /** A new tensor of {@code shape}, filled with zeros. */
    Tensor zeros(Shape shape);

    /** A new tensor holding a copy of {@code data} (row-major), which must have exactly the shape's size. */
    Tensor tensor(float[] data, Shape shape);

    /** {@code tensor(data, Shape.of(dims))}. */
    default Tensor tensor(float[] data, int... dims) {
        return tensor(data, Shape.of(dims));
    }

    /** Bytes held by open tensors of this backend: flat over a training loop, or memory leaks. */
    long liveBytes();

    /** Waits until every kernel launched so far has finished. */
    void synchronize();

    /**
     * Frees the tensors still open, then the backend's own resources (threads, contexts, pools). Using one of its
     * tensors afterwards, or calling its kernels, throws an {@link IllegalStateException} saying the backend was
     * closed; closing such a tensor does nothing. A second call does nothing.
     */
    @Override
    void close();
}
