package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** Model files: round trips, resumed training, atomic writes, and clear refusals of bad files. */
public abstract class SaveLoadConformance extends ConformanceBase {
    private static final int N = 120;
    private float[] x;
    private float[] y;

    @BeforeAll
    void prepareData() {
        SplittableRandom r = new SplittableRandom(21);
        x = new float[N * 3];
        y = new float[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 3; j++) {
                x[3 * i + j] = (float) r.nextDouble(-1, 1);
            }
            y[i] = x[3 * i] > x[3 * i + 1] ? (x[3 * i + 2] > 0 ? 2 : 1) : 0;
        }
    }

    private Sequential model(Supplier<Optimizer> optimizer) {
        Sequential m = new Sequential(backend, 3, 9, new Dense(12, "selu"), new Dense(6, "leaky_relu"),
                new Dense(3, "softmax"));
        m.compile(Loss.sparseCategoricalCrossEntropy(), optimizer.get(), Metric.ACCURACY);
        return m;
    }

    @Test
    void roundTripGivesIdenticalPredictionsAndResumedTrainingTheSameCurve(@TempDir Path dir) {
        for (Supplier<Optimizer> opt : List.<Supplier<Optimizer>>of(() -> new Adam(0.01f), () -> new SGD(0.05f, 0.9f, true),
                () -> new RMSprop(0.005f), () -> new Adagrad(0.1f), () -> new Nadam(0.01f))) {
            Path file = dir.resolve("model.neurite");
            try (TensorScope s = new TensorScope(backend); Sequential a = model(opt)) {
                Tensor tx = s.tensor(x, N, 3);
                Tensor ty = s.tensor(y, N);
                a.fit(tx, ty, FitOptions.epochs(3).batchSize(16));
                a.save(file);
                try (Model b = Model.load(file, backend)) {
                    assertArrayEquals(a.predict(tx, 50), b.predict(tx, 50), "predictions differ after load");
                    assertEquals(a.optimizer().iterations(), b.optimizer().iterations());
                    History continued = a.fit(tx, ty, FitOptions.epochs(3).batchSize(16).seed(5));
                    History resumed = b.fit(tx, ty, FitOptions.epochs(3).batchSize(16).seed(5));
                    assertEquals(continued.get("loss"), resumed.get("loss"),
                            a.optimizer().getClass().getSimpleName() + ": resumed training diverged from the original");
                }
            }
        }
    }

    @Test
    void savingIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.neurite");
        try (Sequential a = model(() -> new Adam(0.01f))) {
            a.save(file);
            byte[] first = Files.readAllBytes(file);
            a.save(file);   // replaces
            assertArrayEquals(first, Files.readAllBytes(file));
        }
        Layer unsaveable = new Layer("custom") {
            @Override
            public int outputFeatures(int in) {
                return in;
            }

            @Override
            public Tensor forward(Tensor input, boolean training) {
                return input;
            }

            @Override
            public Tensor backward(Tensor gradOutput) {
                return gradOutput;
            }
        };
        byte[] before = Files.readAllBytes(file);
        try (Sequential bad = new Sequential(backend, 3, 1, new Dense(2, "relu"), unsaveable)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.save(file));
            assertTrue(e.getMessage().contains("custom") && e.getMessage().contains("cannot be saved"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file), "a failed save touched the existing file");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "temporary files left behind");
        }
    }

    @Test
    void badFilesAreRefusedClearly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.neurite");
        try (Sequential a = model(() -> new Adam(0.01f))) {
            a.save(file);
        }
        byte[] good = Files.readAllBytes(file);
        long liveBefore = backend.liveBytes();

        Path truncated = dir.resolve("truncated.neurite");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        refused(truncated, "truncated");

        Path garbage = dir.resolve("garbage.neurite");
        Files.writeString(garbage, "this is not a model");
        refused(garbage, "not a usable Neurite model file");

        refused(dir.resolve("missing.neurite"), "no model file");

        // A weight's bytes cut short inside an otherwise valid zip.
        Path shortWeights = dir.resolve("short.neurite");
        rewrite(file, shortWeights, "weights.safetensors", b -> java.util.Arrays.copyOf(b, b.length - 8));
        refused(shortWeights, "weights.safetensors");

        Path newer = dir.resolve("newer.neurite");
        rewrite(file, newer, "model.json", b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"version\":1", "\"version\":99").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        refused(newer, "upgrade");

        Path mismatch = dir.resolve("mismatch.neurite");
        rewrite(file, mismatch, "model.json", b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"units\":12", "\"units\":13").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        refused(mismatch, "does not fit its architecture");
        assertEquals(liveBefore, backend.liveBytes(), "a refused load leaked tensors");
    }

    @Test
    void aLongSeedSurvivesTheFile(@TempDir Path dir) {
        long seed = 1234567890123456789L;
        Path file = dir.resolve("seed.neurite");
        try (Sequential m = new Sequential(backend, 3, seed, new Dense(2, "relu"))) {
            m.save(file);
            try (Model back = Model.load(file, backend)) {
                assertEquals(seed, back.seed(), "the seed was rounded through a double");
            }
        }
    }

    private void refused(Path file, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(file, backend));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(file.getFileName().toString()),
                "'" + fragment + "' expected in: " + e.getMessage());
    }

    private static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<byte[]> change)
            throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(from));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? change.apply(data) : data);
                out.closeEntry();
            }
        }
    }
}
