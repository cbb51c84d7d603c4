/*
 * GEMM: C = f(alpha * op(A) * op(B) + beta * C + bias), row-major, op = identity or transpose.
 *
 * Two kernels, chosen per device type by the host (see ClGemm):
 *  - CPU devices (PoCL): op(A) and op(B) are first packed into panels (MR rows of A, NR columns of B,
 *    k-major, zero padded, alpha folded into A), so that the transposes cost one pass and the micro-kernel
 *    streams both panels contiguously. Each work-item computes an MR x NR block of C in float8 registers,
 *    as a BLIS micro-kernel does; the work-items of a work-group share one B panel, which stays in cache.
 *  - GPUs: a tiled kernel (Nugteren's "myGEMM" kernel 6 design): a work-group computes a TSM x TSN tile of
 *    C from TSK-deep tiles of A and B staged in local memory (transposes applied while staging), each
 *    work-item WPTM x WPTN outputs in registers.
 * Both apply the epilogue while storing.
 */
#ifndef MR
#define MR 4
#endif
#define NR 16

/* The epilogue for one element. */
DEVICE_FN float epilogue(float acc, float beta, __global const float* cij, __global const float* bias, int hasBias,
                      int j, int act, float actAlpha) {
    float v = acc;
    if (beta != 0.0f) {
        v = fma(beta, *cij, v);
    }
    if (hasBias) {
        v += bias[j];
    }
    return neu_activate(act, actAlpha, v);
}

#ifndef NEURITE_CUDA   /* the CPU-device kernels use OpenCL vector types */

/* ap[((i / MR) * k + p) * MR + i % MR] = alpha * op(A)[i, p], rows padded with zeros to a multiple of MR.
 * One work-item per (p, row block); global (k, ceil(m / MR)). */
__kernel void pack_a(__global const float* a, int m, int k, int transA, float alpha, __global float* ap) {
    int p = get_global_id(0);
    int ib = get_global_id(1);
    if (p >= k || ib * MR >= m) {
        return;
    }
    __global float* dst = ap + ((long) ib * k + p) * MR;
#pragma unroll
    for (int r = 0; r < MR; r++) {
        int i = ib * MR + r;
        dst[r] = i < m ? alpha * (transA ? a[(long) p * m + i] : a[(long) i * k + p]) : 0.0f;
    }
}

/* bp[((j / NR) * k + p) * NR + j % NR] = op(B)[p, j], columns padded with zeros to a multiple of NR.
 * One work-item per (column block, p); global (ceil(n / NR), k). */
__kernel void pack_b(__global const float* b, int n, int k, int transB, __global float* bp) {
    int jb = get_global_id(0);
    int p = get_global_id(1);
    int j0 = jb * NR;
    if (j0 >= n || p >= k) {
        return;
    }
    __global float* dst = bp + ((long) jb * k + p) * NR;
    if (!transB && j0 + NR <= n) {
        __global const float* src = b + (long) p * n + j0;
        vstore8(vload8(0, src), 0, dst);
        vstore8(vload8(1, src), 1, dst);
        return;
    }
    for (int j = 0; j < NR; j++) {
        int jj = j0 + j;
        dst[j] = jj < n ? (transB ? b[(long) jj * k + p] : b[(long) p * n + jj]) : 0.0f;
    }
}

/* One step of the micro-kernel: the MR x NR block += a[0..MR) (x) (b0, b1). */
#define MICRO_STEP(pa, b0, b1)                                   \
    _Pragma("unroll")                                            \
    for (int r = 0; r < MR; r++) {                               \
        float8 av = (float8) ((pa)[r]);                          \
        acc0[r] = fma(av, b0, acc0[r]);                          \
        acc1[r] = fma(av, b1, acc1[r]);                          \
    }

/*
 * One MR x NR block of C per work-item; global (ceil(m / MR), ceil(n / NR)). A is packed; B is packed
 * (directB 0: panels of NR columns, k-major) or read in place (directB 1: op(B) = B, row-major with
 * leading dimension ldb), which saves the packing pass when few row blocks share each panel.
 */
