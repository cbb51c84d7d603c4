package org.neurite.cpu;

/**
 * The register-blocked heart of GEMM: one {@code mr x nr} tile of C updated from packed panels,
 * {@code c[co + i*ldc + j] += sum over p < kc of a[ao + p*mr + i] * b[bo + p*nr + j]}.
 * The packed layouts are {@link Gemm}'s; alpha is already folded into A.
 */
interface MicroKernel {
    int mr();

    int nr();

    void run(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc);
}
