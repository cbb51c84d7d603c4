package org.neurite.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;
import static org.jocl.CL.clSetKernelArg;

import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.neurite.tensor.Activation;
import org.neurite.tensor.device.BufferPool;
import org.neurite.tensor.device.DeviceBackend;
import org.neurite.tensor.device.DeviceKernels;

/**
 * The OpenCL backend: one device, one context, one in-order command queue. Kernels are launched
 * asynchronously; reading a tensor (or {@link #synchronize()}) waits for them. Buffers come from a pool
 * keyed by size (see {@link BufferPool}); kernel programs are built once per backend, from the disk
 * cache of binaries when it has them (see {@link ClProgramCache}).
 *
 * <p>Through {@link org.neurite.tensor.Backends}: {@code opencl} (a GPU if there is one), {@code opencl:gpu},
 * {@code opencl:cpu}, {@code opencl:P:D}.
 */
public final class OpenClBackend extends DeviceBackend {
    private final ClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final BufferPool<cl_mem> pool;
    private final ClProgramCache cache;
    private final Map<String, cl_program> programs = new HashMap<>();
    /** Kernel objects by family, then name: looked up per launch without building a key. */
    private final Map<String, Map<String, cl_kernel>> kernelObjects = new HashMap<>();
    private final ClGemm.Config gemmConfig;
    private final String options;
    private final ClGemm gemm;

    OpenClBackend(ClDevice device) {
        this(device, ClProgramCache.fromProperties());
    }

    private OpenClBackend(ClDevice device, ClProgramCache cache) {
        this(device, gemmConfig(device, cache), cache);
    }

    /** The table's GEMM configuration, or the tuned one where tuning applies (see {@link ClGemmTuner}). */
    private static ClGemm.Config gemmConfig(ClDevice device, ClProgramCache cache) {
        ClGemm.Config table = ClGemm.Config.forDevice(device);
        boolean forced = !System.getProperty("neurite.opencl.gemm", "").isBlank();
        return !forced && ClGemmTuner.enabled(device) ? ClGemmTuner.tuned(device, table, cache) : table;
    }

