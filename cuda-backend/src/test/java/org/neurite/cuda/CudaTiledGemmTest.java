package org.neurite.cuda;

import org.junit.jupiter.api.Assumptions;
import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/**
 * The kernel suite again with our tiled GEMM forced ({@code cuda:tiled}), so that it stays tested where
 * cuBLAS is the default (a GPU machine with CUDA 13 and JDK 22+, or the emulator on JDK 22+).
 */
class CudaTiledGemmTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        boolean cublasByDefault;
        try (CudaBackend b = CudaTestSupport.backend()) {   // skips, saying why, without CUDA
            cublasByDefault = b.usesCublas();
        }
        Assumptions.assumeTrue(cublasByDefault, "the default GEMM is already the tiled kernel (CudaConformanceTest)");
        return new CudaBackendProvider().create("tiled");
    }
}
