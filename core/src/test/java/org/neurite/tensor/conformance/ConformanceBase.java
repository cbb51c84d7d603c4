package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.TensorScope;

/**
 * What every conformance family shares: one backend per family, created by the backend module's
 * subclass, closed at the end with a check that no tensor was left open; seeded random data; and
 * dynamic tests that each run in a {@link TensorScope}.
 *
 * <p>A backend module runs the suite with one small class:
 * <pre>{@code
 * class MyBackendConformanceTest {
 *     static Backend create() { return new MyBackend(); }
 *     @Nested class Gemm extends GemmConformance { protected Backend createBackend() { return create(); } }
 *     @Nested class Activations extends ActivationConformance { ... }
 *     ...
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceBase {
    protected Backend backend;
    protected Kernels kernels;

    /** The backend under test; a fresh instance (the suite closes it). */
    protected abstract Backend createBackend();

    @BeforeAll
    void openBackend() {
        backend = createBackend();
        kernels = backend.kernels();
    }

    @AfterAll
    void closeBackend() {
        if (backend == null) {
            return;   // createBackend aborted the family (no device here): nothing to close
        }
        long live = backend.liveBytes();
        backend.close();
        assertEquals(0, live, "bytes still held by open tensors after the family ran: a kernel or test leaked");
    }

    /** A dynamic test whose body gets a scope that frees its tensors. */
    protected DynamicTest test(String name, ThrowingConsumer<TensorScope> body) {
        return DynamicTest.dynamicTest(name, () -> {
            try (TensorScope scope = new TensorScope(backend)) {
                body.accept(scope);
            }
        });
    }

    protected static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return x;
    }

    /** Sizes that matter to vector code: tiny, around vector widths, odd, and large enough to thread. */
    protected static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257, 1000, 1024,
        4099, 70001};
}
