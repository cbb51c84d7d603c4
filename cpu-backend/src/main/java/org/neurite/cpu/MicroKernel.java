package org.neurite.cpu;

/**
 * The register-blocked heart of GEMM: one {@code mr x nr} tile of products from packed panels,
 * {@code tile[i*nr + j] = sum over p < kc of a[ao + p*mr + i] * b[bo + p*nr + j]}, overwriting the tile.
 * Both operands are packed slivers. The strides are constants on purpose: with B's row stride a parameter,
 * C2 could not prove the B loads in bounds before the loop and kept two bounds checks and a spilled
 * stride in every iteration (seen in the JDK 17 disassembly: 27 instructions for 8 FMAs).
 * The packed layouts are {@link Gemm}'s; alpha is already folded into A; {@link Gemm} adds the tile to C.
 *
 * <p>Why a tile and not C directly: reading C rows at the end of the kernel, while all accumulators are
 * live, makes C2 spill accumulators inside the hot loop (measured: 30 instead of 80 GFLOP/s on AVX2).
 * Plain stores need no extra register.
 */
interface MicroKernel {
    int mr();

    int nr();

    void run(int kc, float[] a, int ao, float[] b, int bo, float[] tile);

    /**
     * As {@link #run}, but writing the full {@code mr x nr} tile straight into C ({@code c[co + i*ldc + j]}),
     * overwriting it: for a product done in one depth slice with beta 0, where the tile's extra pass is
     * pure overhead (with k = 32, as in the MLP's weight gradients, it is a fifth of the work).
     */
    default void runInto(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, float[] tile) {
        run(kc, a, ao, b, bo, tile);
        storeTile(tile, 0f, c, co, ldc, mr(), nr());
    }

    /**
     * Copies a full {@code kc x nr} sliver of B's rows ({@code b[bo + p*ldb .. + nr)}) into {@code dst} with row
     * stride {@code nr}: packing one sliver just before the row blocks that share it, so that they all read it
     * from L1 instead of striding through B once each.
     */
    default void packSliver(int kc, float[] b, int bo, int ldb, float[] dst) {
        int nr = nr();
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bo + p * ldb, dst, p * nr, nr);
        }
    }

    /**
     * Rows {@code [0, rows)} and columns {@code [0, cols)} of the tile into C:
     * {@code c = beta * c + tile}, where beta 0 overwrites C without reading it (NaNs in C do not survive)
     * and beta 1 accumulates. Vectorized implementations speed up the full tile.
     */
    default void storeTile(float[] tile, float beta, float[] c, int co, int ldc, int rows, int cols) {
        int nr = nr();
        for (int i = 0; i < rows; i++) {
            int ci = co + i * ldc;
            int ti = i * nr;
            if (beta == 0f) {
                System.arraycopy(tile, ti, c, ci, cols);
            } else if (beta == 1f) {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += tile[ti + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] = beta * c[ci + j] + tile[ti + j];
                }
            }
        }
    }
}
