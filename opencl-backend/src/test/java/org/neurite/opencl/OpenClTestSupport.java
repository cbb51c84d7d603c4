package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.neurite.tensor.spi.Availability;

/**
 * Where the OpenCL tests get their backend. Without any OpenCL platform they are skipped, printing why;
 * with the environment variable {@code NEURITE_REQUIRE_OPENCL=1} (CI sets it, having installed PoCL) a
 * missing platform fails them instead, so that a broken install cannot turn the suite silently green.
 */
final class OpenClTestSupport {
    private OpenClTestSupport() {
    }

    static ClDevice device() {
        Availability a = new OpenClBackendProvider().probe();
        if (!a.available()) {
            String why = "OpenCL unavailable: " + a.detail();
            if ("1".equals(System.getenv("NEURITE_REQUIRE_OPENCL"))) {
                fail(why + " (NEURITE_REQUIRE_OPENCL=1)");
            }
            System.out.println("[skipped] " + why);
            Assumptions.abort(why);
        }
        return ClDevice.select(ClDevice.all(), System.getProperty("neurite.test.opencl", ""));
    }

    static OpenClBackend backend() {
        return new OpenClBackend(device());
    }

    static OpenClBackend backend(ClGemm.Kind gemm) {
        ClDevice d = device();
        ClGemm.Config c = ClGemm.Config.forDevice(d);
        return new OpenClBackend(d, new ClGemm.Config(gemm, c.mr(), c.rowBlocksPerGroup(), c.directBMaxRows(), c.tsm(),
                c.tsn(), c.tsk(),
                c.wptm(), c.wptn()), ClProgramCache.fromProperties());
    }
}
