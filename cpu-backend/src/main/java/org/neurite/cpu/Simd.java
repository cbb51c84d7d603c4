package org.neurite.cpu;

/**
 * Whether the Vector API ({@code jdk.incubator.vector}) is in this JVM. It is an incubator module, so the
 * JVM only has it with {@code --add-modules jdk.incubator.vector}; without it the CPU backend runs its
 * scalar kernels and says once how to get the fast ones.
 */
final class Simd {
    private static final System.Logger LOG = System.getLogger("org.neurite.cpu");
    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static volatile boolean hinted;

    private Simd() {
    }

    /** The module is loaded and not switched off with {@code -Dneurite.cpu.simd=false}. */
    static boolean available() {
        return PRESENT && !"false".equalsIgnoreCase(System.getProperty("neurite.cpu.simd"));
    }

    /** Logs, once per JVM, how to enable the vectorized kernels. */
    static void hintOnce() {
        if (!hinted && !PRESENT) {
            hinted = true;
            LOG.log(System.Logger.Level.WARNING, "neurite: Vector API not in this JVM, CPU kernels run scalar and "
                    + "much slower; add --add-modules jdk.incubator.vector to the java command for the fast path");
        }
    }
}
