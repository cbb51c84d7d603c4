package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.ActivationConformance;
import org.neurite.tensor.conformance.DataMovementConformance;
import org.neurite.tensor.conformance.ErrorConformance;
import org.neurite.tensor.conformance.GemmConformance;
import org.neurite.tensor.conformance.LossConformance;
import org.neurite.tensor.conformance.OptimizerConformance;
import org.neurite.tensor.conformance.ReductionConformance;

/** The whole conformance suite on the CPU backend's vector path, with two threads. */
class CpuVectorConformanceTest {
    static Backend create() {
        return CpuBackend.builder().threads(2).vectorized(true).build();
    }

    @Test
    void runsThePathItClaims() {
        try (CpuBackend b = (CpuBackend) create()) {
            assertEquals(true, b.vectorized(), b.device());
        }
    }

    @Nested
    class Gemm extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class Reductions extends ReductionConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class Losses extends LossConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class DataMovement extends DataMovementConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }

    @Nested
    class Errors extends ErrorConformance {
        @Override
        protected Backend createBackend() {
            return create();
        }
    }
}
