package org.neurite.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import org.neurite.tensor.Activation;
import org.neurite.tensor.device.BufferPool;
import org.neurite.tensor.device.DeviceBackend;
import org.neurite.tensor.device.DeviceKernels;

/**
 * The CUDA backend: one device's primary context, one non-blocking stream on which every kernel and copy
 * is enqueued asynchronously (reading a tensor waits), a caching allocator ({@link BufferPool}), and
 * transfers staged through a pinned host buffer. The kernels are the shared kernel families (see
 * {@link DeviceKernels}), loaded from the fatbins in this jar; GEMM is cuBLAS where it loads, else our
 * tiled kernel (see {@link CudaGemm}).
 *
 * <p>Through {@link org.neurite.tensor.Backends}: {@code cuda} (device 0) or {@code cuda:N}.
 */
public final class CudaBackend extends DeviceBackend {
    /** Pinned staging buffer: transfers larger than this go in chunks. */
    static final long STAGING_BYTES = 8L << 20;

    private final CudaDriver.Device info;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final BufferPool<CUdeviceptr> pool;
    private final Map<String, CUmodule> modules = new HashMap<>();
    /** Functions by family, then name: looked up per launch without building a key. */
    private final Map<String, Map<String, CUfunction>> functions = new HashMap<>();
    private final CudaGemm gemm;
    private final Pointer staging = new Pointer();
    private final java.util.concurrent.atomic.AtomicBoolean stagingAllocated = new java.util.concurrent.atomic.AtomicBoolean();
    private FloatBuffer stagingFloats;

    CudaBackend(CudaDriver.Device info) {
        this(info, System.getProperty("neurite.cuda.gemm", ""));
    }

    /**
     * {@code gemm}: "" (cuBLAS where it loads), "tiled", "tiled32|64|128" or "cublas", as
     * {@code -Dneurite.cuda.gemm}.
     */
    CudaBackend(CudaDriver.Device info, String gemm) {
        super("cuda");
        this.info = info;
        cuDeviceGet(device, info.ordinal());
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        this.pool = new BufferPool<>(new CudaMemory(), Math.min(4L << 30, Math.max(64L << 20, info.memory() / 4)));
        this.gemm = new CudaGemm(this, stream, gemm, info.multiprocessors());
        releaseIfDropped(releaser(device, context, stream, pool, modules, staging, stagingAllocated));
    }

    /** Device 0. */
    public static CudaBackend create() {
        return (CudaBackend) new CudaBackendProvider().create("");
    }

    @Override
    public String device() {
        return "cuda " + info.describe() + ", GEMM on " + (usesCublas() ? "cuBLAS" : "our tiled kernel")
                + (isClosed() ? " [closed]" : "");
    }

    /** Whether GEMM runs on cuBLAS (else on our tiled kernel). */
    boolean usesCublas() {
        return gemm.usesCublas();
    }

    @Override
    protected void enter() {
        checkOpen();
        cuCtxSetCurrent(context);
    }

    @Override
    protected synchronized void free(Object buffer, long bytes) {
        freed(bytes);
        if (isClosed()) {
            return;   // the context and all its memory went with the backend
        }
        cuCtxSetCurrent(context);   // the pool may free, and tensors may be closed from any thread
        pool.release((CUdeviceptr) buffer, bytes);
    }

