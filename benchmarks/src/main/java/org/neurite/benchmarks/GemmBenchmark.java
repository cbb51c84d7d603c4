package org.neurite.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.neurite.cpu.CpuBackend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square sgemm, {@code C = A B} with n x n float matrices, on the CPU backend beside EJML, OpenBLAS and a
 * naive i-k-j loop, in one run and with the same thread count. JMH reports the time per multiplication;
 * GFLOP/s = 2 n^3 / time ({@code GemmReport} prints that table from JMH's JSON).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar GemmBenchmark -p n=1024 -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    @Param({"256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    /** Neurite's micro-kernel shape: "default" (chosen from the register file), or 4x2, 6x2, 8x2, 12x2 to compare them. */
    @Param({"default"})
    public String kernel = "default";

    private CpuBackend cpu;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private float[] ah;
    private float[] bh;
    private float[] ch;
    private FMatrixRMaj ea;
    private FMatrixRMaj eb;
    private FMatrixRMaj ec;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        ah = new float[n * n];
        bh = new float[n * n];
        ch = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            ah[i] = (float) r.nextDouble(-1, 1);
            bh[i] = (float) r.nextDouble(-1, 1);
        }
        CpuBackend.Builder builder = CpuBackend.builder().threads(threads);
        if (!kernel.equals("default")) {
            builder.kernel(kernel);
        }
        cpu = builder.build();
        a = cpu.tensor(ah, Shape.of(n, n));
        b = cpu.tensor(bh, Shape.of(n, n));
        c = cpu.zeros(Shape.of(n, n));
        ea = new FMatrixRMaj(n, n, true, ah);
        eb = new FMatrixRMaj(n, n, true, bh);
        ec = new FMatrixRMaj(n, n);
    }

    /**
     * OpenBLAS reads its thread count from the environment when it loads; the JavaCPP binding has no
     * setter. Its benchmark refuses to run at a thread count other than Neurite's rather than report a
     * misleading ratio (benchmarks/gemm.sh sets the variable).
     */
    private void checkOpenBlasThreads() {
        String env = System.getenv("OPENBLAS_NUM_THREADS");
        if (env == null || Integer.parseInt(env.trim()) != threads) {
            throw new IllegalStateException("GemmBenchmark: run with OPENBLAS_NUM_THREADS=" + threads
                    + " for threads=" + threads + " (found " + env + "); benchmarks/gemm.sh does it");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        cpu.close();
    }

    @Benchmark
    public Tensor neurite() {
        cpu.kernels().gemm(false, false, 1f, a, b, 0f, c);
        return c;
    }

    /** Set by tests that compare results, not speed, where the thread count does not matter. */
    boolean openblasChecked;

    @Benchmark
    public float[] openblas() {
        if (!openblasChecked) {
            checkOpenBlasThreads();
            openblasChecked = true;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f, ah, n,
                bh, n, 0f, ch, n);
        return ch;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        if (threads > 1) {
            org.ejml.concurrency.EjmlConcurrency.setMaxThreads(threads);
            EjmlConcurrent.mult(ea, eb, ec);
        } else {
            CommonOps_FDRM.mult(ea, eb, ec);
        }
        return ec;
    }

    @Benchmark
    public float[] naiveLoop() {
        if (n > 1024) {
            return ch;   // minutes per call; the loop's GFLOP/s does not change with n
        }
        java.util.Arrays.fill(ch, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < n; p++) {
                float aip = ah[i * n + p];
                for (int j = 0; j < n; j++) {
                    ch[i * n + j] += aip * bh[p * n + j];
                }
            }
        }
        return ch;
    }

    /** EJML's concurrent operations, when its version has them. */
    private static final class EjmlConcurrent {
        static void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            org.ejml.dense.row.CommonOps_MT_FDRM.mult(a, b, c);
        }
    }
}
