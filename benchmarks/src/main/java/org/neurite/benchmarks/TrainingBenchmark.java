package org.neurite.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurite.nn.Dense;
import org.neurite.nn.Loss;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
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
 * One training step of the textbook Fashion-MNIST MLP (784-300-100-10, ReLU, softmax, SGD) on a batch
 * already on the device, at several batch sizes, on any backend. An epoch of 55,000 images at batch 32 is
 * 1,719 of these steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainingBenchmark {

    @Param({"cpu", "opencl"})
    public String backend;

    @Param({"32", "256"})
    public int batch;

    private Backend b;
    private Sequential model;
    private Tensor x;
    private Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
        b = Backends.create(backend);
        SplittableRandom r = new SplittableRandom(1);
        float[] pixels = new float[batch * 784];
        float[] labels = new float[batch];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(10);
        }
        x = b.tensor(pixels, batch, 784);
        y = b.tensor(labels, batch);
        model = new Sequential(b, 784, 42, new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10, "softmax"));
        model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        x.close();
        y.close();
        b.close();
    }

    @Benchmark
    public double mlpTrainingStep() {
        return model.trainOnBatch(x, y);
    }
}
