package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Ops;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** The README's code, verbatim in spirit, so that the documentation cannot rot. */
class ReadmeExampleTest {

    @Test
    void denseLayerInOneCall() {
        float[] host;
        try (Backend backend = Backends.create("cpu");
             TensorScope scope = new TensorScope(backend)) {
            Kernels k = backend.kernels();
            Tensor x = scope.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor w = scope.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor b = scope.tensor(new float[] {0.5f, -20}, 2);
            Tensor y = scope.zeros(2, 2);
            k.gemm(false, false, 1f, x, w, 0f, y, b, Activation.relu());
            host = y.toFloatArray();
            assertArrayEquals(host, scope.track(Ops.dense(x, w, b, Activation.relu())).toFloatArray());
            assertArrayEquals(new float[] {4, 5, 10, 11}, scope.track(Ops.matmul(x, w)).toFloatArray());
        }
        assertArrayEquals(new float[] {4.5f, 0, 10.5f, 0}, host);
    }

    @Test
    void trainingExampleRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int samples = 64;
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] xData = new float[samples * 784];
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = i % 10;
            xData[i * 784 + (int) labels[i]] = 1f;   // a trivially learnable toy set
            xData[i * 784 + 100 + r.nextInt(600)] = 0.5f;
        }
        try (Backend backend = Backends.create("cpu");
             Tensor x = backend.tensor(xData, samples, 784);
             Tensor y = backend.tensor(labels, samples);
             org.neurite.nn.Sequential model = new org.neurite.nn.Sequential(backend, 784, 42,
                     new org.neurite.nn.Dense(300, "relu"), new org.neurite.nn.Dense(100, "relu"),
                     new org.neurite.nn.Dense(10, "softmax"))) {
            model.compile(org.neurite.nn.Loss.sparseCategoricalCrossEntropy(), new org.neurite.nn.SGD(0.1f),
                    org.neurite.nn.Metric.ACCURACY);
            org.neurite.nn.History h = model.fit(x, y, org.neurite.nn.FitOptions.epochs(30).batchSize(32)
                    .validationSplit(0.1).callbacks(new org.neurite.nn.EarlyStopping("val_loss", 5, 0, true),
                            new org.neurite.charts.TrainingCurves(dir.resolve("curves.png"))));
            model.save(dir.resolve("mlp.neurite"));
            assertEquals(1.0, h.get("accuracy").get(h.epochs() - 1), 1e-9);
            assertEquals(true, java.nio.file.Files.exists(dir.resolve("curves.png")));
        }
    }

    @Test
    void autoPicksTheCpuWhenNothingElseIsAvailable() {
        try (Backend backend = Backends.create("auto")) {
            assertEquals("cpu", backend.name());
        }
    }
}
