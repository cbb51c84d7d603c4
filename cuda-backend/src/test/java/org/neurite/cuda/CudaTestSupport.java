package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the CUDA tests get their backend. Without a usable device they are skipped, printing why; with
 * {@code NEURITE_REQUIRE_CUDA=1} (the GPU check script sets it) that fails them instead.
 *
 * <p>The module's second test run (Surefire execution {@code cuda-emulator}) puts the CUDA driver emulator
 * (src/test/emulator) first on the library path and sets {@code NEURITE_CUDA_EMULATOR} to its directory:
 * then the backend must be the emulator's, and where the emulator could not be built (no C++ compiler) the
 * tests skip, or fail with {@code NEURITE_REQUIRE_CUDA_EMULATOR=1} (CI sets it).
 */
final class CudaTestSupport {
    /** The emulator names its device so (see driver.cpp's cuDeviceGetName). */
    static final String EMULATOR_DEVICE = "Neurite CUDA driver emulator";

    private CudaTestSupport() {
    }

    /** The emulator's directory when this JVM is the emulated test run, else null. */
    static String emulatorDirectory() {
        return System.getenv("NEURITE_CUDA_EMULATOR");
    }

    /** Whether CUDA here is the driver emulator. */
    static boolean emulated() {
        CudaDriver.State s = CudaDriver.state();
        return s.available() && s.devices().get(0).name().startsWith(EMULATOR_DEVICE);
    }

    static CudaBackend backend() {
        CudaDriver.State s = CudaDriver.state();
        String emulator = emulatorDirectory();
        if (!s.available()) {
            String why = "CUDA unavailable: " + s.failure();
            boolean required = "1".equals(System.getenv("NEURITE_REQUIRE_CUDA"));
            if (emulator != null) {
                if (!Files.exists(Path.of(emulator, "libcuda.so.1"))) {
                    why = "the CUDA driver emulator was not built in " + emulator
                            + " (no C++ compiler; see cuda-backend/src/test/emulator/build.sh)";
                }
                required |= "1".equals(System.getenv("NEURITE_REQUIRE_CUDA_EMULATOR"));
            }
            if (required) {
                fail(why + " (required by NEURITE_REQUIRE_CUDA" + (emulator != null ? "_EMULATOR" : "") + "=1)");
            }
            System.out.println("[skipped] " + why);
            Assumptions.abort(why);
        }
        if (emulator != null && !emulated()) {
            fail("the emulated test run (NEURITE_CUDA_EMULATOR=" + emulator + ") found a real CUDA driver: "
                    + s.devices().get(0).describe() + "; is libcuda.so.1 preloaded?");
        }
        return new CudaBackend(s.devices().get(0));
    }
}
