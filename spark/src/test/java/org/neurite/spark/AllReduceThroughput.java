package org.neurite.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A plain benchmark of {@link RingAllReduce} on loopback: N workers (threads of one JVM), arrays of a given size,
 * time per all-reduce and bandwidth. Run after {@code mvn -pl spark test-compile}:
 * <pre>{@code
 * java -cp spark/target/classes:spark/target/test-classes:core/target/classes org.neurite.spark.AllReduceThroughput \
 *     2 266610 50      # workers, floats (266,610: the textbook MLP's parameters), repetitions
 * }</pre>
 */
public final class AllReduceThroughput {
    private AllReduceThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int workers = Integer.parseInt(args[0]);
        int floats = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<RingAllReduce> rings = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                RingAllReduce r = new RingAllReduce(w, workers, "127.0.0.1", 60_000);
                rings.add(r);
                addresses.add(r.address());
            }
            List<Future<Double>> f = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int rank = w;
                f.add(pool.submit(() -> {
                    try (RingAllReduce r = rings.get(rank)) {
                        r.connect(addresses);
                        float[] x = new float[floats];
                        for (int i = 0; i < 3; i++) {
                            r.sum(x);
                        }
                        long t = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            r.sum(x);
                        }
                        return (System.nanoTime() - t) / 1e9 / reps;
                    }
                }));
            }
            double seconds = 0;
            for (Future<Double> x : f) {
                seconds = Math.max(seconds, x.get());
            }
            double bytes = 4.0 * floats;
            System.out.printf(Locale.ROOT, "%d workers, %d floats (%.1f MB): %.2f ms per all-reduce; %.2f GB/s of array,"
                    + " %.2f GB/s sent per worker (2(N-1)/N x size)%n", workers, floats, bytes / 1e6, seconds * 1e3,
                    bytes / seconds / 1e9, 2.0 * (workers - 1) / workers * bytes / seconds / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
