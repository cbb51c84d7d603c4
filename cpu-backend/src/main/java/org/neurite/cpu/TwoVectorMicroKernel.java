package org.neurite.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector micro-kernels share: every shape is two vectors wide ({@code nr = 2 * lanes}), so B's packing does
 * not depend on the height and is written once here; the generated subclasses
 * ({@code cpu-backend/src/gen/microkernels.py}) add the accumulator-holding methods and A's packing, unrolled over
 * their {@code mr}.
 */
abstract class TwoVectorMicroKernel implements MicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int NR = 2 * L;

    @Override
    public final int nr() {
        return NR;
    }

    @Override
    public final boolean readsBInPlace() {
        return S.vectorBitSize() >= 512;
    }

    @Override
    public final int halfWidth() {
        return L;
    }

    @Override
    public final void packBT(float[] b, int src, int ldb, int kc, float[] dst, int d, int[] columns) {
        for (int p = 0; p < kc; p++, d += NR) {
            FloatVector.fromArray(S, b, src + p, columns, 0).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + p, columns, L).intoArray(dst, d + L);
        }
    }

    @Override
    public final void packB(float[] b, int src, int ldb, int kc, int slivers, float[] dst, int d) {
        int stride = kc * NR;
        for (int p = 0; p < kc; p++, src += ldb, d += NR) {
            for (int s = 0, from = src, to = d; s < slivers; s++, from += NR, to += stride) {
                FloatVector.fromArray(S, b, from).intoArray(dst, to);
                FloatVector.fromArray(S, b, from + L).intoArray(dst, to + L);
            }
        }
    }

    @Override
    public final void packSliver(int kc, float[] b, int bo, int ldb, float[] dst) {
        for (int p = 0, d = 0; p < kc; p++, bo += ldb, d += NR) {
            FloatVector.fromArray(S, b, bo).intoArray(dst, d);
            FloatVector.fromArray(S, b, bo + L).intoArray(dst, d + L);
        }
    }
}
