package org.neurite.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Two builds of the CPU backend in one JVM, measured in alternation: for judging a CPU kernel change on a
 * machine whose speed drifts. On this project's 2-vCPU VM the same code runs at 35 or 70 GFLOP/s depending on
 * the moment, so two JMH runs minutes apart cannot tell a 10% change from noise; slices of 40-150 ms taken in
 * turn, in alternating order, can. Each build is loaded by its own class loader (child-first for
 * {@code org.neurite.cpu}), so each gets its own JIT-compiled code; core is shared.
 *
 * <p>Measures the textbook MLP's GEMMs (batch 32), a 512^3 GEMM and a whole {@code fit} step. Prints, per case,
 * the mean time of each build and the geometric mean of the per-round ratios candidate / baseline with its
 * spread. Calibrate first by comparing a build with itself: on the VM above that read 0.91 to 1.13 per case,
 * some consistently off by about 9% with a small spread (each copy gets its own JIT-compiled code, not
 * necessarily equally good), so trust only effects beyond about 10% that survive a rerun.
 *
 * <p>{@code benchmarks/cpu-ab.sh REV} builds both jars and runs this; or directly:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar org.neurite.benchmarks.CpuAb BASE.jar CAND.jar
 * [--threads N] [--rounds R]}.
 */
public final class CpuAb {
    /** transA, transB, m, k, n: the MLP's products at batch 32 (forward, weight and input gradients), and 512^3. */
    static final int[][] SHAPES = {
        {0, 0, 32, 784, 300}, {1, 0, 784, 32, 300}, {0, 0, 32, 300, 100}, {1, 0, 300, 32, 100},
        {0, 1, 32, 100, 300}, {0, 0, 32, 100, 10}, {1, 0, 100, 32, 10}, {0, 1, 32, 10, 100}, {0, 0, 512, 512, 512}};
    static final String[] NAMES = {"F1 32x784x300", "dW1 (784x32)x300", "F2 32x300x100", "dW2 (300x32)x100",
        "dX2 32x100x(300)", "F3 32x100x10", "dW3 (100x32)x10", "dX3 32x10x(100)", "512^3"};

