package org.neurite.cpu;

import java.util.Arrays;
import org.neurite.tensor.Activation;

/**
 * Cache-blocked GEMM in the BLIS style, {@code C = f(alpha op(A) op(B) + beta C + bias)}, all row-major.
 *
 * <p>Loops, outermost first: column panels of {@code nc} (B panel packed for L3), depth slices of
 * {@code kc}, row blocks of {@code mc} rows (A block packed for L2), then {@code nr}-wide slivers of B
 * (L1) against {@code mr}-tall slivers of A in the {@link MicroKernel}'s registers. Packing copies the
 * operands into the order the micro-kernel reads them, which also takes care of the transposes, folds
 * in alpha, pads edges with zeros, and avoids the cache-set conflicts of power-of-two leading dimensions.
 *
 * <p>Threads split C into disjoint column ranges (or row ranges when C is tall), each computed start to
 * finish by one thread with its own packing buffers: no barriers, and a deterministic result. A short, deep
 * product ({@code m * threads <= k} and {@code n <= k}: a layer's forward pass on a batch, {@code x W}) splits the
 * depth instead: each thread multiplies its rows of B (the weights) into its own partial C, summed in part order
 * at the end. Then a weight's rows stay in the cache of the core that the weight gradient's row split gives them
 * to ({@code x^T dz}, tall, splits the same rows on the same bounds), so that training does not move them between
 * cores twice a step, as a column split of the forward product did (measured with {@code benchmarks/cpu-ab.sh} on
 * the README's MLP, 2 threads, AVX-512: the whole fit step 0.85x, the forward 32 x 784 x 300 product 0.89x; see
 * {@link #splitsDepth}).
 */
final class Gemm {
    /** The block sizes for this micro-kernel (see {@link Blocking}). */
    private final int kcMax;
    private final int ncMax;
    /**
     * Below this many multiply-adds one thread does it all: handing work to a helper costs more (property
     * {@code neurite.cpu.gemmParallel}). Since {@link Parallel}'s workers spin between tasks, a hand-off
     * costs a few microseconds, and the MLP's 32 x 300 x 100 products (about 1M) gain 20-35% from a
     * second thread (measured A/B in one JVM on the 2-vCPU VM; the whole training step 4%).
     */
    private static final long PARALLEL_THRESHOLD = Long.getLong("neurite.cpu.gemmParallel", 1L << 18);
    /**
     * A B sliver shared by at most this many row blocks is read in place where the kernel can
     * ({@link MicroKernel#readsBInPlace}): the MLP's forward products on a batch of 32 (four blocks of 8) gained 10-20%
     * and 8%, a batch of 64 nothing measurable, 128 nothing (AVX-512, JDK 25, one and two threads).
     */
    private static final int IN_PLACE_ROW_BLOCKS = 4;

    private final MicroKernel micro;
    private final ElementOps ops;
    private final Parallel parallel;
    private final int mr;
    private final int nr;
    private final int mc;
    private final ThreadLocal<float[][]> buffers;
    private final ThreadLocal<int[]> gatherColumns;
    /** Per thread: the partial C of a depth-split product (grown on demand). */
    private final ThreadLocal<float[]> partials = ThreadLocal.withInitial(() -> new float[0]);

    Gemm(MicroKernel micro, ElementOps ops, Parallel parallel) {
        this.micro = micro;
        this.ops = ops;
        this.parallel = parallel;
        this.mr = micro.mr();
        this.nr = micro.nr();
        Blocking blocking = Blocking.forKernel(mr, nr);
        this.kcMax = blocking.kc();
        this.ncMax = blocking.nc();
        this.mc = blocking.mc();
        this.buffers = ThreadLocal.withInitial(() -> new float[][] {
            new float[mc * kcMax], new float[kcMax * ncMax], new float[mr * nr], new float[kcMax * nr]});
        this.gatherColumns = ThreadLocal.withInitial(() -> new int[nr + 1]);
    }

