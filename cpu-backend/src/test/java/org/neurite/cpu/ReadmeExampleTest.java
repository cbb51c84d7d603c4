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
    void autoPicksTheCpuWhenNothingElseIsAvailable() {
        try (Backend backend = Backends.create("auto")) {
            assertEquals("cpu", backend.name());
        }
    }
}
