package org.neurite.opencl;

import java.util.Locale;
import org.jocl.cl_mem;
import org.neurite.tensor.Activation;

/**
 * Launches GEMM with the kernel and tile parameters chosen for the device (see {@code gemm.cl}): packed
 * panels and an MR x 16 register block per work-item on CPU devices, local-memory tiles on GPUs. The
 * property {@code neurite.opencl.gemm} ({@code packed} or {@code tiled}) overrides the choice, which is
 * how the tests run both kernels on PoCL.
 */
final class ClGemm {
    /** The two kernels of gemm.cl. */
    enum Kind { PACKED, TILED }

    /**
     * Tile parameters: {@code mr} rows per work-item and {@code rowBlocksPerGroup} work-items (row blocks)
     * per work-group for the packed kernel, which reads B unpacked up to {@code directBMaxRows} rows of C;
     * {@code tsm x tsn} tiles, {@code tsk} deep, {@code wptm x wptn} outputs per work-item for the tiled one.
     */
    record Config(Kind kind, int mr, int rowBlocksPerGroup, int directBMaxRows, int tsm, int tsn, int tsk, int wptm,
                  int wptn) {

        /** The table: a CPU device gets the packed kernel; anything else the tiled one, sized to fit. */
        static Config forDevice(ClDevice device) {
            String forced = System.getProperty("neurite.opencl.gemm", "").trim().toLowerCase(Locale.ROOT);
            Kind kind = switch (forced) {
                case "packed" -> Kind.PACKED;
                case "tiled" -> Kind.TILED;
                case "" -> device.type() == ClDevice.Type.CPU ? Kind.PACKED : Kind.TILED;
                default -> throw new IllegalArgumentException("neurite.opencl.gemm must be packed or tiled, got '"
                        + forced + "'");
            };
            if (device.maxWorkGroupSize() >= 256) {
                return new Config(kind, 4, 16, 128, 64, 64, 16, 4, 4);
            }
            // Small work-groups (some embedded GPUs): 8 x 8 items of 4 x 4 outputs.
            return new Config(kind, 4, 8, 128, 32, 32, 16, 4, 4);
        }

        /** The fields, space-separated: how a tuned choice is stored. */
        String serialize() {
            return kind + " " + mr + " " + rowBlocksPerGroup + " " + directBMaxRows + " " + tsm + " " + tsn + " " + tsk
                    + " " + wptm + " " + wptn;
        }

        static Config parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 9) {
                throw new IllegalArgumentException("not a GEMM configuration: '" + line + "'");
            }
            int[] v = new int[8];
            for (int i = 0; i < 8; i++) {
                v[i] = Integer.parseInt(f[i + 1]);
            }
            return new Config(Kind.valueOf(f[0]), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }

        String buildOptions() {
            return "-DMR=" + mr + " -DTSM=" + tsm + " -DTSN=" + tsn + " -DTSK=" + tsk + " -DWPTM=" + wptm
                    + " -DWPTN=" + wptn;
        }

        @Override
        public String toString() {
            return kind == Kind.PACKED
                    ? "packed, " + mr + "x16 per work-item, " + rowBlocksPerGroup + " row blocks per work-group"
                    : "tiled " + tsm + "x" + tsn + "x" + tsk + ", " + wptm + "x" + wptn + " per work-item";
        }
    }

    private static final int NR = 16;

    private final OpenClBackend backend;
    private final Config config;

    ClGemm(OpenClBackend backend, Config config) {
        this.backend = backend;
        this.config = config;
    }

    /** C = f(alpha op(A) op(B) + beta C + bias); arguments already checked. */
    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, cl_mem a, cl_mem b, float beta,
             cl_mem c, cl_mem bias, Activation f) {
        int act = f.kind().ordinal();
        int hasBias = bias == null ? 0 : 1;
        cl_mem biasArg = bias == null ? c : bias;
        if (config.kind == Kind.TILED) {
            long[] local = {config.tsn / config.wptn, config.tsm / config.wptm};
            long[] global = {(long) ceilDiv(n, config.tsn) * local[0], (long) ceilDiv(m, config.tsm) * local[1]};
            backend.launch(backend.kernel("gemm", "gemm_tiled"), global, local, m, n, k, alpha, a, transA ? 1 : 0,
                    b, transB ? 1 : 0, beta, c, biasArg, hasBias, act, f.alpha());
            return;
        }
        int mr = config.mr;
        int rowBlocks = ceilDiv(m, mr);
        int colBlocks = ceilDiv(n, NR);
        // Packing B pays when many row blocks reuse each panel; with few rows, read B where it is.
        boolean directB = !transB && m <= config.directBMaxRows;
        long aBytes = 4L * rowBlocks * mr * Math.max(k, 1);
        long bBytes = directB ? 0 : 4L * colBlocks * NR * Math.max(k, 1);
        cl_mem ap = backend.scratch(aBytes);
        cl_mem bp = directB ? null : backend.scratch(bBytes);
        try {
            // Fixed work-group sizes: PoCL compiles a kernel once per work-group size it meets.
            backend.launch(backend.kernel("gemm", "pack_a"), new long[] {k, rowBlocks}, new long[] {16, 1},
                    a, m, k, transA ? 1 : 0, alpha, ap);
            if (!directB) {
                backend.launch(backend.kernel("gemm", "pack_b"), new long[] {colBlocks, k}, new long[] {1, 16},
                        b, n, k, transB ? 1 : 0, bp);
            }
            backend.launch(backend.kernel("gemm", "gemm_packed"), new long[] {rowBlocks, colBlocks},
                    new long[] {config.rowBlocksPerGroup, 1}, m, n, k, ap, directB ? b : bp, n, directB ? 1 : 0, beta, c, biasArg,
                    hasBias, act, f.alpha());
        } finally {
            // In-order queue: a later command that reuses these buffers runs after this GEMM.
            backend.releaseScratch(ap, aBytes);
            if (bp != null) {
                backend.releaseScratch(bp, bBytes);
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
