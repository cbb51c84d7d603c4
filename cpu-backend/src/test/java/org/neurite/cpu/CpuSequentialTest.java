package org.neurite.cpu;

import org.junit.jupiter.api.Nested;
import org.neurite.nn.SequentialConformance;
import org.neurite.tensor.Backend;

/** The nn stack's suite on the CPU backend, on both paths. */
class CpuSequentialTest {
    @Nested
    class Vectorized extends SequentialConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(2).build();
        }
    }

    @Nested
    class Scalar extends SequentialConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(1).vectorized(false).build();
        }
    }
}