__kernel void gemm_packed(int m, int n, int k, __global const float* ap, __global const float* b, int ldb, int directB,
                        float beta, __global float* c, __global const float* bias, int hasBias, int act, float actAlpha) {
    int ib = get_global_id(0);
    int jb = get_global_id(1);
    int j0 = jb * NR;
    if (ib * MR >= m || j0 >= n) {
        return;
    }
    __global const float* pa = ap + (long) ib * k * MR;
    float8 acc0[MR];
    float8 acc1[MR];
#pragma unroll
    for (int r = 0; r < MR; r++) {
        acc0[r] = (float8) (0.0f);
        acc1[r] = (float8) (0.0f);
    }
    int cols = min(NR, n - j0);
    if (!directB) {
        __global const float* pb = b + (long) jb * k * NR;
        for (int p = 0; p < k; p++) {
            float8 b0 = vload8(0, pb);
            float8 b1 = vload8(1, pb);
            MICRO_STEP(pa, b0, b1)
            pb += NR;
            pa += MR;
        }
    } else if (cols == NR) {
        __global const float* pb = b + j0;
        for (int p = 0; p < k; p++) {
            float8 b0 = vload8(0, pb);
            float8 b1 = vload8(1, pb);
            MICRO_STEP(pa, b0, b1)
            pb += ldb;
            pa += MR;
        }
    } else {
        __global const float* pb = b + j0;
        for (int p = 0; p < k; p++) {
            float t[NR];
            for (int j = 0; j < NR; j++) {
                t[j] = j < cols ? pb[j] : 0.0f;
            }
            float8 b0 = vload8(0, t);
            float8 b1 = vload8(1, t);
            MICRO_STEP(pa, b0, b1)
            pb += ldb;
            pa += MR;
        }
    }
#pragma unroll
    for (int r = 0; r < MR; r++) {
        int i = ib * MR + r;
        if (i < m) {
            __global float* cr = c + (long) i * n + j0;
            if (cols == NR) {
                float8 v0 = acc0[r];
                float8 v1 = acc1[r];
                if (beta != 0.0f) {
                    v0 = fma((float8) (beta), vload8(0, cr), v0);
                    v1 = fma((float8) (beta), vload8(1, cr), v1);
                }
                if (hasBias) {
                    v0 += vload8(0, bias + j0);
                    v1 += vload8(1, bias + j0);
                }
                vstore8(neu_activate8(act, actAlpha, v0), 0, cr);
                vstore8(neu_activate8(act, actAlpha, v1), 1, cr);
            } else {
                float t[NR];
                vstore8(acc0[r], 0, t);
                vstore8(acc1[r], 1, t);
                for (int j = 0; j < cols; j++) {
                    cr[j] = epilogue(t[j], beta, cr + j, bias, hasBias, j0 + j, act, actAlpha);
                }
            }
        }
    }
}

#endif  /* NEURITE_CUDA */

#ifndef TSM
#define TSM 64
#endif
#ifndef TSN
#define TSN 64
#endif
#ifndef TSK
#define TSK 16
#endif
#ifndef WPTM
#define WPTM 4
#endif
#ifndef WPTN
#define WPTN 4
#endif
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)

