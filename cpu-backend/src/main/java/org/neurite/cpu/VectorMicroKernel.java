package org.neurite.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 4 x (2 vectors) tile: 8 vector accumulators, 2 B vectors and an A broadcast (4 x 16 floats with AVX2,
 * 4 x 32 with AVX-512).
 *
 * <p>Why 4 rows and not the 6 that fill AVX2's 16 registers: measured on this project's AVX2 machines,
 * a 6 x 16 kernel reaches about 80 GFLOP/s alone on JDK 17 but only about 40 on JDK 25, whose C2 spills
 * accumulators once there are ten or more (5 x 16 is slow on JDK 25 too); 4 x 16 runs at about 80 on
 * both, and in the full GEMM it matched or beat the 6 x 16 kernel on both JDKs. The method stays small
 * for another reason too: JDK 17's C1 can fail a large Vector API method ("out of virtual registers in
 * linear scan") and then never hand it to C2, leaving it 50x slower.
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 4;
    private static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void run(int kc, float[] a, int ao, float[] b, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR;
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * The loop of {@link #run}, repeated on purpose: the accumulators must stay in the method that stores
     * them, and a shared helper would have to return eight vectors (boxed, in a JIT's eyes).
     */
    @Override
    public void runInto(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR;
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
    }

    @Override
    public void packSliver(int kc, float[] b, int bo, int ldb, float[] dst) {
        for (int p = 0, d = 0; p < kc; p++, bo += ldb, d += NR) {
            FloatVector.fromArray(S, b, bo).intoArray(dst, d);
            FloatVector.fromArray(S, b, bo + L).intoArray(dst, d + L);
        }
    }

    @Override
    public void storeTile(float[] tile, float beta, float[] c, int co, int ldc, int rows, int cols) {
        if (rows != MR || cols != NR || (beta != 0f && beta != 1f)) {
            MicroKernel.super.storeTile(tile, beta, c, co, ldc, rows, cols);
        } else if (beta == 0f) {
            for (int i = 0; i < MR; i++, co += ldc) {
                FloatVector.fromArray(S, tile, i * NR).intoArray(c, co);
                FloatVector.fromArray(S, tile, i * NR + L).intoArray(c, co + L);
            }
        } else {
            for (int i = 0; i < MR; i++, co += ldc) {
                FloatVector.fromArray(S, c, co).add(FloatVector.fromArray(S, tile, i * NR)).intoArray(c, co);
                FloatVector.fromArray(S, c, co + L).add(FloatVector.fromArray(S, tile, i * NR + L)).intoArray(c, co + L);
            }
        }
    }
}
