package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;

/**
 * PoCL without libjsig, on JDK 22+: the backend keeps the JVM's signal handlers through {@link SignalGuard}. Runs in
 * its own Surefire execution ({@code opencl-without-libjsig}), in a JVM started without {@code LD_PRELOAD}, where
 * OpenCL was never touched before.
 */
class OpenClSignalGuardTest {
    /** The signals HotSpot handles itself. */
    private static final int[] JVM_SIGNALS = {4, 7, 8, 11, 13, 25, 12, 3, 1, 2, 15};

    @Test
    void poclRunsWithoutLibjsigAndTheJvmKeepsItsHandlers() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 22, "the signal guard needs JDK 22+ (FFM)");
        assertFalse(SignalChaining.active(), "this execution must run without libjsig");
        SignalGuard probe = SignalGuard.create();
        assertNotNull(probe, "no signal guard on JDK " + Runtime.version().feature());
        long[] before = handlers(probe);
        assertTrue(before[3] > 1, "the JVM's SIGSEGV handler should be installed: " + before[3]);

        // The provider finds no libjsig, installs its guard and offers PoCL, whose device start replaces the JVM's
        // handlers (15 signals on Debian's PoCL 3 and 5) and has them put back.
        ClDevice device = OpenClTestSupport.device();
        assertNotNull(SignalChaining.guard(), "the provider should have installed a guard");
        assertArrayEquals(before, handlers(probe), "a handler differs after discovery");
        if (device.platformName().startsWith("Portable Computing Language")) {
            assertFalse(SignalChaining.restorations().isEmpty(),
                    "PoCL replaced no handler: the guard was not exercised (a PoCL that leaves them alone needs no guard;"
                            + " then drop this assertion)");
        }
        System.setProperty("neurite.opencl.cache", "off");    // programs compiled from source: LLVM runs
        try (Backend backend = Backends.create("opencl")) {
            trainSomething(backend);
            assertArrayEquals(before, handlers(probe), "a handler differs after training on " + backend.name());
            System.out.println("[signal guard] put back: " + SignalChaining.restorations());
            assertTrue(backend.name().startsWith("opencl"), backend.name());
        } finally {
            System.clearProperty("neurite.opencl.cache");
        }
        // And the JVM's own uses of SIGSEGV (implicit null checks, safepoint polls) work under load afterwards. (Not a
        // detector of replaced handlers: LLVM's handler passes its first signal on to the one it replaced, so this
        // loop survived even without the guard; the handler comparisons above are the check.)
        assertEquals(4 * 2_000_000L, nullChecksOnFourThreads());
    }

    private static long[] handlers(SignalGuard g) {
        long[] h = new long[JVM_SIGNALS.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = g.handler(JVM_SIGNALS[i]);
        }
        return h;
    }

    private static void trainSomething(Backend backend) {
        SplittableRandom r = new SplittableRandom(2);
        int n = 64;
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[3 * i + j] = (float) r.nextDouble(-1, 1);
            }
            y[i] = x[3 * i] - x[3 * i + 1];
        }
        try (Tensor tx = backend.tensor(x, n, 3);
             Tensor ty = backend.tensor(y, n, 1);
             Sequential model = new Sequential(backend, 3, 1, new Dense(8, "relu"), new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.05f));
            double loss = model.fit(tx, ty, FitOptions.epochs(5).batchSize(16)).last("loss");
            assertTrue(Double.isFinite(loss), "loss " + loss);
        }
    }

    /** Four threads, each taking a NullPointerException per other iteration through compiled code, with GCs between. */
    private static long nullChecksOnFourThreads() throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                String[] values = {"a", null};
                long ok = 0;
                for (int i = 0; i < 2_000_000; i++) {
                    try {
                        ok += values[i & 1].length();
                    } catch (NullPointerException e) {
                        ok++;
                    }
                    if ((i & 0x3ffff) == 0) {
                        System.gc();
                    }
                }
                done.addAndGet(ok);
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        return done.get();
    }
}
