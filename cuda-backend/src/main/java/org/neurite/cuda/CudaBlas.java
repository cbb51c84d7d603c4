package org.neurite.cuda;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * cuBLAS's single-precision GEMM as the backend calls it when JCublas cannot load: CUDA 13's
 * {@code libcublas.so.13}, bound with the FFM API by {@code CublasFfm} (src/main/java22, compiled only by a
 * JDK 22 or newer and loaded only on one). Arguments are raw device addresses, column-major, as
 * {@code cublasSgemm_v2} takes them.
 */
interface CudaBlas extends AutoCloseable {

    /** C = alpha op(A) op(B) + beta C, column-major; the scalars are host values. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
               float beta, long c, int ldc);

    @Override
    void close();

    /**
     * A cuBLAS 13 handle bound to {@code stream} (the stream's native handle), with the current context.
     *
     * @throws IllegalStateException why not: a JDK older than 22, no {@code libcublas.so.13}, a failing
     *     {@code cublasCreate_v2}
     */
    static CudaBlas cublas13(long stream) {
        if (Runtime.version().feature() < 22) {
            throw new IllegalStateException("cuBLAS 13 is bound with the FFM API, which needs JDK 22 or newer (this is "
                    + Runtime.version().feature() + ")");
        }
        Class<?> impl;
        try {
            impl = Class.forName("org.neurite.cuda.CublasFfm");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("this neurite-cuda jar was built without its JDK 22 part (CublasFfm; build"
                    + " it with JDK 22 or newer)");
        }
        try {
            return (CudaBlas) impl.getDeclaredMethod("open", long.class).invoke(null, stream);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalStateException ise ? ise : new IllegalStateException(String.valueOf(cause), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("CublasFfm.open: " + e, e);
        }
    }

    /** The native address a JCuda pointer or handle holds (plus a pointer's byte offset); per GEMM operand. */
    static long address(NativePointerObject p) {
        try {
            long address = (long) Accessors.NATIVE_POINTER.invokeExact(p);
            return p instanceof Pointer q ? address + (long) Accessors.BYTE_OFFSET.invokeExact(q) : address;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read JCuda's native pointer: " + t, t);
        }
    }

    /** JCuda keeps the address in protected members: method handles to them, made once. */
    final class Accessors {
        static final MethodHandle NATIVE_POINTER = accessible(NativePointerObject.class, "getNativePointer");
        static final MethodHandle BYTE_OFFSET = accessible(Pointer.class, "getByteOffset");

        private Accessors() {
        }

        private static MethodHandle accessible(Class<?> c, String name) {
            try {
                Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return MethodHandles.lookup().unreflect(m);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
