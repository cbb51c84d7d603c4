package org.neurite.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/** Neurite as a dependency: the README's tensor snippet and a three-layer fit, with core and cpu only. */
class ConsumerTest {
    @Test
    void theReadmeTensorSnippetRuns() {
        try (Backend backend = Backends.create("cpu");
             Tensor a = backend.tensor(new float[] {1, 2, 3, 4}, 2, 2);
             Tensor c = backend.zeros(Shape.of(2, 2))) {
            backend.kernels().gemm(false, false, 1f, a, a, 0f, c);
            assertArrayEquals(new float[] {7, 10, 15, 22}, c.toFloatArray());
        }
    }

    @Test
    void aThreeLayerModelLearns() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 400;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextDouble(-1, 1);
            x[2 * i + 1] = (float) r.nextDouble(-1, 1);
            y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;   // XOR of the signs
        }
        try (Backend backend = Backends.create("cpu");
             Tensor tx = backend.tensor(x, n, 2);
             Tensor ty = backend.tensor(y, n);
             Sequential model = new Sequential(backend, 2, 42, new Dense(16, "relu"), new Dense(16, "relu"),
                     new Dense(2, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.1f, 0.9f, false), Metric.ACCURACY);
            History h = model.fit(tx, ty, FitOptions.epochs(60).batchSize(32));
            assertTrue(h.last("accuracy") > 0.9, "accuracy " + h.get("accuracy"));
        }
    }
}
