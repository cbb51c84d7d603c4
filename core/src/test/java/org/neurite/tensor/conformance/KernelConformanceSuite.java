package org.neurite.tensor.conformance;

import org.junit.jupiter.api.Nested;
import org.neurite.tensor.Backend;

/**
 * Every kernel family in one class: a backend module runs the whole suite with
 * <pre>{@code
 * class MyBackendConformanceTest extends KernelConformanceSuite {
 *     protected Backend createBackend() { return new MyBackend(); }
 * }
 * }</pre>
 * Each family gets its own backend instance from {@link #createBackend()} and checks it for leaks.
 */
public abstract class KernelConformanceSuite {

    /** A fresh backend under test. */
    protected abstract Backend createBackend();

    @Nested
    class Gemm extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Reductions extends ReductionConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Losses extends LossConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class DataMovement extends DataMovementConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Errors extends ErrorConformance {
        @Override
        protected Backend createBackend() {
            return KernelConformanceSuite.this.createBackend();
        }
    }
}
