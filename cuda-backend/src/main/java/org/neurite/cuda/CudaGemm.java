package org.neurite.cuda;

import java.util.Locale;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;
import org.neurite.tensor.Activation;

/**
 * GEMM on CUDA: cuBLAS through JCublas when its native library loads (JCublas 12.6 needs exactly
 * {@code libcublas.so.12}), with our bias and activation epilogue as a second kernel; otherwise our tiled
 * kernel ({@code gemm_tiled} of gemm.cl with 128 x 128 x 8 tiles and 8 x 8 outputs per thread, the
 * tile sizes in src/main/cuda/nvcc.flags), which fuses the epilogue. The choice and its reason are
 * logged once per backend. {@code -Dneurite.cuda.gemm=tiled|cublas} forces one.
 */
final class CudaGemm {
    private static final System.Logger LOG = System.getLogger("org.neurite.cuda");
    /** Must match -DTSM, -DTSN, -DWPTM, -DWPTN in nvcc.flags (a test checks). */
    static final int TSM = 128;
    static final int TSN = 128;
    static final int WPTM = 8;
    static final int WPTN = 8;

    /**
     * Why JCublas did not load, once it failed: a failed native load leaves JCublas2 unusable for the rest of
     * the JVM (later attempts only say "Could not initialize class"), so the first, informative reason is kept.
     */
    private static volatile String cublasFailure;

    private final CudaBackend backend;
    private final cublasHandle cublas;

    CudaGemm(CudaBackend backend, CUstream stream) {
        this.backend = backend;
        String forced = System.getProperty("neurite.cuda.gemm", "").trim().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("tiled") && !forced.equals("cublas")) {
            throw new IllegalArgumentException("neurite.cuda.gemm must be tiled or cublas, got '" + forced + "'");
        }
        cublasHandle handle = null;
        String why;
        if (forced.equals("tiled")) {
            why = "our tiled kernel (forced by neurite.cuda.gemm=tiled)";
        } else if (cublasFailure != null) {   // JCublas does not load twice: the first reason stands
            if (forced.equals("cublas")) {
                throw new IllegalStateException("cuda: neurite.cuda.gemm=cublas, but cuBLAS does not load: " + cublasFailure);
            }
            why = "our tiled kernel (cuBLAS unavailable: " + cublasFailure + ")";
        } else {
            try {
                JCublas2.setExceptionsEnabled(true);
                cublasHandle h = new cublasHandle();
                JCublas2.cublasCreate(h);
                JCublas2.cublasSetStream(h, new cudaStream_t(stream));
                handle = h;
                why = "cuBLAS (JCublas)";
            } catch (LinkageError | CudaException e) {   // no libcublas.so.12, or JCublas half-loaded
                String reason = e instanceof LinkageError
                        ? "JCublas 12.6 (needs libcublas.so.12) did not load: " + CudaDriver.rootMessage(e)
                        : "cublasCreate failed: " + e.getMessage();
                if (e instanceof LinkageError) {
                    cublasFailure = reason;
                }
                if (forced.equals("cublas")) {
                    throw new IllegalStateException("cuda: neurite.cuda.gemm=cublas, but cuBLAS does not load: " + reason, e);
                }
                why = "our tiled kernel (cuBLAS unavailable: " + reason + ")";
            }
        }
        this.cublas = handle;
        LOG.log(System.Logger.Level.INFO, "cuda: GEMM on " + why);
    }

    boolean usesCublas() {
        return cublas != null;
    }

    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, CUdeviceptr a, CUdeviceptr b,
             float beta, CUdeviceptr c, CUdeviceptr bias, Activation f) {
        int act = f.kind().ordinal();
        int hasBias = bias == null ? 0 : 1;
        CUdeviceptr biasArg = bias == null ? c : bias;
        if (cublas == null) {
            long[] local = {TSN / WPTN, TSM / WPTM};
            long[] global = {(long) ceilDiv(n, TSN) * local[0], (long) ceilDiv(m, TSM) * local[1]};
            backend.launch("gemm", "gemm_tiled", global, local, m, n, k, alpha, a, transA ? 1 : 0, b, transB ? 1 : 0,
                    beta, c, biasArg, hasBias, act, f.alpha());
            return;
        }
        if (m == 0 || n == 0) {
            return;
        }
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
        if (k == 0) {   // C = beta C (cuBLAS wants k >= 1); beta 0 ignores C's old contents, NaNs included
            if (beta == 0f) {
                backend.fill(c, 0f, 4L * m * n);
            } else {
                backend.launch("elementwise", "scale", new long[] {(long) m * n}, new long[] {256}, beta, c, m * n);
            }
        } else {
            JCublas2.cublasSgemm(cublas, transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                    transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N, n, m, k,
                    Pointer.to(new float[] {alpha}), b, transB ? k : n, a, transA ? m : k,
                    Pointer.to(new float[] {beta}), c, n);
        }
        if (bias != null || f.kind() != Activation.Kind.IDENTITY) {
            backend.launch("elementwise", "bias_activate", new long[] {n, m}, new long[] {64, 4}, c, biasArg, hasBias,
                    act, f.alpha(), n, m);
        }
    }

    void close() {
        if (cublas != null) {
            JCublas2.cublasDestroy(cublas);
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