    /** A backend with the given GEMM parameters and program cache (tests run both kernels this way). */
    OpenClBackend(ClDevice device, ClGemm.Config gemmConfig, ClProgramCache cache) {
        super("opencl");
        this.device = device;
        this.cache = cache;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, null);
        this.queue = clCreateCommandQueue(context, device.device(), 0, null);
        SignalChaining.afterDriverCall("creating the context");
        // Keep freed buffers up to a quarter of the device's memory (at most 1 GiB) for reuse.
        this.pool = new BufferPool<>(new ClMemory(context), Math.min(1L << 30, Math.max(64L << 20, device.globalMemory() / 4)));
        this.gemmConfig = gemmConfig;
        this.options = "-cl-std=CL1.2 -DROW_WG=" + DeviceKernels.ROW_WG + " " + gemmConfig.buildOptions();
        this.gemm = new ClGemm(this, gemmConfig);
        releaseIfDropped(releaser(queue, context, pool, kernelObjects, programs));
    }

    /** The best device ({@code opencl}); see {@link ClDevice#select}. */
    public static OpenClBackend create() {
        return (OpenClBackend) new OpenClBackendProvider().create("");
    }

    @Override
    public String device() {
        return "opencl " + device.describe() + (isClosed() ? " [closed]" : "");
    }

    /** Whether the device is a CPU (PoCL and the like) rather than a GPU or accelerator. */
    public boolean isCpuDevice() {
        return device.type() == ClDevice.Type.CPU;
    }

    /** The GEMM parameters chosen for this device. */
    public String gemmConfiguration() {
        return gemmConfig.toString();
    }

    @Override
    protected synchronized void free(Object buffer, long bytes) {
        freed(bytes);
        if (isClosed()) {
            clReleaseMemObject((cl_mem) buffer);
        } else {
            pool.release((cl_mem) buffer, bytes);
        }
    }

    @Override
    protected synchronized void read(Object m, float[] out) {
        if (out.length > 0) {
            clEnqueueReadBuffer(queue, (cl_mem) m, CL_TRUE, 0, 4L * out.length, Pointer.to(out), 0, null, null);
        }
    }

    @Override
    protected synchronized void write(Object m, float[] data) {
        if (data.length > 0) {
            clEnqueueWriteBuffer(queue, (cl_mem) m, CL_TRUE, 0, 4L * data.length, Pointer.to(data), 0, null, null);
        }
    }

    @Override
    protected synchronized void fill(Object m, float value, long bytes) {
        if (bytes > 0) {
            clEnqueueFillBuffer(queue, (cl_mem) m, Pointer.to(new float[] {value}), Sizeof.cl_float, 0, bytes, 0, null, null);
        }
    }

    @Override
    protected void copy(Object from, Object to, long bytes) {
        if (bytes > 0) {
            org.jocl.CL.clEnqueueCopyBuffer(queue, (cl_mem) from, (cl_mem) to, 0, 0, bytes, 0, null, null);
        }
    }

    @Override
    protected cl_mem scratch(long bytes) {
        return pool.acquire(bytes);
    }

    @Override
    protected void releaseScratch(Object m, long bytes) {
        pool.release((cl_mem) m, bytes);
    }

    @Override
    protected int elementGroup() {
        return isCpuDevice() ? 1024 : 256;
    }

    @Override
    protected void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, Object b, float beta,
                     Object c, Object bias, Activation f) {
        gemm.run(transA, transB, m, n, k, alpha, (cl_mem) a, (cl_mem) b, beta, (cl_mem) c, (cl_mem) bias, f);
    }

    @Override
    protected void launch(String family, String kernel, long[] global, long[] local, Object... args) {
        launch(kernel(family, kernel), global, local, args);
    }

    /** The kernel {@code name} of {@code family}.cl, building the family on first use. */
    cl_kernel kernel(String family, String name) {
        Map<String, cl_kernel> ofFamily = kernelObjects.computeIfAbsent(family, x -> new HashMap<>());
        cl_kernel k = ofFamily.get(name);
        if (k == null) {
            cl_program p = programs.get(family);
            if (p == null) {
                p = cache.build(context, device, family, ClProgramCache.source(family), options);
                programs.put(family, p);
            }
            k = clCreateKernel(p, name, null);
            ofFamily.put(name, k);
        }
        return k;
    }

    /**
     * Enqueues {@code k} with {@code args} (cl_mem, Float, Integer) over {@code global} work-items, rounded
     * up to multiples of {@code local} (null: the implementation's choice). Does nothing for empty work.
     */
    void launch(cl_kernel k, long[] global, long[] local, Object... args) {
        for (long g : global) {
            if (g <= 0) {
                return;
            }
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof cl_mem m) {
                clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            } else if (a instanceof Float f) {
                clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {f}));
            } else if (a instanceof Integer v) {
                clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else {
                throw new IllegalArgumentException("opencl: unsupported kernel argument " + a);
            }
        }
        long[] g = global.clone();
        if (local != null) {
            for (int d = 0; d < g.length; d++) {
                g[d] = (g[d] + local[d] - 1) / local[d] * local[d];
            }
        }
        clEnqueueNDRangeKernel(queue, k, g.length, null, g, local, 0, null, null);
    }

    /** Bytes of device memory held by this backend's buffers: open tensors, scratch, and the pool. */
    public synchronized long deviceBytes() {
        return pool.deviceBytes();
    }

    /** Kernel programs built from source by this backend (the others came from the disk cache). */
    public int programsBuiltFromSource() {
        return cache.builtFromSource();
    }

    @Override
    public synchronized void synchronize() {
        checkOpen();
        clFinish(queue);
    }

    @Override
    public synchronized void close() {
        if (!beginClose()) {   // tensors still open are freed first; using one afterwards throws
            return;
        }
        clFinish(queue);
        pool.trim();
        kernelObjects.values().forEach(ofFamily -> ofFamily.values().forEach(k -> clReleaseKernel(k)));
        kernelObjects.clear();
        programs.values().forEach(p -> clReleaseProgram(p));
        programs.clear();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
        released();
    }

    /** What close releases, for a backend dropped without it (static: it must not hold the backend). */
    private static Runnable releaser(cl_command_queue queue, cl_context context, BufferPool<cl_mem> pool,
                                     Map<String, Map<String, cl_kernel>> kernelObjects, Map<String, cl_program> programs) {
        return () -> {
            clFinish(queue);
            pool.trim();
            kernelObjects.values().forEach(ofFamily -> ofFamily.values().forEach(k -> clReleaseKernel(k)));
            programs.values().forEach(p -> clReleaseProgram(p));
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        };
    }

    /** Buffers of one context (a static class: the pool must not hold the backend). */
    private static final class ClMemory implements BufferPool.Device<cl_mem> {
        private final cl_context context;

        ClMemory(cl_context context) {
            this.context = context;
        }

        @Override
        public cl_mem allocate(long bytes) {
            return clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        }

        @Override
        public void free(cl_mem m) {
            clReleaseMemObject(m);
        }

        @Override
        public boolean outOfMemory(RuntimeException e) {
            return e instanceof CLException c && (c.getStatus() == CL_MEM_OBJECT_ALLOCATION_FAILURE
                    || c.getStatus() == CL_OUT_OF_RESOURCES);
        }
    }

    @Override
    protected Object acquire(long bytes) {
        return pool.acquire(bytes);
    }
}
