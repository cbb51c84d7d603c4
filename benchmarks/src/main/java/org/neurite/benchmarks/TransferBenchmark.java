package org.neurite.benchmarks;

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
 * Host-device transfers on their own, so that kernel times elsewhere can be read without them: upload
 * ({@link Tensor#copyFrom}) and download ({@link Tensor#toFloatArray}) of a tensor of {@code size} floats.
 * On the CPU backend both are array copies, the floor the device paths are compared with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TransferBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    /** Floats per transfer: a batch of labels, a batch of images (32 x 784), a weight matrix (4 MB). */
    @Param({"1024", "25088", "1048576"})
    public int size;

    private Backend b;
    private Tensor t;
    private float[] host;

    @Setup(Level.Trial)
    public void setUp() {
        b = Backends.create(backend);
        host = new float[size];
        t = b.zeros(Shape.of(size));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        t.close();
        b.close();
    }

    @Benchmark
    public Tensor upload() {
        t.copyFrom(host);
        b.synchronize();
        return t;
    }

    @Benchmark
    public float[] download() {
        return t.toFloatArray();
    }
}
