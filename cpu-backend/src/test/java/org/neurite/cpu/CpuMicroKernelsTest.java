package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.conformance.GemmConformance;

/** The GEMM family on every micro-kernel shape, whichever this machine's register file picks by default. */
class CpuMicroKernelsTest {

    @Nested
    class FourByTwo extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(2).kernel("4x2").build();
        }

        @Test
        void usesIt() {
            assertTrue(backend.device().contains("4x"), backend.device());
        }
    }

    @Nested
    class SixByTwo extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(2).kernel("6x2").build();
        }

        @Test
        void usesIt() {
            assertTrue(backend.device().contains("6x"), backend.device());
        }
    }

    @Nested
    class EightByTwo extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(1).kernel("8x2").build();
        }

        @Test
        void usesIt() {
            assertTrue(backend.device().contains("8x"), backend.device());
        }
    }

    @Nested
    class TwelveByTwo extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return CpuBackend.builder().threads(2).kernel("12x2").build();
        }

        @Test
        void usesIt() {
            assertTrue(backend.device().contains("12x"), backend.device());
        }
    }

    @Test
    void specsNameTheShapeAndUnknownOnesAreRefused() {
        try (Backend b = Backends.create("cpu:kernel=6x2:threads=1")) {
            assertTrue(b.device().contains("6x"), b.device());
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> Backends.create("cpu:kernel=5x3"));
        assertTrue(e.getMessage().contains("5x3") && e.getMessage().contains("8x2"), e.getMessage());
    }
}
