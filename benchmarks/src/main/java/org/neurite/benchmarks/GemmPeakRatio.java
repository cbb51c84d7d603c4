package org.neurite.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;

/**
 * Neurite's CPU sgemm as a fraction of the machine's FMA peak, both measured in alternation in one process: a
 * slice of {@link FmaPeakBenchmark}'s FMA chains (on as many threads as the GEMM uses), then a slice of each GEMM,
 * round after round. On a shared VM whose speed swings with its neighbours (this project's 2-vCPU machines: peak 140
 * or 178 GFLOP/s on one core depending on the moment) a GEMM timed minutes after the peak can read anywhere from 50%
 * to 80% of it; paired slices cannot. Only the rounds whose peak came within 5% of the best peak count ("quiet"
 * rounds), the first quarter (JIT warm-up) never does. Prints, per product, the median GFLOP/s of the quiet rounds,
 * the median of their ratios to the peak of the same round, and the best round.
 *
 * <p>This complements JMH ({@code benchmarks/gemm.sh}, peers in the same run); it asserts nothing and belongs in no
 * test. Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * org.neurite.benchmarks.GemmPeakRatio [--threads N] [--kernel 8x2] [--rounds R] [SHAPE...]}, a SHAPE being
 * {@code MxNxK}, optionally prefixed {@code TN:}, {@code NT:} or {@code TT:} for transposed operands; by default the
 * squares 1024 and 2048 and the textbook MLP's products at batch 32.
 */
public final class GemmPeakRatio {
    static final String[] DEFAULT_SHAPES = {"1024x1024x1024", "2048x2048x2048", "32x300x784", "TN:784x300x32",
        "NT:32x300x100", "32x100x300", "TN:300x100x32"};

    private GemmPeakRatio() {
    }

    /** One product, C[m x n] = op(A) op(B) with inner dimension k. */
    record Shape(boolean transA, boolean transB, int m, int n, int k) {
        static Shape parse(String s) {
            boolean ta = false;
            boolean tb = false;
            String dims = s;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                String t = s.substring(0, colon).toUpperCase(Locale.ROOT);
                if (!t.matches("[TN][TN]")) {
                    throw new IllegalArgumentException("GemmPeakRatio: '" + s + "': expected NN:, TN:, NT: or TT:");
                }
                ta = t.charAt(0) == 'T';
                tb = t.charAt(1) == 'T';
                dims = s.substring(colon + 1);
            }
            String[] p = dims.split("x");
            if (p.length != 3) {
                throw new IllegalArgumentException("GemmPeakRatio: '" + s + "': expected MxNxK, e.g. 1024x1024x1024");
            }
            return new Shape(ta, tb, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }

        double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return (transA || transB ? (transA ? "T" : "N") + (transB ? "T" : "N") + ":" : "") + m + "x" + n + "x" + k;
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = 1;
        int rounds = 40;
        String kernel = null;
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--kernel" -> kernel = args[++i];
                default -> shapes.add(Shape.parse(args[i]));
            }
        }
        if (shapes.isEmpty()) {
            Arrays.stream(DEFAULT_SHAPES).map(Shape::parse).forEach(shapes::add);
        }
        String spec = "cpu:threads=" + threads + (kernel == null ? "" : ":kernel=" + kernel);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Backend backend = Backends.create(spec)) {
            System.out.printf(Locale.ROOT, "%s; %s; %d rounds%n", backend.device(), Runtime.version(), rounds);
            run(backend, pool, threads, rounds, shapes);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(Backend backend, ExecutorService pool, int threads, int rounds, List<Shape> shapes)
            throws InterruptedException, ExecutionException {
        SplittableRandom r = new SplittableRandom(7);
        Tensor[][] t = new Tensor[shapes.size()][];
        int[] reps = new int[shapes.size()];
        for (int s = 0; s < shapes.size(); s++) {
            Shape sh = shapes.get(s);
            t[s] = new Tensor[] {
                backend.tensor(random(r, sh.m * sh.k), sh.transA ? sh.k : sh.m, sh.transA ? sh.m : sh.k),
                backend.tensor(random(r, sh.k * sh.n), sh.transB ? sh.n : sh.k, sh.transB ? sh.k : sh.n),
                backend.zeros(org.neurite.tensor.Shape.of(sh.m, sh.n))};
            reps[s] = (int) Math.max(1, Math.min(10_000, 2e9 * threads / sh.flops()));   // about 20 ms
        }
        double[] peaks = new double[rounds];
        double[][] gflops = new double[shapes.size()][rounds];
        float sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            List<Future<Float>> parts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                parts.add(pool.submit(() -> {
                    float s = 0;
                    for (int j = 0; j < 40; j++) {
                        s += FmaPeakBenchmark.chains(1.0000001f, 0.9999999f);
                    }
                    return s;
                }));
            }
            for (Future<Float> f : parts) {
                sink += f.get();
            }
            peaks[round] = 40.0 * threads * FmaPeakBenchmark.FLOPS / (System.nanoTime() - t0);
            for (int s = 0; s < shapes.size(); s++) {
                Shape sh = shapes.get(s);
                long g0 = System.nanoTime();
                for (int q = 0; q < reps[s]; q++) {
                    backend.kernels().gemm(sh.transA, sh.transB, 1f, t[s][0], t[s][1], 0f, t[s][2]);
                }
                gflops[s][round] = sh.flops() * reps[s] / (System.nanoTime() - g0);
                sink += t[s][2].toFloatArray()[0];
            }
        }
        double best = 0;
        for (int round = rounds / 4; round < rounds; round++) {
            best = Math.max(best, peaks[round]);
        }
        List<Integer> quiet = new ArrayList<>();
        for (int round = rounds / 4; round < rounds; round++) {
            if (peaks[round] >= 0.95 * best) {
                quiet.add(round);
            }
        }
        System.out.printf(Locale.ROOT, "FMA peak on %d thread%s: best %.1f GFLOP/s; %d quiet rounds of %d%n", threads,
                threads == 1 ? "" : "s", best, quiet.size(), rounds - rounds / 4);
        System.out.println("| product | GFLOP/s (median, quiet rounds) | of the same round's peak (median) | best round |");
        System.out.println("|---|---:|---:|---:|");
        for (int s = 0; s < shapes.size(); s++) {
            double[] g = new double[quiet.size()];
            double[] ratio = new double[quiet.size()];
            for (int i = 0; i < quiet.size(); i++) {
                g[i] = gflops[s][quiet.get(i)];
                ratio[i] = g[i] / peaks[quiet.get(i)];
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f%% | %.1f |%n", shapes.get(s), median(g),
                    100 * median(ratio), Arrays.stream(g).max().orElse(Double.NaN));
        }
        if (sink == 42f) {
            System.out.println();   // keeps the results alive
        }
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }
}
