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
 * {@code libcublas.so.12}), else CUDA 13's {@code libcublas.so.13} through the FFM API on JDK 22+
 * ({@link CudaBlas}), with our bias and activation epilogue as a second kernel; otherwise our tiled
 * kernel ({@code gemm_tiled} of gemm.cl with 128 x 128 x 8 tiles and 8 x 8 outputs per thread, the
 * tile sizes in src/main/cuda/nvcc.flags; gemm.cu also builds it with 64 x 64 and 32 x 32 tiles), which fuses
 * the epilogue. The choice and its reason are logged once per backend. {@code -Dneurite.cuda.gemm=tiled|cublas}
 * (or {@code tiled32}, {@code tiled64}, {@code tiled128} for one tile size) forces one.
 *
 * <p>Tile size: the largest whose grid still has a block per SM, else 32 x 32: a 128 x 128 tile gives the
 * MLP's [256 x 784] x [784 x 300] six blocks, a few percent of a 132-SM GPU; 32 x 32 tiles give it 80.
 */
final class CudaGemm {
    private static final System.Logger LOG = System.getLogger("org.neurite.cuda");
    /** Must match -DTSM, -DTSN, -DWPTM, -DWPTN in nvcc.flags (a test checks). */
    static final int TSM = 128;
    static final int TSN = 128;
    static final int WPTM = 8;
    static final int WPTN = 8;
    /** One configuration of the tiled kernel: size x size tiles, perThread x perThread outputs per thread. */
    record Tile(int size, int perThread, String kernel) {
        /** Threads per block side. */
        int side() {
            return size / perThread;
        }
    }

    /** The tiled kernel's configurations, largest first; gemm.cu builds each. */
    static final Tile[] TILES = {new Tile(TSM, WPTM, "gemm_tiled"), new Tile(64, 4, "gemm_tiled_64"),
        new Tile(32, 2, "gemm_tiled_32")};

    /**
     * Why JCublas did not load, once it failed: a failed native load leaves JCublas2 unusable for the rest of
     * the JVM (later attempts only say "Could not initialize class"), so the first, informative reason is kept.
     */
    private static volatile String cublasFailure;

    private final CudaBackend backend;
    private final cublasHandle cublas;
    private final CudaBlas cublas13;
    private final int multiprocessors;
    /** A forced tile configuration (tiled32/64/128), or null to choose by size. */
    private final Tile forcedTile;

    /**
     * {@code choice}: "" (cuBLAS where it loads, else the tiled kernel), "tiled", "tiled32", "tiled64",
     * "tiled128" or "cublas"; {@code multiprocessors}: the device's SM count, for the tile size.
     */
    CudaGemm(CudaBackend backend, CUstream stream, String choice, int multiprocessors) {
        this.backend = backend;
        this.multiprocessors = multiprocessors;
        String forced = choice.trim().toLowerCase(Locale.ROOT);
        this.forcedTile = forcedTile(forced);
        if (forcedTile != null) {
            forced = "tiled";
        }
        cublasHandle handle = null;
        CudaBlas ffm = null;
        String why;
        if (forced.equals("tiled")) {
            why = "our tiled kernel (forced by neurite.cuda.gemm=" + choice.trim() + ")";
        } else {
            String jcublasFailure = cublasFailure;
            if (jcublasFailure == null) {
                try {
                    JCublas2.setExceptionsEnabled(true);
                    cublasHandle h = new cublasHandle();
                    JCublas2.cublasCreate(h);
                    JCublas2.cublasSetStream(h, new cudaStream_t(stream));
                    handle = h;
                } catch (LinkageError | CudaException e) {   // no libcublas.so.12, or JCublas half-loaded
                    jcublasFailure = e instanceof LinkageError
                            ? "JCublas 12.6 (needs libcublas.so.12) did not load: " + CudaDriver.rootMessage(e)
                            : "cublasCreate failed: " + e.getMessage();
                    if (e instanceof LinkageError) {
                        cublasFailure = jcublasFailure;
                    }
                }
            }
            if (handle != null) {
                why = "cuBLAS (JCublas, libcublas.so.12)";
            } else {
                try {
                    ffm = CudaBlas.cublas13(CudaBlas.address(stream));
                    why = "cuBLAS (libcublas.so.13 through the FFM API; " + jcublasFailure + ")";
                } catch (IllegalStateException e) {
                    String reason = jcublasFailure + "; " + e.getMessage();
                    if (forced.equals("cublas")) {
                        throw new IllegalStateException("cuda: neurite.cuda.gemm=cublas, but cuBLAS does not load: "
                                + reason, e);
                    }
                    why = "our tiled kernel (cuBLAS unavailable: " + reason + ")";
                }
            }
        }
        this.cublas = handle;
        this.cublas13 = ffm;
        LOG.log(System.Logger.Level.INFO, "cuda: GEMM on " + why);
    }

    boolean usesCublas() {
        return cublas != null || cublas13 != null;
    }

    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, CUdeviceptr a, CUdeviceptr b,
             float beta, CUdeviceptr c, CUdeviceptr bias, Activation f) {
        int act = f.kind().ordinal();
        int hasBias = bias == null ? 0 : 1;
        CUdeviceptr biasArg = bias == null ? c : bias;
        if (!usesCublas()) {
            Tile tile = forcedTile != null ? forcedTile : chooseTile(m, n, multiprocessors);
            long[] local = {tile.side(), tile.side()};
            long[] global = {(long) ceilDiv(n, tile.size()) * local[0], (long) ceilDiv(m, tile.size()) * local[1]};
            backend.launch("gemm", tile.kernel(), global, local, m, n, k, alpha, a, transA ? 1 : 0, b,
                    transB ? 1 : 0, beta, c, biasArg, hasBias, act, f.alpha());
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
        } else if (cublas13 != null) {
            cublas13.sgemm(transB, transA, n, m, k, alpha, CudaBlas.address(b), transB ? k : n, CudaBlas.address(a),
                    transA ? m : k, beta, CudaBlas.address(c), n);
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
        if (cublas13 != null) {
            cublas13.close();
        }
    }

    /** The largest tile configuration whose grid has at least one block per SM, else the smallest. */
    static Tile chooseTile(int m, int n, int multiprocessors) {
        for (Tile t : TILES) {
            if ((long) ceilDiv(m, t.size()) * ceilDiv(n, t.size()) >= multiprocessors) {
                return t;
            }
        }
        return TILES[TILES.length - 1];
    }

    /** The tile configuration a "tiled32"-style choice forces, null for "", "tiled" or "cublas"; otherwise refused. */
    static Tile forcedTile(String choice) {
        if (choice.isEmpty() || choice.equals("tiled") || choice.equals("cublas")) {
            return null;
        }
        for (Tile t : TILES) {
            if (choice.equals("tiled" + t.size())) {
                return t;
            }
        }
        throw new IllegalArgumentException("the CUDA GEMM must be tiled, tiled32, tiled64, tiled128 or cublas"
                + " (neurite.cuda.gemm, or cuda:tiled), got '" + choice + "'");
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
