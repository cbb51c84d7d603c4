package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Runs in its own JVM without {@code --add-modules jdk.incubator.vector} (see the pom's
 * {@code without-vector-module} execution): the backend must fall back to scalar kernels without ever
 * touching a Vector API class, and say how to get the fast path.
 */
class WithoutVectorModuleIT {

    @Test
    void fallsBackToScalarKernelsAndSaysHowToEnableSimd() {
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this test must run in a JVM without the Vector API module");
        try (Backend b = Backends.create("cpu")) {
            assertFalse(((CpuBackend) b).vectorized());
            assertTrue(b.device().contains("scalar"), b.device());
            try (Tensor a = b.tensor(new float[] {1, -2, 3, -4}, 2, 2);
                 Tensor c = b.zeros(Shape.of(2, 2))) {
                b.kernels().gemm(false, false, 1f, a, a, 0f, c, null, Activation.relu());
                assertArrayEquals(new float[] {0, 6, 0, 10}, c.toFloatArray());   // relu([[-5, 6], [-9, 10]])
            }
        }
        assertTrue(Backends.describe().contains("--add-modules jdk.incubator.vector"), Backends.describe());
    }
}
