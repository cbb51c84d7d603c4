package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * Device memory stays flat over thousands of training-style steps, and tensors can be used and closed from
 * threads other than the one that made the backend (on a GPU or the driver emulator; skipped elsewhere).
 */
class CudaMemoryTest {
    @Test
    void otherThreadsCanComputeOnAndCloseTensors() throws Exception {
        try (CudaBackend b = CudaTestSupport.backend()) {
            Tensor a = b.tensor(new float[] {1, 2, 3, 4}, Shape.of(2, 2));
            Tensor c = b.zeros(Shape.of(2, 2));
            float[][] seen = new float[1][];
            Throwable[] failure = new Throwable[1];
            // A CUDA context is current per OS thread: each entry point must make the backend's current.
            Thread t = new Thread(() -> {
                try {
                    b.kernels().gemm(false, false, 1f, a, a, 0f, c);
                    seen[0] = c.toFloatArray();
                    a.close();
                    c.close();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.start();
            t.join();
            if (failure[0] != null) {
                throw new AssertionError("on another thread: " + failure[0], failure[0]);
            }
            assertArrayEquals(new float[] {7, 10, 15, 22}, seen[0]);
            assertEquals(0, b.liveBytes());
            try (Tensor d = b.tensor(new float[] {5}, Shape.of(1))) {
                assertEquals(5f, d.item());
            }
        }
    }

    @Test
    void deviceMemoryStaysFlatOverManySteps() {
        try (CudaBackend b = CudaTestSupport.backend(); TensorScope params = new TensorScope(b)) {
            Kernels k = b.kernels();
            Tensor x = params.tensor(new float[64 * 32], 64, 32);
            Tensor y = params.zeros(64);
            Tensor w = params.zeros(32, 10);
            Tensor bias = params.zeros(10);
            Tensor m = params.zeros(32, 10);
            Tensor v = params.zeros(32, 10);
            long live = b.liveBytes();
            long device = -1;
            long driver = -1;
            for (int step = 1; step <= 5000; step++) {
                try (TensorScope s = new TensorScope(b)) {
                    Tensor logits = s.zeros(64, 10);
                    k.gemm(false, false, 1f, x, w, 0f, logits, bias, Activation.identity());
                    Tensor g = s.zeros(64, 10);
                    k.lossGradient(LossFunction.sparseCategoricalCrossEntropy(true), logits, y, g);
                    Tensor gw = s.zeros(32, 10);
                    k.gemm(true, false, 1f, x, g, 0f, gw);
                    k.adamUpdate(w, gw, m, v, 1e-3f, 0.9f, 0.999f, 1e-7f, step, 0f);
                }
                assertEquals(live, b.liveBytes(), "live bytes after step " + step);
                if (step == 1) {
                    device = b.deviceBytes();
                    driver = b.driverUsedBytes();
                } else {
                    assertEquals(device, b.deviceBytes(), "device bytes after step " + step);
                    if (step % 500 == 0) {   // the driver's own count: nothing allocated outside the pool either
                        assertEquals(driver, b.driverUsedBytes(), "device memory in use (cuMemGetInfo) after step " + step);
                    }
                }
            }
        }
    }
}
