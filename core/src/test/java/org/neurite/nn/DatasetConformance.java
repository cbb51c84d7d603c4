package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.data.BatchTransform;
import org.neurite.data.DataPipelineException;
import org.neurite.data.Dataset;
import org.neurite.data.Datasets;
import org.neurite.io.Npy;

import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/**
 * fit, evaluate and predict on data sets, on the backend under test: each kind of data set trains the textbook model
 * shape (small), arrays through a data set train exactly as the same arrays as tensors, and failures stop fit with
 * their cause.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatasetConformance extends ConformanceBase {
    @TempDir
    Path tmp;

    /** Four well-separated classes in 16 features: class c lights up features 4c..4c+3, plus noise. */
    static float[][] classes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 16];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(4);
            y[i] = c;
            for (int j = 0; j < 16; j++) {
                x[i * 16 + j] = (float) (r.nextDouble(0, 60) + (j / 4 == c ? 180 : 0));
            }
        }
        return new float[][] {x, y};
    }

    private Sequential model() {
        Sequential m = new Sequential(backend, 16, 5, new Dense(12, "relu"), new Dense(4, "softmax"));
        m.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.05f), Metric.ACCURACY);
        return m;
    }

    @Test
    void arraysThroughADatasetTrainExactlyAsTensors() {
        float[][] d = classes(200, 1);
        float[] x = d[0].clone();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        History viaTensors;
        try (TensorScope s = new TensorScope(backend); Sequential m = model()) {
            viaTensors = m.fit(s.tensor(x, 200, 16), s.tensor(d[1], 200), FitOptions.epochs(3).batchSize(16)
                    .shuffle(false));
        }
        try (Sequential m = model();
             Dataset data = Datasets.fromArrays(d[0], 16, d[1], 1).map(BatchTransform.scale(0, 1f / 255))) {
            History viaData = m.fit(data, FitOptions.epochs(3).batchSize(16).shuffle(false));
            for (String key : List.of("loss", "accuracy")) {
                for (int e = 0; e < 3; e++) {
                    assertEquals(viaTensors.get(key).get(e), viaData.get(key).get(e), 1e-5, key + " epoch " + e);
                }
            }
        }
    }

    @Test
    void everyKindOfDatasetTrainsEvaluatesAndPredicts() throws IOException {
        float[][] d = classes(240, 2);
        float[][] v = classes(80, 3);
        // IDX (as Fashion-MNIST ships, gzipped), .npy (float32 images, int64 labels), host arrays
        Path images = idx(tmp.resolve("train-images-idx3-ubyte"), d[0], 0x803, 240, 4, 4);
        Path labels = idx(tmp.resolve("train-labels-idx1-ubyte"), d[1], 0x801, 240);
        gzip(images);
        Npy.write(tmp.resolve("x.npy"), new int[] {240, 4, 4}, d[0]);
        writeInt64Labels(tmp.resolve("y.npy"), d[1]);
        List<Dataset> kinds = List.of(
                Datasets.idx(Path.of(images + ".gz"), labels, tmp.resolve("cache")),
                Datasets.npy(List.of(tmp.resolve("x.npy")), List.of(tmp.resolve("y.npy"))),
                Datasets.fromArrays(d[0], 16, d[1], 1));
        for (Dataset raw : kinds) {
            try (Dataset data = raw.map(BatchTransform.scale(0, 1f / 255));
                 Dataset val = Datasets.fromArrays(v[0], 16, v[1], 1).map(BatchTransform.scale(0, 1f / 255));
                 Sequential m = model()) {
                History h = m.fit(data, FitOptions.epochs(15).batchSize(16).seed(4).validationData(val));
                assertTrue(h.last("val_accuracy") > 0.9, raw.getClass().getSimpleName() + ": " + h.asMap());
                Map<String, Double> ev = m.evaluate(val, 32);
                assertEquals(h.last("val_loss"), ev.get("loss"), 1e-5);
                List<float[]> p = m.predict(val, 7);
                assertEquals(80 * 4, p.get(0).length);
                try (TensorScope s = new TensorScope(backend)) {
                    float[] xs = v[0].clone();
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] /= 255f;
                    }
                    assertArrayEquals(m.predict(s.tensor(xs, 80, 16), 32), p.get(0), 1e-6f);
                }
            }
        }
        assertArrayEquals(new float[] {d[1][0], d[1][1]}, readTargets(kinds.get(0)), "IDX labels");
        assertArrayEquals(new float[] {d[1][0], d[1][1]}, readTargets(kinds.get(1)), "int64 labels");
    }

    private static float[] readTargets(Dataset d) {
        float[][] in = {new float[2 * 16]};
        float[][] out = {new float[2]};
        d.read(new int[] {0, 1}, 0, 2, in, out);
        return out[0];
    }

    @Test
    void aFailingDatasetStopsFitWithItsCauseAndLeavesNoThread() {
        float[][] d = classes(160, 5);
        AtomicInteger reads = new AtomicInteger();
        Dataset base = Datasets.fromArrays(d[0], 16, d[1], 1);
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public int[] inputWidths() {
                return base.inputWidths();
            }

            @Override
            public int[] targetWidths() {
                return base.targetWidths();
            }

            @Override
            public void read(int[] indices, int from, int rows, float[][] in, float[][] out) {
                if (reads.incrementAndGet() == 7) {
                    throw new IllegalStateException("disk on fire at batch 7");
                }
                base.read(indices, from, rows, in, out);
            }
        };
        try (Sequential m = model()) {
            for (int prefetch : new int[] {0, 3}) {
                reads.set(0);
                DataPipelineException e = assertThrows(DataPipelineException.class,
                        () -> m.fit(failing, FitOptions.epochs(2).batchSize(16).prefetch(prefetch)));
                assertTrue(e.getCause() instanceof IllegalStateException && e.getMessage().contains("disk on fire"),
                        e.toString());
            }
        }
        long prefetchers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("neurite-data-prefetch") && t.isAlive()).count();
        assertEquals(0, prefetchers, "a prefetch thread outlived its fit");
        assertThrows(IllegalArgumentException.class, () -> {
            try (Sequential m = model()) {
                m.fit(Datasets.fromArrays(new float[10], 5, new float[2], 1), FitOptions.epochs(1));
            }
        });
        try (Sequential m = model()) {
            IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(base, FitOptions.epochs(1).validationSplit(0.1)));
            assertTrue(split.getMessage().contains("validationData"), split.getMessage());
        }
    }

    static Path idx(Path file, float[] values, int magic, int... dims) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (float v : values) {
            b.put((byte) Math.min(255, Math.round(v)));
        }
        Files.write(file, b.array());
        return file;
    }

    static void gzip(Path file) throws IOException {
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
            out.write(Files.readAllBytes(file));
        }
    }

    static void writeInt64Labels(Path file, float[] labels) throws IOException {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + labels.length + ",), }";
        String header = dict + " ".repeat(64 - ((10 + dict.length() + 1) % 64)) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * labels.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (float l : labels) {
            b.putLong((long) l);
        }
        Files.write(file, b.array());
    }

}