    private CpuAb() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CpuAb BASELINE.jar CANDIDATE.jar [--threads N] [--rounds R]");
            System.exit(2);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        int rounds = 12;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        run(Path.of(args[0]), Path.of(args[1]), threads, rounds, 1.0, System.out);
        System.exit(0);
    }

    /**
     * Runs the comparison; {@code timeScale} shortens the slices (tests). Returns the ratios, one per case
     * (the GEMMs in {@link #SHAPES} order, then the training step).
     */
    static double[] run(Path baseline, Path candidate, int threads, int rounds, double timeScale, PrintStream out) {
        Backend[] backends = {load(baseline, threads), load(candidate, threads)};
        try {
            List<Case> cases = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < SHAPES.length; i++) {
                cases.add(gemmCase(backends, i, r, SHAPES[i][2] == 512 ? 150 : 40));
            }
            cases.add(stepCase(backends, r));
            double[] sumLog = new double[cases.size()];
            double[] sumLog2 = new double[cases.size()];
            double[][] micros = new double[cases.size()][2];
            int warm = Math.min(2, rounds - 1);
            for (int round = 0; round < rounds; round++) {
                for (int c = 0; c < cases.size(); c++) {
                    double[] us = new double[2];
                    for (int turn = 0; turn < 2; turn++) {
                        int v = round % 2 == 0 ? turn : 1 - turn;   // alternate who goes first
                        us[v] = cases.get(c).time(v, (long) (cases.get(c).sliceMillis * 1e6 * timeScale));
                    }
                    if (round >= warm) {
                        double l = Math.log(us[1] / us[0]);
                        sumLog[c] += l;
                        sumLog2[c] += l * l;
                        micros[c][0] += us[0];
                        micros[c][1] += us[1];
                    }
                }
            }
            int n = rounds - warm;
            double[] ratios = new double[cases.size()];
            out.printf(Locale.ROOT, "CPU A/B, %d thread(s), %d rounds (%d warm-up): baseline %s, candidate %s%n",
                    threads, rounds, warm, baseline.getFileName(), candidate.getFileName());
            out.printf(Locale.ROOT, "%-22s %12s %12s %9s %8s%n", "case", "baseline us", "candidate us", "cand/base", "+-");
            for (int c = 0; c < cases.size(); c++) {
                double mean = sumLog[c] / n;
                double sd = n > 1 ? Math.sqrt(Math.max(0, (sumLog2[c] - n * mean * mean) / (n - 1))) : 0;
                ratios[c] = Math.exp(mean);
                out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %9.3f %8.3f%n", cases.get(c).name, micros[c][0] / n,
                        micros[c][1] / n, ratios[c], ratios[c] * sd / Math.sqrt(n));
            }
            return ratios;
        } finally {
            for (Backend b : backends) {
                b.close();
            }
        }
    }

    /** One measured case: a body per build and the slice length. */
    private abstract static class Case {
        final String name;
        final long sliceMillis;

        Case(String name, long sliceMillis) {
            this.name = name;
            this.sliceMillis = sliceMillis;
        }

        abstract void once(int build);

        /** Mean microseconds per call over one slice of {@code nanos}. */
        double time(int build, long nanos) {
            long start = System.nanoTime();
            long calls = 0;
            do {
                once(build);
                calls++;
            } while (System.nanoTime() - start < nanos);
            return (System.nanoTime() - start) / 1e3 / calls;
        }
    }

    private static Case gemmCase(Backend[] backends, int index, SplittableRandom r, long sliceMillis) {
        int[] sh = SHAPES[index];
        boolean ta = sh[0] == 1;
        boolean tb = sh[1] == 1;
        int m = sh[2];
        int k = sh[3];
        int n = sh[4];
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        Tensor[][] t = new Tensor[2][];
        for (int v = 0; v < 2; v++) {
            Backend be = backends[v];
            t[v] = new Tensor[] {ta ? be.tensor(a, k, m) : be.tensor(a, m, k), tb ? be.tensor(b, n, k) : be.tensor(b, k, n),
                be.zeros(Shape.of(m, n))};
        }
        // A weight gradient (A transposed) is computed as training does with plain SGD: W += -rate x^T dz, C read and
        // written; the other products overwrite C.
        float alpha = ta ? -1e-6f : 1f;
        float beta = ta ? 1f : 0f;
        return new Case(NAMES[index], sliceMillis) {
            @Override
            void once(int v) {
                backends[v].kernels().gemm(ta, tb, alpha, t[v][0], t[v][1], beta, t[v][2]);
            }
        };
    }

    /** A {@code fit} epoch of 50 steps of the MLP on synthetic data (half the pixels zero, as images have). */
    private static Case stepCase(Backend[] backends, SplittableRandom r) {
        int steps = 50;
        int rows = 32 * steps;
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 0f : (float) r.nextDouble();
        }
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(10);
        }
        Sequential[] models = new Sequential[2];
        Tensor[][] data = new Tensor[2][];
        for (int v = 0; v < 2; v++) {
            models[v] = new Sequential(backends[v], 784, 42, new Dense(300, "relu"), new Dense(100, "relu"),
                    new Dense(10, "softmax"));
            models[v].compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
            data[v] = new Tensor[] {backends[v].tensor(x, rows, 784), backends[v].tensor(y, rows)};
        }
        return new Case("fit step (batch 32)", 200) {
            @Override
            void once(int v) {
                models[v].fit(data[v][0], data[v][1], FitOptions.epochs(1).batchSize(32));
            }

            @Override
            double time(int build, long nanos) {
                return super.time(build, nanos) / steps;
            }
        };
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    /** A CPU backend from {@code jar} (or a classes directory), in a class loader of its own. */
    static Backend load(Path jar, int threads) {
        try {
            ClassLoader loader = new ChildFirst(new URL[] {jar.toUri().toURL()}, CpuAb.class.getClassLoader());
            Class<?> type = loader.loadClass("org.neurite.cpu.CpuBackend");
            Object builder = type.getMethod("builder").invoke(null);
            builder.getClass().getMethod("threads", int.class).invoke(builder, threads);
            return (Backend) builder.getClass().getMethod("build").invoke(builder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the CPU backend from " + jar + ": " + e, e);
        }
    }

    /** Loads {@code org.neurite.cpu} from its own URLs first, everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.neurite.cpu.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
