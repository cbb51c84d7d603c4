package org.neurite.benchmarks;

import java.util.SplittableRandom;
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
 * The non-GEMM kernel families on any backend ({@code -p backend=cpu,opencl,...}), across sizes from
 * launch-bound to bandwidth-bound: activations forward and backward, softmax with cross-entropy, an
 * optimizer update, a row gather. Times are per call and include a device synchronization.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    /** Elements (activations, optimizer) or rows of 10 classes (softmax + cross-entropy). */
    @Param({"1024", "65536", "1048576"})
    public int size;

    private Backend b;
    private TensorScope scope;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor m;
    private Tensor v;
    private Tensor logits;
    private Tensor labels;
    private Tensor grad;
    private Tensor loss;
    private Tensor indices;
    private Tensor gathered;

    @Setup(Level.Trial)
    public void setUp() {
        b = Backends.create(backend);
        scope = new TensorScope(b);
        SplittableRandom r = new SplittableRandom(1);
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) r.nextDouble(-3, 3);
        }
        x = scope.tensor(data, size);
        y = scope.zeros(size);
        dy = scope.tensor(data, size);
        m = scope.zeros(size);
        v = scope.zeros(size);
        int rows = Math.max(1, size / 10);
        logits = scope.tensor(java.util.Arrays.copyOf(data, rows * 10), rows, 10);
        float[] l = new float[rows];
        float[] idx = new float[rows];
        for (int i = 0; i < rows; i++) {
            l[i] = r.nextInt(10);
            idx[i] = r.nextInt(rows);
        }
        labels = scope.tensor(l, rows);
        grad = scope.zeros(rows, 10);
        loss = scope.zeros(Shape.of(1));
        indices = scope.tensor(idx, rows);
        gathered = scope.zeros(rows, 10);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        b.close();
    }

    @Benchmark
    public Tensor reluForward() {
        b.kernels().activate(Activation.relu(), x, y);
        b.synchronize();
        return y;
    }

    @Benchmark
    public Tensor sigmoidForward() {
        b.kernels().activate(Activation.sigmoid(), x, y);
        b.synchronize();
        return y;
    }

    @Benchmark
    public Tensor tanhBackward() {
        b.kernels().activateBackward(Activation.tanh(), x, dy, y);
        b.synchronize();
        return y;
    }

    @Benchmark
    public Tensor softmaxCrossEntropy() {
        LossFunction f = LossFunction.sparseCategoricalCrossEntropy(true);
        b.kernels().loss(f, logits, labels, loss);
        b.kernels().lossGradient(f, logits, labels, grad);
        b.synchronize();
        return grad;
    }

    @Benchmark
    public Tensor adamUpdate() {
        b.kernels().adamUpdate(x, dy, m, v, 1e-3f, 0.9f, 0.999f, 1e-7f, 10, 0f);
        b.synchronize();
        return x;
    }

    @Benchmark
    public Tensor gatherRows() {
        b.kernels().gatherRows(logits, indices, 0, gathered);
        b.synchronize();
        return gathered;
    }
}
