package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.GemmConformance;

/**
 * The GEMM conformance family on both kernels of gemm.cl, whatever the device's table picks: the tiled
 * kernel written for GPUs is checked on PoCL in CI this way, and the packed one on GPUs.
 */
class OpenClGemmKernelsTest {

    @Nested
    class Packed extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return OpenClTestSupport.backend(ClGemm.Kind.PACKED);
        }

        @Test
        void usesThePackedKernel() {
            assertTrue(((OpenClBackend) backend).gemmConfiguration().startsWith("packed"));
        }
    }

    @Nested
    class Tiled extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return OpenClTestSupport.backend(ClGemm.Kind.TILED);
        }

        @Test
        void usesTheTiledKernel() {
            assertTrue(((OpenClBackend) backend).gemmConfiguration().startsWith("tiled"));
        }
    }

    /** The tiled kernel with the CUDA backend's tile sizes (128 x 128 x 8, 8 x 8 per item): its fatbin's code. */
    @Nested
    class TiledAsCompiledForCuda extends GemmConformance {
        @Override
        protected Backend createBackend() {
            ClDevice d = OpenClTestSupport.device();
            return new OpenClBackend(d, new ClGemm.Config(ClGemm.Kind.TILED, 4, 16, 128, 128, 128, 8, 8, 8),
                    ClProgramCache.fromProperties());
        }

        @Test
        void usesTheCudaTiles() {
            assertTrue(((OpenClBackend) backend).gemmConfiguration().equals("tiled 128x128x8, 8x8 per work-item"),
                    ((OpenClBackend) backend)::gemmConfiguration);
        }
    }
}
