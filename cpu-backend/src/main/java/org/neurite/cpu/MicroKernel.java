package org.neurite.cpu;

import java.util.Arrays;

/**
 * The register-blocked heart of GEMM: one {@code mr x nr} tile of products from packed panels,
 * {@code tile[i*nr + j] = sum over p < kc of a[ao + p*mr + i] * b[bo + p*nr + j]}, overwriting the tile.
 * Both operands are packed slivers. The strides are constants on purpose: with B's row stride a parameter,
 * C2 could not prove the B loads in bounds before the loop and kept two bounds checks and a spilled
 * stride in every iteration (seen in the JDK 17 disassembly on AVX2: 27 instructions for 8 FMAs). On 32-register
 * files there is room for both, and {@link #runIntoStrided} reads a B that few row blocks share where it lies.
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
     * The width of {@link #runHalf}, or 0 where there is none: an edge sliver of B at most this wide (a layer of 100
     * or 300 units leaves 4 or 12 columns; one of 10 has nothing else) costs half the full tile's arithmetic.
     */
    default int halfWidth() {
        return 0;
    }

    /**
     * As {@link #run}, for the first {@link #halfWidth()} columns of the tile only (the rest of the tile is left as
     * it was): the last, narrow sliver of B.
     */
    default void runHalf(int kc, float[] a, int ao, float[] b, int bo, float[] tile) {
        run(kc, a, ao, b, bo, tile);
    }

    /**
     * As {@link #run}, but finishing the full {@code mr x nr} tile straight in C: {@code C = acc + beta C} at
     * {@code c[co + i*ldc + j]}, where beta 0 overwrites C without reading it (NaNs in C do not survive) and beta 1
     * accumulates (later depth slices). Without the tile's extra pass, which costs a fifth of the work when k is
     * small (the MLP's weight gradients have k = 32) and, with every slice going through it, was the largest loss
     * of the whole GEMM at n = 1024 (58% of the FMA peak against 82% for one slice; measured on AVX-512).
     * {@code tile} is scratch space for implementations that go through it, as this default does.
     */
    default void runInto(int kc, float[] a, int ao, float[] b, int bo, float beta, float[] c, int co, int ldc,
                         float[] tile) {
        run(kc, a, ao, b, bo, tile);
        storeTile(tile, beta, c, co, ldc, mr(), nr());
    }

    /**
     * Whether {@link #runIntoStrided} costs no more per iteration than {@link #runInto}: true for the vector kernels
     * on 512-bit vectors (32 registers hold the stride and the bounds), where {@link Gemm} then reads the B sliver
     * of a short product in place instead of copying it first.
     */
    default boolean readsBInPlace() {
        return false;
    }

    /**
     * {@link #runInto} with B's full {@code kc x nr} sliver read where it lies, row stride {@code ldb}:
     * {@code b[bo + p*ldb + j]}. For a short product ({@code x W} on a batch of 32: four row blocks of 8 share each
     * sliver of W) copying the sliver first cost 10-20% of the product (measured on AVX-512, 8 x 32 tile, JDK 25,
     * the MLP's 32 x 784 x 300 on one and two threads); for taller ones the copy, read from L1 by every row block,
     * pays for itself. This default computes through {@code tile}.
     */
    default void runIntoStrided(int kc, float[] a, int ao, float[] b, int bo, int ldb, float beta, float[] c, int co,
                                int ldc, float[] tile) {
        int mr = mr();
        int nr = nr();
        Arrays.fill(tile, 0, mr * nr, 0f);
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < mr; i++) {
                float ai = a[ao + p * mr + i];
                for (int j = 0; j < nr; j++) {
                    tile[i * nr + j] += ai * b[bo + p * ldb + j];
                }
            }
        }
        storeTile(tile, beta, c, co, ldc, mr, nr);
    }

    /**
     * Packs one full {@code mr}-row sliver of a row-major A ({@code mr} rows of {@code kc} values from
     * {@code a[src + i*lda + p]}) times alpha, p-major with the rows within: {@code dst[d + p*mr + i]}. Reading the
     * {@code mr} rows side by side writes the sliver in order (BLIS's packm kernel for this mr).
     */
    default void packA(float[] a, int src, int lda, int kc, float alpha, float[] dst, int d) {
        int mr = mr();
        for (int p = 0; p < kc; p++, d += mr) {
            for (int i = 0; i < mr; i++) {
                dst[d + i] = alpha * a[src + i * lda + p];
            }
        }
    }

    /**
     * As {@link #packA}, for op(A) = A^T: the sliver's {@code mr} values for each p are adjacent in A's row,
     * {@code a[src + p*lda + i]}.
     */
    default void packAT(float[] a, int src, int lda, int kc, float alpha, float[] dst, int d) {
        int mr = mr();
        for (int p = 0; p < kc; p++, src += lda, d += mr) {
            for (int i = 0; i < mr; i++) {
                dst[d + i] = alpha * a[src + i];
            }
        }
    }

    /**
     * Packs one full {@code kc x nr} sliver of op(B) = B^T, {@code b[src + j*ldb + p]} to {@code dst[d + p*nr + j]}:
     * the vector path gathers each row of the sliver ({@code columns[j] = j*ldb}, {@code nr} entries) and writes
     * it in order.
     */
    default void packBT(float[] b, int src, int ldb, int kc, float[] dst, int d, int[] columns) {
        int nr = nr();
        for (int j = 0; j < nr; j++) {
            for (int p = 0; p < kc; p++) {
                dst[d + p * nr + j] = b[src + j * ldb + p];
            }
        }
    }

    /**
     * Packs {@code slivers} full {@code kc x nr} slivers of a row-major B side by side
     * ({@code b[src + p*ldb + s*nr + j]} to {@code dst[d + s*kc*nr + p*nr + j]}), row by row, so that B is read in
     * order, as the hardware prefetchers like it.
     */
    default void packB(float[] b, int src, int ldb, int kc, int slivers, float[] dst, int d) {
        int nr = nr();
        for (int p = 0; p < kc; p++, src += ldb, d += nr) {
            for (int s = 0; s < slivers; s++) {
                System.arraycopy(b, src + s * nr, dst, d + s * kc * nr, nr);
            }
        }
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
