package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
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

    /**
     * Reading B's sliver in place gives the same bits as copying it first, on every kernel (the scalar one through
     * the interface's default): each full tile, with B's rows wider than the sliver and starting at an offset, C's
     * rows wider than the tile, beta 0 (NaN in C ignored), 1 and -0.3, and a depth of 1, 7 and 200.
     */
    @Test
    void readingBInPlaceMatchesCopyingItFirst() {
        SplittableRandom r = new SplittableRandom(11);
        for (MicroKernel micro : List.of(new ScalarMicroKernel(), new VectorMicroKernel4x2(), new VectorMicroKernel6x2(),
                new VectorMicroKernel8x2(), new VectorMicroKernel12x2())) {
            int mr = micro.mr();
            int nr = micro.nr();
            for (int kc : new int[] {1, 7, 200}) {
                for (float beta : new float[] {0f, 1f, -0.3f}) {
                    float[] a = random(r, 3 + kc * mr);
                    int ldb = nr + 13;
                    int bo = 5;
                    float[] b = random(r, bo + kc * ldb);
                    int ldc = nr + 3;
                    int co = ldc + 2;
                    float[] c = random(r, co + mr * ldc);
                    c[co] = beta == 0f ? Float.NaN : c[co];
                    float[] expected = c.clone();
                    float[] sliver = new float[kc * nr];
                    micro.packSliver(kc, b, bo, ldb, sliver);
                    micro.runInto(kc, a, 3, sliver, 0, beta, expected, co, ldc, new float[mr * nr]);
                    micro.runIntoStrided(kc, a, 3, b, bo, ldb, beta, c, co, ldc, new float[mr * nr]);
                    assertArrayEquals(expected, c, micro.getClass().getSimpleName() + " kc " + kc + " beta " + beta);
                }
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
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
