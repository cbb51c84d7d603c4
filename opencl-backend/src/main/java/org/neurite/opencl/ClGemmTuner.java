package org.neurite.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurite.io.AtomicFiles;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A short autotuning pass for GEMM: times each candidate configuration of the device's kind on a square
 * product and keeps the fastest, cached on disk next to the program binaries (keyed by platform, device,
 * driver and the candidate list), so that it runs once per device. The table in {@link ClGemm.Config} is
 * a guess for GPUs we have not measured; this replaces the guess with a measurement.
 *
 * <p>Runs when {@code -Dneurite.opencl.tune=true}, or by default on GPUs and accelerators
 * ({@code -Dneurite.opencl.tune=false} turns it off). A forced kernel ({@code neurite.opencl.gemm}) skips it.
 */
final class ClGemmTuner {
    private static final System.Logger LOG = System.getLogger("org.neurite.opencl");
    /** The size timed: large enough to be compute-bound on a small GPU, quick on a CPU. */
    static final int N = 512;

    private ClGemmTuner() {
    }

    /** Whether tuning applies to {@code device} under the current properties. */
    static boolean enabled(ClDevice device) {
        String p = System.getProperty("neurite.opencl.tune", "").trim().toLowerCase(Locale.ROOT);
        if (p.equals("true")) {
            return true;
        }
        if (p.equals("false")) {
            return false;
        }
        return device.type() != ClDevice.Type.CPU;
    }

    /** The configurations worth trying on {@code device}: the table's, then variants within its limits. */
    static List<ClGemm.Config> candidates(ClDevice device, ClGemm.Config table) {
        List<ClGemm.Config> out = new ArrayList<>();
        out.add(table);
        long max = device.maxWorkGroupSize();
        int[][] tiled = {{64, 64, 16, 4, 4}, {128, 128, 8, 8, 8}, {64, 64, 8, 4, 4}, {32, 32, 16, 4, 4},
            {64, 64, 16, 8, 8}};
        for (int[] t : tiled) {
            if ((long) (t[0] / t[3]) * (t[1] / t[4]) <= max) {
                add(out, new ClGemm.Config(ClGemm.Kind.TILED, 4, 16, 128, t[0], t[1], t[2], t[3], t[4]));
            }
        }
        for (int groups : new int[] {8, 16, 32}) {
            if (groups <= max) {
                add(out, new ClGemm.Config(ClGemm.Kind.PACKED, 4, groups, 128, 64, 64, 16, 4, 4));
            }
        }
        return out;
    }

    private static void add(List<ClGemm.Config> list, ClGemm.Config c) {
        if (!list.contains(c)) {
            list.add(c);
        }
    }

    /**
     * The tuned configuration for {@code device}: from the cache file when present, else measured now
     * (and stored when the cache directory is writable).
     */
    static ClGemm.Config tuned(ClDevice device, ClGemm.Config table, ClProgramCache cache) {
        List<ClGemm.Config> candidates = candidates(device, table);
        StringBuilder list = new StringBuilder();
        candidates.forEach(c -> list.append(c.serialize()).append(';'));
        Path file = cache.directory() == null ? null
                : cache.directory().resolve("gemm-tuned-" + ClProgramCache.key(device, "gemm-tuner " + N, list.toString())
                        + ".txt");
        if (file != null && Files.isRegularFile(file)) {
            try {
                return ClGemm.Config.parse(Files.readString(file).lines().findFirst().orElse(""));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "opencl: ignoring unreadable tuning file " + file + ": " + e);
            }
        }
        ClGemm.Config best = table;
        double bestMs = Double.MAX_VALUE;
        StringBuilder report = new StringBuilder();
        for (ClGemm.Config c : candidates) {
            double ms;
            try {
                ms = time(device, c, cache);
            } catch (RuntimeException e) {
                report.append("\n  ").append(c).append(": failed (").append(e.getMessage()).append(')');
                continue;
            }
            report.append(String.format(Locale.ROOT, "%n  %s: %.3f ms", c, ms));
            if (ms < bestMs) {
                bestMs = ms;
                best = c;
            }
        }
        LOG.log(System.Logger.Level.INFO, "opencl: tuned GEMM on " + device.name() + " at n = " + N + ", chose " + best
                + report);
        if (file != null) {
            try {
                AtomicFiles.write(file, (best.serialize() + "\n# " + String.format(Locale.ROOT, "%.3f ms at n = %d",
                        bestMs, N) + report.toString().replace("\n", "\n#") + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "opencl: not caching the GEMM tuning in " + file + ": " + e);
            }
        }
        return best;
    }

    /** The best of five timed N x N products after two warm-up ones, in milliseconds. */
    static double time(ClDevice device, ClGemm.Config config, ClProgramCache cache) {
        try (OpenClBackend b = new OpenClBackend(device, config, cache);
             Tensor x = b.zeros(Shape.of(N, N)); Tensor y = b.zeros(Shape.of(N, N))) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 7; i++) {
                long t0 = System.nanoTime();
                b.kernels().gemm(false, false, 1f, x, x, 0f, y);
                b.synchronize();
                if (i >= 2) {
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                }
            }
            return best;
        }
    }
}
