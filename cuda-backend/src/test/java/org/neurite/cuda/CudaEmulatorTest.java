package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * What only the CUDA driver emulator (src/test/emulator) can show without a GPU, or show cheaply: the
 * device it reports, and running out of device memory (the emulated run gives the device 1 GiB).
 */
class CudaEmulatorTest {

    private static CudaBackend emulatedBackend() {
        Assumptions.assumeTrue(CudaTestSupport.emulatorDirectory() != null, "only in the emulated test run");
        return CudaTestSupport.backend();
    }

    /**
     * JCublas never loads here (no libcublas.so.12); on JDK 22+ the FFM binding of libcublas.so.13 finds the
     * emulator's cuBLAS, on JDK 17 the tiled kernel runs. Each backend says which, and why.
     */
    @Test
    void theBackendRunsOnTheEmulatorWithTheExpectedGemm() {
        try (CudaBackend b = emulatedBackend(); CudaBackend tiled = (CudaBackend) new CudaBackendProvider().create("tiled")) {
            assertTrue(b.device().contains(CudaTestSupport.EMULATOR_DEVICE), b::device);
            if (Runtime.version().feature() >= 22) {
                assertTrue(b.device().contains("GEMM on cuBLAS"), b::device);
            } else {
                assertTrue(b.device().contains("GEMM on our tiled kernel"), b::device);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> new CudaBackendProvider().create("cublas"));
                assertTrue(e.getMessage().contains("libcublas.so.12") && e.getMessage().contains("JDK 22"), e::getMessage);
            }
            assertTrue(tiled.device().contains("GEMM on our tiled kernel"), tiled::device);
        }
    }

    @Test
    void runningOutOfDeviceMemoryIsAClearErrorAndRecoverable() {
        try (CudaBackend b = emulatedBackend()) {
            List<Tensor> held = new ArrayList<>();
            Shape chunk = Shape.of(64, 1 << 20);   // 256 MiB
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    held.add(b.zeros(chunk));
                }
            });
            assertTrue(e.getMessage().startsWith("out of device memory: cannot allocate 256 MiB; this backend holds "),
                    e::getMessage);
            assertTrue(held.size() >= 2 && held.size() < 64, "allocated " + held.size() + " chunks");
            held.forEach(Tensor::close);
            assertEquals(0, b.liveBytes());
            try (Tensor again = b.zeros(chunk); Tensor small = b.tensor(new float[] {1, 2, 3}, Shape.of(3))) {
                assertEquals(chunk, again.shape());   // the memory is usable again, and the backend works
                assertEquals(2f, small.toFloatArray()[1]);
            }
        }
    }
}