    private FloatBuffer staging() {
        if (stagingFloats == null) {
            cuMemAllocHost(staging, STAGING_BYTES);
            stagingAllocated.set(true);
            stagingFloats = staging.getByteBuffer(0, STAGING_BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        return stagingFloats;
    }

    @Override
    protected synchronized void read(Object buffer, float[] out) {
        enter();
        CUdeviceptr p = (CUdeviceptr) buffer;
        FloatBuffer fb = staging();
        int chunk = (int) (STAGING_BYTES / 4);
        for (int from = 0; from < out.length; from += chunk) {
            int n = Math.min(chunk, out.length - from);
            cuMemcpyDtoHAsync(staging, p.withByteOffset(4L * from), 4L * n, stream);
            cuStreamSynchronize(stream);
            fb.position(0);
            fb.get(out, from, n);
        }
    }

    @Override
    protected synchronized void write(Object buffer, float[] data) {
        enter();
        CUdeviceptr p = (CUdeviceptr) buffer;
        FloatBuffer fb = staging();
        int chunk = (int) (STAGING_BYTES / 4);
        for (int from = 0; from < data.length; from += chunk) {
            int n = Math.min(chunk, data.length - from);
            // The staging buffer may still feed the previous chunk's copy: wait before overwriting it.
            cuStreamSynchronize(stream);
            fb.position(0);
            fb.put(data, from, n);
            cuMemcpyHtoDAsync(p.withByteOffset(4L * from), staging, 4L * n, stream);
        }
        cuStreamSynchronize(stream);
    }

    @Override
    protected synchronized void fill(Object buffer, float value, long bytes) {
        enter();
        if (bytes > 0) {
            cuMemsetD32Async((CUdeviceptr) buffer, Float.floatToRawIntBits(value), bytes / 4, stream);
        }
    }

    @Override
    protected synchronized void copy(Object from, Object to, long bytes) {
        enter();
        if (bytes > 0) {
            cuMemcpyDtoDAsync((CUdeviceptr) to, (CUdeviceptr) from, bytes, stream);
        }
    }

    @Override
    protected synchronized CUdeviceptr scratch(long bytes) {
        enter();
        return pool.acquire(bytes);
    }

    @Override
    protected synchronized void releaseScratch(Object buffer, long bytes) {
        pool.release((CUdeviceptr) buffer, bytes);
    }

    @Override
    protected int elementGroup() {
        return 256;
    }

    @Override
    protected synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, Object b,
                                  float beta, Object c, Object bias, Activation f) {
        enter();
        gemm.run(transA, transB, m, n, k, alpha, (CUdeviceptr) a, (CUdeviceptr) b, beta, (CUdeviceptr) c,
                (CUdeviceptr) bias, f);
    }

    @Override
    protected synchronized void launch(String family, String kernel, long[] global, long[] local, Object... args) {
        enter();
        LaunchConfig lc = LaunchConfig.of(kernel, global, local);
        if (lc == null) {
            return;
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (a instanceof Float f) {
                params[i] = Pointer.to(new float[] {f});
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else {
                throw new IllegalArgumentException("cuda: unsupported kernel argument " + a);
            }
        }
        cuLaunchKernel(function(family, kernel), lc.gridX(), lc.gridY(), lc.gridZ(), lc.blockX(), lc.blockY(),
                lc.blockZ(), 0, stream, Pointer.to(params), null);
    }

    private CUfunction function(String family, String name) {
        Map<String, CUfunction> ofFamily = functions.computeIfAbsent(family, x -> new HashMap<>());
        CUfunction f = ofFamily.get(name);
        if (f == null) {
            CUmodule m = modules.get(family);
            if (m == null) {
                m = new CUmodule();
                cuModuleLoadData(m, CudaModules.image(family));
                modules.put(family, m);
            }
            f = new CUfunction();
            cuModuleGetFunction(f, m, name);
            ofFamily.put(name, f);
        }
        return f;
    }

    /** Bytes of device memory held by this backend's buffers: open tensors, scratch, and the cache. */
    public synchronized long deviceBytes() {
        return pool.deviceBytes();
    }

    /**
     * Bytes of the device in use, as the driver counts them (cuMemGetInfo: total minus free): every process's
     * and library's allocations, cuBLAS's workspace and the context's own included. For checking that the
     * allocator's own count ({@link #deviceBytes()}) tells the whole story.
     */
    public synchronized long driverUsedBytes() {
        enter();
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        return total[0] - free[0];
    }

    @Override
    public synchronized void synchronize() {
        enter();
        cuStreamSynchronize(stream);
    }

    @Override
    public synchronized void close() {
        if (isClosed()) {
            return;
        }
        cuCtxSetCurrent(context);
        cuStreamSynchronize(stream);
        beginClose();   // tensors still open go back to the pool, which trim() frees; using one afterwards throws
        gemm.close();
        pool.trim();
        modules.values().forEach(m -> cuModuleUnload(m));
        modules.clear();
        functions.clear();
        if (stagingAllocated.get()) {
            cuMemFreeHost(staging);
        }
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
        released();
    }

    /**
     * What close releases, for a backend dropped without it (static: it must not hold the backend). The GEMM's
     * cuBLAS handle belongs to the GEMM object, which holds the backend, so it goes with the context.
     */
    private static Runnable releaser(CUdevice device, CUcontext context, CUstream stream, BufferPool<CUdeviceptr> pool,
                                     Map<String, CUmodule> modules, Pointer staging,
                                     java.util.concurrent.atomic.AtomicBoolean stagingAllocated) {
        return () -> {
            cuCtxSetCurrent(context);
            cuStreamSynchronize(stream);
            pool.trim();
            modules.values().forEach(m -> cuModuleUnload(m));
            if (stagingAllocated.get()) {
                cuMemFreeHost(staging);
            }
            cuStreamDestroy(stream);
            cuDevicePrimaryCtxRelease(device);
        };
    }

    /** Device memory of the current context (a static class: the pool must not hold the backend). */
    private static final class CudaMemory implements BufferPool.Device<CUdeviceptr> {
        @Override
        public CUdeviceptr allocate(long bytes) {
            CUdeviceptr p = new CUdeviceptr();
            cuMemAlloc(p, bytes);
            return p;
        }

        @Override
        public void free(CUdeviceptr p) {
            cuMemFree(p);
        }

        @Override
        public boolean outOfMemory(RuntimeException e) {
            return e instanceof CudaException && e.getMessage() != null
                    && e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY));
        }
    }

    @Override
    protected Object acquire(long bytes) {
        return pool.acquire(bytes);
    }
}