/* Tiled GEMM for GPUs; global (ceil(n / TSN) * RTSN, ceil(m / TSM) * RTSM), local (RTSN, RTSM). */
__kernel void REQD_WG(RTSN, RTSM)
gemm_tiled(int m, int n, int k, float alpha, __global const float* a, int transA, __global const float* b,
                int transB, float beta, __global float* c, __global const float* bias, int hasBias, int act, float actAlpha) {
    __local float as[TSK][TSM];
    __local float bs[TSK][TSN + 1];
    int lx = get_local_id(0);
    int ly = get_local_id(1);
    int tile_j = get_group_id(0) * TSN;
    int tile_i = get_group_id(1) * TSM;
    int tid = ly * RTSN + lx;
    /* float4 staging needs the contiguous dimension (and so every row start) to be a multiple of 4. */
    int vecA = transA ? (m % 4 == 0) : (k % 4 == 0);
    int vecB = transB ? (k % 4 == 0) : (n % 4 == 0);
    float acc[WPTM][WPTN];
    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        #pragma unroll
        for (int wn = 0; wn < WPTN; wn++) {
            acc[wm][wn] = 0.0f;
        }
    }
    for (int p0 = 0; p0 < k; p0 += TSK) {
        /*
         * Stage the tiles. Where the operand's contiguous dimension is a multiple of 4 (so every 4-element
         * group starting in bounds is wholly in bounds and 16-byte aligned), each item loads float4s;
         * otherwise single floats with bounds checks. Zeros pad the edges.
         */
        if (vecA) {
            for (int l = tid; l < TSK * TSM / 4; l += RTSM * RTSN) {
                if (transA) {        /* A stored [k, m]: 4 consecutive i */
                    int p = l / (TSM / 4);
                    int i = (l % (TSM / 4)) * 4;
                    int gi = tile_i + i;
                    int gp = p0 + p;
                    float4 v = ZERO4;
                    if (gi < m && gp < k) {
                        v = vload4(0, a + (long) gp * m + gi);
                    }
                    as[p][i] = v.x;
                    as[p][i + 1] = v.y;
                    as[p][i + 2] = v.z;
                    as[p][i + 3] = v.w;
                } else {             /* A stored [m, k]: 4 consecutive p */
                    int i = l / (TSK / 4);
                    int p = (l % (TSK / 4)) * 4;
                    int gi = tile_i + i;
                    int gp = p0 + p;
                    float4 v = ZERO4;
                    if (gi < m && gp < k) {
                        v = vload4(0, a + (long) gi * k + gp);
                    }
                    as[p][i] = v.x;
                    as[p + 1][i] = v.y;
                    as[p + 2][i] = v.z;
                    as[p + 3][i] = v.w;
                }
            }
        } else {
            for (int l = tid; l < TSK * TSM; l += RTSM * RTSN) {
                int i, p;
                if (transA) {        /* A stored [k, m]: consecutive items read consecutive i */
                    p = l / TSM;
                    i = l % TSM;
                } else {             /* A stored [m, k]: consecutive items read consecutive p */
                    i = l / TSK;
                    p = l % TSK;
                }
                int gi = tile_i + i;
                int gp = p0 + p;
                float v = 0.0f;
                if (gi < m && gp < k) {
                    v = transA ? a[(long) gp * m + gi] : a[(long) gi * k + gp];
                }
                as[p][i] = v;
            }
        }
        if (vecB) {
            for (int l = tid; l < TSK * TSN / 4; l += RTSM * RTSN) {
                if (transB) {        /* B stored [n, k]: 4 consecutive p */
                    int j = l / (TSK / 4);
                    int p = (l % (TSK / 4)) * 4;
                    int gj = tile_j + j;
                    int gp = p0 + p;
                    float4 v = ZERO4;
                    if (gj < n && gp < k) {
                        v = vload4(0, b + (long) gj * k + gp);
                    }
                    bs[p][j] = v.x;
                    bs[p + 1][j] = v.y;
                    bs[p + 2][j] = v.z;
                    bs[p + 3][j] = v.w;
                } else {             /* B stored [k, n]: 4 consecutive j */
                    int p = l / (TSN / 4);
                    int j = (l % (TSN / 4)) * 4;
                    int gj = tile_j + j;
                    int gp = p0 + p;
                    float4 v = ZERO4;
                    if (gj < n && gp < k) {
                        v = vload4(0, b + (long) gp * n + gj);
                    }
                    bs[p][j] = v.x;
                    bs[p][j + 1] = v.y;
                    bs[p][j + 2] = v.z;
                    bs[p][j + 3] = v.w;
                }
            }
        } else {
            for (int l = tid; l < TSK * TSN; l += RTSM * RTSN) {
                int j, p;
                if (transB) {        /* B stored [n, k] */
                    j = l / TSK;
                    p = l % TSK;
                } else {             /* B stored [k, n] */
                    p = l / TSN;
                    j = l % TSN;
                }
                int gj = tile_j + j;
                int gp = p0 + p;
                float v = 0.0f;
                if (gj < n && gp < k) {
                    v = transB ? b[(long) gj * k + gp] : b[(long) gp * n + gj];
                }
                bs[p][j] = v;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int p = 0; p < TSK; p++) {
            float breg[WPTN];
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) {
                breg[wn] = bs[p][lx + wn * RTSN];
            }
            #pragma unroll
            for (int wm = 0; wm < WPTM; wm++) {
                float av = as[p][ly + wm * RTSM];
                #pragma unroll
                for (int wn = 0; wn < WPTN; wn++) {
                    acc[wm][wn] = fma(av, breg[wn], acc[wm][wn]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        int i = tile_i + ly + wm * RTSM;
        if (i < m) {
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) {
                int j = tile_j + lx + wn * RTSN;
                if (j < n) {
                    __global float* cij = c + (long) i * n + j;
                    *cij = epilogue(alpha * acc[wm][wn], beta, cij, bias, hasBias, j, act, actAlpha);
                }
            }
        }
    }
}
