package org.neurite.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
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
 * Square sgemm on each hardware path through the one {@link Backend} interface, in the same run: the
 * operands live on the device, and each call waits for the result ({@link Backend#synchronize()}), so
 * asynchronous backends are timed for the work, not the launch. GFLOP/s = 2 n^3 / time. From n = 64
 * (launch-bound) to 4096 (compute-bound); the MLP's own shapes are in {@link DenseBenchmark}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BackendGemmBenchmark -p n=1024 -p backend=cpu,opencl
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class BackendGemmBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    @Param({"64", "256", "1024", "2048", "4096"})
    public int n;

    private Backend b;
    private Tensor a;
    private Tensor bm;
    private Tensor c;

    @Setup(Level.Trial)
    public void setUp() {
        b = Backends.create(backend);
        SplittableRandom r = new SplittableRandom(42);
        float[] ah = new float[n * n];
        float[] bh = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            ah[i] = (float) r.nextDouble(-1, 1);
            bh[i] = (float) r.nextDouble(-1, 1);
        }
        a = b.tensor(ah, Shape.of(n, n));
        bm = b.tensor(bh, Shape.of(n, n));
        c = b.zeros(Shape.of(n, n));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        bm.close();
        c.close();
        b.close();
    }

    @Benchmark
    public Tensor gemm() {
        b.kernels().gemm(false, false, 1f, a, bm, 0f, c);
        b.synchronize();
        return c;
    }
}
