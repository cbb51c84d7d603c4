package org.neurite.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
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
 * The textbook MLP's first layer (784 -> 300, ReLU) with the kernels a Dense layer runs: forward is one
 * GEMM with the bias and ReLU fused; backward is the ReLU derivative, the weight gradient
 * {@code X^T dY}, the bias gradient (column sums) and the input gradient {@code dY W^T}. Per backend, at
 * batch 32 (launch-bound) and 256; each call waits for the device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class DenseBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    @Param({"32", "256"})
    public int batch;

    private Backend b;
    private TensorScope scope;
    private Tensor x;
    private Tensor w;
    private Tensor bias;
    private Tensor y;
    private Tensor dy;
    private Tensor dz;
    private Tensor dw;
    private Tensor db;
    private Tensor dx;

    @Setup(Level.Trial)
    public void setUp() {
        b = Backends.create(backend);
        scope = new TensorScope(b);
        SplittableRandom r = new SplittableRandom(7);
        x = scope.tensor(random(r, batch * 784), Shape.of(batch, 784));
        w = scope.tensor(random(r, 784 * 300), Shape.of(784, 300));
        bias = scope.tensor(random(r, 300), Shape.of(300));
        y = scope.zeros(Shape.of(batch, 300));
        dy = scope.tensor(random(r, batch * 300), Shape.of(batch, 300));
        dz = scope.zeros(Shape.of(batch, 300));
        dw = scope.zeros(Shape.of(784, 300));
        db = scope.zeros(Shape.of(300));
        dx = scope.zeros(Shape.of(batch, 784));
        forward();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-0.1, 0.1);
        }
        return v;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        b.close();
    }

    @Benchmark
    public Tensor forward() {
        b.kernels().gemm(false, false, 1f, x, w, 0f, y, bias, Activation.relu());
        b.synchronize();
        return y;
    }

    @Benchmark
    public Tensor backward() {
        Kernels k = b.kernels();
        k.activateBackward(Activation.relu(), y, dy, dz);
        k.gemm(true, false, 1f, x, dz, 0f, dw);
        k.sum(dz, 0, db);
        k.gemm(false, true, 1f, dz, w, 0f, dx);
        b.synchronize();
        return dx;
    }
}
