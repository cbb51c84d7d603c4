package org.neurite.tensor.device;

import org.neurite.tensor.Activation;

/**
 * What an accelerator backend provides to {@link DeviceKernels}: launching the named kernels of the shared
 * kernel families ({@code elementwise}, {@code reduce}, {@code loss}, {@code optimizer}; see the OpenCL
 * backend's {@code .cl} sources, which the CUDA backend compiles too), scratch memory, a few copies, and
 * its GEMM. Launches are asynchronous and ordered (one in-order queue or stream).
 *
 * <p>Kernel arguments are buffer handles (as {@link DeviceTensor#buffer()} returns them), {@link Float}
 * and {@link Integer}.
 */
public interface DeviceRuntime {

    /**
     * Launches {@code family/kernel} over {@code global} work-items in each dimension, in work-groups
     * (blocks) of {@code local}; the global size is rounded up to whole groups, and the kernels check
     * bounds. Does nothing when some global size is 0.
     */
    void launch(String family, String kernel, long[] global, long[] local, Object... args);

    /** Work-group size for the one-dimensional elementwise kernels. */
    int elementGroup();

    /** Scratch memory of at least {@code bytes}; give it back once the kernels using it are enqueued. */
    Object scratch(long bytes);

    /** Returns scratch memory (later launches that reuse it are ordered after the earlier ones). */
    void releaseScratch(Object buffer, long bytes);

    /** Copies the first {@code out.length} floats of {@code buffer} to the host, waiting for pending work. */
    void read(Object buffer, float[] out);

    /** Overwrites the first {@code data.length} floats of {@code buffer} with {@code data}; returns once done. */
    void write(Object buffer, float[] data);

    /**
     * Takes back a tensor's buffer of {@code bytes} (to a pool, or frees it): when the tensor is closed, when the
     * backend closes, or when the safety net found it dropped. May be called from any thread.
     */
    void free(Object buffer, long bytes);

    /** Sets the first {@code bytes} bytes of {@code buffer} to copies of {@code value}. */
    void fill(Object buffer, float value, long bytes);

    /** Copies {@code bytes} bytes between buffers. */
    void copy(Object from, Object to, long bytes);

    /**
     * {@code C = f(alpha op(A) op(B) + beta C + bias)} on buffers, arguments already checked ({@code bias}
     * null when absent).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, Object b, float beta,
              Object c, Object bias, Activation f);
}
