package org.neurite.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether the JVM's signal handlers are protected from native libraries. HotSpot uses SIGSEGV for its own
 * purposes (safepoint polls, implicit null checks): a library that installs its own SIGSEGV handler
 * breaks it. PoCL does, when it initializes its CPU device: it has LLVM install LLVM's crash handlers,
 * which reset themselves to the default action on first use, so the next time two threads reach a
 * safepoint together the JVM dies with exit code 139 and no error report (seen here in about half of the
 * JMH forks that merely probed OpenCL before running CPU GEMMs).
 *
 * <p>HotSpot's remedy is signal chaining: preloading {@code libjsig.so}, shipped with every JDK, keeps the
 * JVM's handlers in place and calls the library's for signals that are not the JVM's:
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java ...}. The build, {@code examples/run.sh} and the
 * benchmark scripts set it. Where it is not set (Spark executors, application servers, IDE launches), JDK 22 and
 * newer keep the handlers with a {@link SignalGuard} instead: saved before the driver starts, put back after each
 * driver call that may replace them ({@link #afterDriverCall}).
 */
final class SignalChaining {
    private SignalChaining() {
    }

    private static volatile SignalGuard guard;
    /** What the guard put back, "call: [signals]", for the logs and tests. */
    private static final java.util.List<String> RESTORED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Installs the guard that {@link #afterDriverCall} uses (null: none, libjsig or a safe platform). */
    static void guard(SignalGuard g) {
        guard = g;
    }

    /** The guard in use, or null. */
    static SignalGuard guard() {
        return guard;
    }

    /**
     * After an OpenCL call that may have started a driver's code (discovery, context creation, program builds):
     * puts back the JVM's handlers a driver replaced, when a guard is in use.
     */
    static void afterDriverCall(String what) {
        SignalGuard g = guard;
        if (g != null) {
            java.util.List<Integer> restored = g.restore();
            if (!restored.isEmpty()) {
                RESTORED.add(what + ": " + restored);
                System.getLogger("org.neurite.opencl").log(System.Logger.Level.DEBUG,
                        "opencl: " + what + " replaced the handlers of signals " + restored + "; the JVM's are back");
            }
        }
    }

    /** Every time the guard put handlers back: which driver call had replaced which signals. */
    static java.util.List<String> restorations() {
        return java.util.List.copyOf(RESTORED);
    }

    /** Whether libjsig is loaded in this process (Linux: read from /proc/self/maps). */
    static boolean active() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(l -> l.endsWith("/libjsig.so"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The command-line advice for this JVM. */
    static String advice() {
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        return "run the JVM with LD_PRELOAD=" + jsig + " (signal chaining)"
                + (Runtime.version().feature() < 22
                        ? ", or on JDK 22 or newer, which keeps the handlers through the FFM API" : "");
    }

    /**
     * Whether initializing {@code platformName}'s devices is known to leave the JVM's signal handlers
     * alone. NVIDIA's driver does; PoCL does not, and other LLVM-based implementations may not either, so
     * they are only touched under signal chaining.
     */
    static boolean safeWithout(String platformName) {
        return platformName.startsWith("NVIDIA");
    }
}
