package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Shape;

/** CPU backends dropped without close() stop their worker threads; leaked tensors are counted. */
class CpuLifetimeTest {
    private static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("neurite-cpu-") && t.isAlive()).count();
    }

    @Test
    void droppedBackendsStopTheirThreads() throws InterruptedException {
        long before = workers();
        for (int i = 0; i < 20; i++) {
            CpuBackend b = CpuBackend.builder().threads(3).build();
            try (var t = b.zeros(Shape.of(4))) {
                b.kernels().fill(t, 1f);
            }
            // dropped without close()
        }
        assertTrue(workers() >= before + 40, "expected the dropped backends' workers alive at first");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (workers() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, workers(), "worker threads of dropped backends still running");
    }

    @Test
    void leakedTensorsAreCounted() throws InterruptedException {
        try (CpuBackend b = CpuBackend.builder().threads(1).build()) {
            b.zeros(Shape.of(10));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (b.leakedTensors() == 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(1, b.leakedTensors());
            assertEquals(0, b.liveBytes());
        }
    }
}
