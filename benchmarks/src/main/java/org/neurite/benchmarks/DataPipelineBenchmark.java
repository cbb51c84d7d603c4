package org.neurite.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurite.data.BatchTransform;
import org.neurite.data.Dataset;
import org.neurite.data.Datasets;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
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
 * The data pipeline's cost: one epoch of the textbook Fashion-MNIST MLP (784-300-100-10, SGD, batch 32) on 12,000
 * images of Fashion-MNIST's shape, from tensors already on the device ({@code tensors}), and streamed from IDX
 * files (memory-mapped, pixels scaled per batch) with the batches read on the training thread ({@code stream-sync})
 * or prepared two ahead by the prefetch thread ({@code stream-prefetch}). The ratio of the streamed epoch to the
 * in-memory one is the pipeline's overhead; sync against prefetch shows what the overlap hides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class DataPipelineBenchmark {
    static final int IMAGES = 12_000;

    @Param({"tensors", "stream-sync", "stream-prefetch"})
    public String source;

    @Param({"cpu"})
    public String backend;

    private Backend b;
    private Sequential model;
    private Tensor x;
    private Tensor y;
    private Dataset data;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        b = Backends.create(backend);
        SplittableRandom r = new SplittableRandom(1);
        byte[] pixels = new byte[IMAGES * 784];
        byte[] labels = new byte[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (byte) r.nextInt(10);
            for (int j = 0; j < 784; j++) {
                pixels[i * 784 + j] = (byte) (r.nextInt(256) / (j / 78 == labels[i] ? 1 : 4));
            }
        }
        if (source.equals("tensors")) {
            float[] xs = new float[pixels.length];
            float[] ys = new float[IMAGES];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (pixels[i] & 0xff) / 255f;
            }
            for (int i = 0; i < IMAGES; i++) {
                ys[i] = labels[i];
            }
            x = b.tensor(xs, IMAGES, 784);
            y = b.tensor(ys, IMAGES);
        } else {
            dir = Files.createTempDirectory("neurite-pipeline-bench");
            Path images = dir.resolve("images");
            Path labelFile = dir.resolve("labels");
            Files.write(images, ByteBuffer.allocate(16 + pixels.length).putInt(0x803).putInt(IMAGES).putInt(28).putInt(28)
                    .put(pixels).array());
            Files.write(labelFile, ByteBuffer.allocate(8 + IMAGES).putInt(0x801).putInt(IMAGES).put(labels).array());
            data = Datasets.idx(images, labelFile, dir).map(BatchTransform.scale(0, 1f / 255));
        }
        model = new Sequential(b, 784, 42, new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10, "softmax"));
        model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f));
    }

    @Benchmark
    public double epoch() {
        FitOptions o = FitOptions.epochs(1).batchSize(32).seed(7);
        return switch (source) {
            case "tensors" -> model.fit(x, y, o).last("loss");
            case "stream-sync" -> model.fit(data, o.prefetch(0)).last("loss");
            default -> model.fit(data, o.prefetch(2)).last("loss");
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        model.close();
        if (x != null) {
            x.close();
            y.close();
        }
        if (data != null) {
            data.close();
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        b.close();
    }
}
