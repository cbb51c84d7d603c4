package org.neurite.benchmarks;

import java.util.concurrent.TimeUnit;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first-call cost, apart from steady state: a new backend instance, then one small call into each
 * kernel family the MLP uses (GEMM, activation, loss, optimizer), timed once per instance
 * ({@code SingleShotTime}). This is where kernels are compiled (OpenCL: built, or loaded from
 * Neurite's binary cache with {@code programCache=on}; CUDA: fatbins loaded as modules). The same calls
 * on a warm backend take microseconds (see KernelBenchmark and BackendGemmBenchmark at n = 64).
 *
 * <p>PoCL keeps its own kernel cache (~/.cache/pocl) underneath, which this benchmark cannot clear; with
 * {@code programCache=off} it measures Neurite's build path over a warm PoCL cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FirstCallBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    @Param({"on", "off"})
    public String programCache;

    @Setup
    public void setUp() {
        if (programCache.equals("off")) {
            System.setProperty("neurite.opencl.cache", "off");
        } else {
            System.clearProperty("neurite.opencl.cache");
        }
    }

    @Benchmark
    public float firstCalls() {
        try (Backend b = Backends.create(backend); TensorScope s = new TensorScope(b)) {
            Tensor x = s.zeros(Shape.of(8, 8));
            Tensor y = s.zeros(Shape.of(8, 8));
            b.kernels().gemm(false, false, 1f, x, x, 0f, y, null, Activation.relu());
            b.kernels().activate(Activation.tanh(), y, y);
            Tensor loss = s.zeros(Shape.of(1));
            b.kernels().loss(LossFunction.mse(), x, y, loss);
            b.kernels().sgdUpdate(x, y, null, 0.1f, 0f, false);
            return loss.item();
        }
    }
}