    /** The micro-kernel in use. */
    MicroKernel microKernel() {
        return micro;
    }

    void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                  float beta, float[] c, float[] bias, Activation f) {
        Job job = new Job(transA, transB, m, n, k, 0, k, alpha, a, b, beta, c, bias, f);
        long work = (long) m * n * Math.max(k, 1);
        if (parallel.threads() == 1 || work < PARALLEL_THRESHOLD) {
            block(job, 0, m, 0, n);
        } else if (splitsDepth(m, n, k)) {
            multiplySplittingDepth(job);
        } else if (n >= m) {
            parallel.forRange(n, nr, nr, (j0, j1) -> block(job, 0, m, j0, j1));
        } else {
            parallel.forRange(m, mr, mr, (i0, i1) -> block(job, i0, i1, 0, n));
        }
    }

    /**
     * Whether a multi-threaded product splits its depth {@code k} rather than C: when C is short ({@code m} at most
     * {@code k / threads} and one A block, {@code mc}), no wider than the depth, and small (at most 2^18 values, the
     * size of each helper's partial C). Such products are a dense layer's forward pass, {@code x W} with a batch of
     * rows: a column split would have each core read every row of W, including the rows that the weight gradient
     * (and the step applied with it) keeps in the other core's cache. The partial sums cost one extra pass over C
     * per helper, small next to B when {@code m * threads <= k}.
     */
    boolean splitsDepth(int m, int n, int k) {
        int threads = parallel.parts(k, mr);
        return threads > 1 && (long) m * threads <= k && n <= k && m <= mc && (long) m * n <= 1 << 18;
    }

    /**
     * Depth split over the threads on {@code mr}-aligned bounds, the same bounds on which {@code x^T dz}'s rows split:
     * part 0 accumulates into C with beta, the others into per-thread partials, added to C in part order (so
     * the sum is the same every run), then bias and activation.
     */
    private void multiplySplittingDepth(Job job) {
        int m = job.m;
        int n = job.n;
        float[][] parts = new float[parallel.parts(job.k, mr)][];
        parallel.forParts(job.k, mr, mr, (part, k0, k1) -> {
            float[] dst = job.c;
            float beta = job.beta;
            if (part > 0) {
                dst = partials.get();
                if (dst.length < m * n) {
                    dst = new float[m * n];
                    partials.set(dst);
                }
                parts[part] = dst;
                beta = 0f;
            }
            block(new Job(job.transA, job.transB, m, n, job.k, k0, k1, job.alpha, job.a, job.b, beta, dst, null,
                    Activation.identity()), 0, m, 0, n);
        });
        boolean epilogue = job.bias != null || job.f.kind() != Activation.Kind.IDENTITY;
        for (int i = 0; i < m; i++) {
            for (int p = 1; p < parts.length; p++) {
                if (parts[p] != null) {
                    ops.axpy(1f, parts[p], i * n, job.c, i * n, n);
                }
            }
            if (epilogue) {
                ops.biasActivate(job.c, i * n, job.bias, 0, n, job.f);
            }
        }
    }

    /** The operands of one call; the depth range {@code [k0, k1)} of {@code k} that it multiplies over. */
    private record Job(boolean transA, boolean transB, int m, int n, int k, int k0, int k1, float alpha, float[] a,
                       float[] b, float beta, float[] c, float[] bias, Activation f) {
    }

    /** Rows [i0, i1) and columns [j0, j1) of C, from start to finish. */
    private void block(Job job, int i0, int i1, int j0, int j1) {
        float[] c = job.c;
        int ldc = job.n;
        if (job.alpha == 0f || job.k0 == job.k1) {
            scaleC(job, i0, i1, j0, j1);
        } else {
            float[][] buf = buffers.get();
            float[] aPack = buf[0];
            float[] bPack = buf[1];
            float[] tile = buf[2];
            float[] sliver = buf[3];
            // A block of at most mc rows uses each B sliver once per micro-tile row anyway, so packing all of B
            // (as large as B itself) would cost as much as the product (measured for the MLP's
            // [32 x 784] x [784 x 300]: 610 us packed). Instead each sliver is packed just before the row
            // blocks that share it, into an L1-sized buffer, so they do not each stride through B; or, where only
            // a few share it, read in place (below).
            boolean directB = !job.transB && i1 - i0 <= mc;
            int half = micro.halfWidth();
            int ldb = job.n;
            int kcStep = kcStep(job.k1 - job.k0);
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                for (int pc = job.k0; pc < job.k1; pc += kcStep) {
                    int kc = Math.min(kcStep, job.k1 - pc);
                    if (directB) {
                        packEdgeOfB(job, pc, kc, jc, nc, bPack);
                    } else {
                        packB(job, pc, kc, jc, nc, bPack);
                    }
                    // The first depth slice applies beta; later ones accumulate.
                    float beta = pc == job.k0 ? job.beta : 1f;
                    for (int ic = i0; ic < i1; ic += mc) {
                        int mcc = Math.min(mc, i1 - ic);
                        packA(job, ic, mcc, pc, kc, aPack);
                        // Few row blocks share each sliver: the full ones read it in place (runIntoStrided).
                        boolean inPlace = directB && micro.readsBInPlace() && mcc <= IN_PLACE_ROW_BLOCKS * mr;
                        for (int jr = 0; jr < nc; jr += nr) {
                            int nrr = Math.min(nr, nc - jr);
                            int bIn = pc * ldb + jc + jr;   // where the sliver lies in B
                            boolean sliverPacked = false;
                            for (int ir = 0; ir < mcc; ir += mr) {
                                int mrr = Math.min(mr, mcc - ir);
                                int ao = ir * kc;
                                int co = (ic + ir) * ldc + jc + jr;
                                boolean full = mrr == mr && nrr == nr;
                                if (full && inPlace) {
                                    micro.runIntoStrided(kc, aPack, ao, job.b, bIn, ldb, beta, c, co, ldc, tile);
                                    continue;
                                }
                                float[] bs = bPack;
                                int bso = jr * kc;
                                if (directB && nrr == nr) {
                                    if (!sliverPacked) {   // once for all the row blocks that share it
                                        micro.packSliver(kc, job.b, bIn, ldb, sliver);
                                        sliverPacked = true;
                                    }
                                    bs = sliver;
                                    bso = 0;
                                }
                                if (full) {
                                    micro.runInto(kc, aPack, ao, bs, bso, beta, c, co, ldc, tile);
                                } else {
                                    if (nrr <= half) {
                                        micro.runHalf(kc, aPack, ao, bs, bso, tile);
                                    } else {
                                        micro.run(kc, aPack, ao, bs, bso, tile);
                                    }
                                    micro.storeTile(tile, beta, c, co, ldc, mrr, nrr);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (job.bias != null || job.f.kind() != Activation.Kind.IDENTITY) {
            for (int i = i0; i < i1; i++) {
                ops.biasActivate(c, i * ldc + j0, job.bias, j0, j1 - j0, job.f);
            }
        }
    }

    /**
     * The depth of each slice: k in as few slices as {@code kcMax} allows, of equal depth (rounded up to a multiple
     * of 8), so that no slice is a short remainder whose C update costs as much as its arithmetic (k = 784 in
     * slices of 196 rather than 256, 256, 256 and 16).
     */
    private int kcStep(int k) {
        int slices = (k + kcMax - 1) / kcMax;
        return Math.min(kcMax, ((k + slices - 1) / slices + 7) / 8 * 8);
    }

    /** C = beta C on the block, for calls without a product (k = 0 or alpha = 0). */
    private void scaleC(Job job, int i0, int i1, int j0, int j1) {
        float[] c = job.c;
        int ldc = job.n;
        for (int i = i0; i < i1; i++) {
            if (job.beta == 0f) {
                Arrays.fill(c, i * ldc + j0, i * ldc + j1, 0f);
            } else if (job.beta != 1f) {
                ops.scale(job.beta, c, i * ldc + j0, i * ldc + j1);
            }
        }
    }

    /** op(A)[ic .. ic+mcc, pc .. pc+kc] times alpha, as mr-tall slivers: p-major, rows within. */
    private void packA(Job job, int ic, int mcc, int pc, int kc, float[] dst) {
        float[] a = job.a;
        float alpha = job.alpha;
        int lda = job.transA ? job.m : job.k;
        for (int ir = 0; ir < mcc; ir += mr) {
            int rows = Math.min(mr, mcc - ir);
            int base = ir * kc;
            if (job.transA) {
                // A sliver of op(A) = A^T: for each p, its mr values are adjacent in A's row pc + p.
                int src = pc * lda + ic + ir;
                if (rows == mr) {
                    micro.packAT(a, src, lda, kc, alpha, dst, base);
                } else {
                    for (int p = 0, d = base; p < kc; p++, src += lda, d += mr) {
                        for (int i = 0; i < rows; i++) {
                            dst[d + i] = alpha * a[src + i];
                        }
                        for (int i = rows; i < mr; i++) {
                            dst[d + i] = 0f;
                        }
                    }
                }
            } else if (rows == mr) {
                micro.packA(a, (ic + ir) * lda + pc, lda, kc, alpha, dst, base);
            } else {
                for (int i = 0; i < rows; i++) {
                    int src = (ic + ir + i) * lda + pc;
                    for (int p = 0, d = base + i; p < kc; p++, d += mr) {
                        dst[d] = alpha * a[src + p];
                    }
                }
                for (int i = rows; i < mr; i++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + i] = 0f;
                    }
                }
            }
        }
    }

    /** Packs only the last, partial sliver of B (reading past B's last column would leave the array). */
    private void packEdgeOfB(Job job, int pc, int kc, int jc, int nc, float[] dst) {
        int edge = nc / nr * nr;
        if (edge < nc) {
            int base = edge * kc;
            int cols = nc - edge;
            for (int p = 0; p < kc; p++) {
                int d = base + p * nr;
                System.arraycopy(job.b, (pc + p) * job.n + jc + edge, dst, d, cols);
                Arrays.fill(dst, d + cols, d + nr, 0f);
            }
        }
    }

    /**
     * The gather offsets of one B^T sliver row, {@code j * ldb} for {@code j < nr}: this thread's array, rebuilt only
     * when the row stride changes (its last slot holds the stride it was built for).
     */
    private int[] columns(int ldb) {
        int[] columns = gatherColumns.get();
        if (columns[nr] != ldb) {
            for (int j = 0; j < nr; j++) {
                columns[j] = j * ldb;
            }
            columns[nr] = ldb;
        }
        return columns;
    }

    /** op(B)[pc .. pc+kc, jc .. jc+nc] as nr-wide slivers: p-major, columns within. */
    private void packB(Job job, int pc, int kc, int jc, int nc, float[] dst) {
        float[] b = job.b;
        int ldb = job.transB ? job.k : job.n;
        int[] columns = job.transB ? columns(ldb) : null;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            if (job.transB && cols == nr) {
                micro.packBT(b, (jc + jr) * ldb + pc, ldb, kc, dst, base, columns);
            } else if (job.transB) {
                for (int j = 0; j < cols; j++) {
                    int src = (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * nr + j] = b[src + p];
                    }
                }
                if (cols < nr) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(dst, base + p * nr + cols, base + (p + 1) * nr, 0f);
                    }
                }
            } else if (cols == nr) {
                int slivers = (nc - jr) / nr;
                micro.packB(b, pc * ldb + jc + jr, ldb, kc, slivers, dst, base);
                jr += (slivers - 1) * nr;
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, (pc + p) * ldb + jc + jr, dst, d, cols);
                    if (cols < nr) {
                        Arrays.fill(dst, d + cols, d + nr, 0f);
                    }
                }
            }
        }
    }
}
