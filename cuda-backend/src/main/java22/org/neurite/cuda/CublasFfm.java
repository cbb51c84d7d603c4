package org.neurite.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * CUDA 13's cuBLAS ({@code libcublas.so.13}) through the FFM API: four functions of cublas_api.h, bound once
 * per JVM. JCublas 12.6 needs exactly {@code libcublas.so.12}, which machines with only CUDA 13 lack. Compiled
 * with {@code --release 22} (the cuda module's {@code jdk22} profile) and reached only through
 * {@link CudaBlas#cublas13}. Callers serialize calls (the backend's methods are synchronized), which the
 * shared alpha and beta buffers rely on.
 */
final class CublasFfm implements CudaBlas {
    private static final String LIBRARY = "libcublas.so.13";
    private static volatile Bindings bindings;

    private record Bindings(MethodHandle create, MethodHandle destroy, MethodHandle setStream, MethodHandle sgemm) {
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment alpha = arena.allocate(JAVA_FLOAT);   // host pointer mode: read during the call
    private final MemorySegment beta = arena.allocate(JAVA_FLOAT);
    private boolean closed;

    private CublasFfm(MemorySegment handle) {
        this.handle = handle;
    }

    /** A handle on the current context, its work on {@code stream}. */
    static CublasFfm open(long stream) {
        Bindings b = bindings();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cublasCreate_v2", (int) b.create.invokeExact(out));
            MemorySegment h = out.get(ADDRESS, 0);
            int status = (int) b.setStream.invokeExact(h, MemorySegment.ofAddress(stream));
            if (status != 0) {
                int ignored = (int) b.destroy.invokeExact(h);
                check("cublasSetStream_v2", status);
            }
            return new CublasFfm(h);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS 13: " + t, t);
        }
    }

    private static Bindings bindings() {
        Bindings b = bindings;
        if (b == null) {
            synchronized (CublasFfm.class) {
                b = bindings;
                if (b == null) {
                    b = bind();
                    bindings = b;
                }
            }
        }
        return b;
    }

    private static Bindings bind() {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + LIBRARY + " (CUDA 13's cuBLAS): " + e.getMessage());
        }
        Linker linker = Linker.nativeLinker();
        return new Bindings(
                linker.downcallHandle(find(lib, "cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                linker.downcallHandle(find(lib, "cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                linker.downcallHandle(find(lib, "cublasSetStream_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                linker.downcallHandle(find(lib, "cublasSgemm_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                        ADDRESS, JAVA_INT)));
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(LIBRARY + " has no " + name));
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b,
                      int ldb, float beta, long c, int ldc) {
        if (closed) {
            throw new IllegalStateException("cuBLAS handle is closed");
        }
        this.alpha.set(JAVA_FLOAT, 0, alpha);
        this.beta.set(JAVA_FLOAT, 0, beta);
        int status;
        try {
            status = (int) bindings.sgemm.invokeExact(handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                    this.alpha, MemorySegment.ofAddress(a), lda, MemorySegment.ofAddress(b), ldb,
                    this.beta, MemorySegment.ofAddress(c), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cublasSgemm_v2: " + t, t);
        }
        check("cublasSgemm_v2", status);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) bindings.destroy.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException("cublasDestroy_v2: " + t, t);
        } finally {
            arena.close();
        }
    }

    private static void check(String call, int status) {
        if (status != 0) {
            throw new IllegalStateException("cuda: " + call + " failed: " + statusName(status));
        }
    }

    /** cublasStatus_t's names (cublas_api.h). */
    static String statusName(int status) {
        return switch (status) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus_t " + status;
        };
    }
}
