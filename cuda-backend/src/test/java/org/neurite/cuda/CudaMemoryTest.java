package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** Device memory stays flat over thousands of training-style steps (on a GPU; skipped elsewhere). */
class CudaMemoryTest {
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
                } else {
                    assertEquals(device, b.deviceBytes(), "device bytes after step " + step);
                }
            }
        }
    }
}
