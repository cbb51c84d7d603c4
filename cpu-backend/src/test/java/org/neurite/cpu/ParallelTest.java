package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The spin-then-park hand-off: every range covered once, failures surfaced, parked workers woken. */
class ParallelTest {

    @Test
    void everyElementIsCoveredOnceBackToBackAndAfterParking() throws InterruptedException {
        try (Parallel p = new Parallel(3)) {
            int[] hits = new int[10_000];
            for (int round = 0; round < 2_000; round++) {
                p.forRange(hits.length, 100, 8, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits[i]++;
                    }
                });
                if (round % 500 == 0) {
                    Thread.sleep(5);   // longer than the spin: the workers park and must be woken
                }
            }
            for (int h : hits) {
                assertEquals(2_000, h);
            }
        }
    }

    @Test
    void partsFollowTheAlignmentAndTheGrain() {
        try (Parallel p = new Parallel(2)) {
            AtomicLong parts = new AtomicLong();
            p.forRange(1000, 100, 64, (from, to) -> {
                assertTrue(from % 64 == 0, "part starts at " + from);
                parts.incrementAndGet();
            });
            assertEquals(2, parts.get());
            parts.set(0);
            p.forRange(150, 100, 1, (from, to) -> parts.incrementAndGet());
            assertEquals(1, parts.get(), "below twice the grain, one part");
        }
    }

    @Test
    void aWorkersFailureReachesTheCallerAndThePoolKeepsWorking() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forRange(1000, 10, 1,
                    (from, to) -> {
                        if (from > 0) {
                            throw new IllegalStateException("boom in the worker's part");
                        }
                    }));
            assertEquals("boom in the worker's part", e.getMessage());
            int[] sum = new int[1];
            p.forRange(1000, 10, 1, (from, to) -> {
                synchronized (sum) {
                    sum[0] += to - from;
                }
            });
            assertEquals(1000, sum[0]);
        }
    }
}
