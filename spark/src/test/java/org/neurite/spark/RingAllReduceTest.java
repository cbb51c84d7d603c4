package org.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring on threads of one JVM: sums equal the plain sum, identical on every worker; a dead peer fails in time. */
class RingAllReduceTest {

    @Test
    void everyWorkerEndsWithTheSameSumForAnySizeAndLength() throws Exception {
        for (int workers : new int[] {1, 2, 3, 5}) {
            for (int length : new int[] {1, 2, 7, 1000, 300_001}) {
                SplittableRandom r = new SplittableRandom(workers * 31L + length);
                float[][] data = new float[workers][length];
                double[] expected = new double[length];
                for (int w = 0; w < workers; w++) {
                    for (int i = 0; i < length; i++) {
                        data[w][i] = (float) r.nextDouble(-1, 1);
                        expected[i] += data[w][i];
                    }
                }
                List<float[]> results = run(workers, (ring, w) -> {
                    ring.sum(data[w]);
                    return data[w];
                });
                for (int w = 0; w < workers; w++) {
                    assertArrayEquals(results.get(0), results.get(w), workers + " workers, length " + length);
                }
                for (int i = 0; i < length; i++) {
                    assertEquals(expected[i], results.get(0)[i], 1e-5, "element " + i);
                }
            }
        }
    }

    @Test
    void aDeadPeerFailsTheOthersWithinTheTimeout() throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<RingAllReduce> rings = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                RingAllReduce ring = new RingAllReduce(w, 3, "127.0.0.1", 1500);
                rings.add(ring);
                addresses.add(ring.address());
            }
            List<Future<Object>> f = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int rank = w;
                f.add(pool.submit(() -> {
                    RingAllReduce ring = rings.get(rank);
                    ring.connect(addresses);
                    if (rank == 2) {
                        ring.close();   // dies right after joining
                        return null;
                    }
                    ring.sum(new float[100_000]);
                    return null;
                }));
            }
            int failed = 0;
            for (int w = 0; w < 2; w++) {
                try {
                    f.get(w).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof UncheckedIOException, e.getCause().toString());
                    failed++;
                }
            }
            assertTrue(failed >= 1, "no worker noticed the dead one");
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "took too long");
            rings.forEach(RingAllReduce::close);
        } finally {
            pool.shutdownNow();
        }
    }

    interface Body {
        float[] run(RingAllReduce ring, int rank);
    }

    static List<float[]> run(int workers, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<RingAllReduce> rings = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                RingAllReduce ring = new RingAllReduce(w, workers, "127.0.0.1", 10_000);
                rings.add(ring);
                addresses.add(ring.address());
            }
            List<Future<float[]>> f = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int rank = w;
                f.add(pool.submit(() -> {
                    try (RingAllReduce ring = rings.get(rank)) {
                        ring.connect(addresses);
                        return body.run(ring, rank);
                    }
                }));
            }
            List<float[]> out = new ArrayList<>();
            for (Future<float[]> x : f) {
                out.add(x.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
