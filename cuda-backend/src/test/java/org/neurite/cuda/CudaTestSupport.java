package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Where the CUDA tests get their backend. Without a usable device they are skipped, printing why; with
 * {@code NEURITE_REQUIRE_CUDA=1} (the GPU check script sets it) that fails them instead.
 */
final class CudaTestSupport {
    private CudaTestSupport() {
    }

    static CudaBackend backend() {
        CudaDriver.State s = CudaDriver.state();
        if (!s.available()) {
            String why = "CUDA unavailable: " + s.failure();
            if ("1".equals(System.getenv("NEURITE_REQUIRE_CUDA"))) {
                fail(why + " (NEURITE_REQUIRE_CUDA=1)");
            }
            System.out.println("[skipped] " + why);
            Assumptions.abort(why);
        }
        return new CudaBackend(s.devices().get(0));
    }
}
