package org.neurite.opencl;

import java.util.List;

/**
 * Keeps the JVM's signal handlers in place around OpenCL driver calls that replace them (see
 * {@link SignalChaining}) when the JVM runs without {@code libjsig}: the dispositions of every signal are saved
 * before the driver starts, and those the driver changed are put back after each call that may change them
 * (platform and device discovery, context creation, program builds). Needs the FFM API (JDK 22+) and Linux; on
 * older JDKs {@link #create()} returns null and PoCL stays refused without {@code libjsig}, as before.
 *
 * <p>What it does not cover: a signal the JVM takes on another thread inside the short window of the driver call
 * itself, before the handlers are put back. {@code libjsig} covers that too and stays the first choice where the
 * launch command can be changed.
 */
interface SignalGuard {

    /** Records every signal's current disposition. */
    void save();

    /** Puts back every disposition that changed since {@link #save()}; returns the signals it put back. */
    List<Integer> restore();

    /** The address of the handler now installed for {@code signal} (0 for SIG_DFL, 1 for SIG_IGN). */
    long handler(int signal);

    /** How the JVM's handlers are kept, for the backend's description. */
    String mechanism();

    /**
     * The guard with the handlers as they are now saved, or null where it cannot work (JDK older than 22, not Linux,
     * or the C library's {@code sigaction} unreachable) or is disabled with {@code -Dneurite.opencl.signalGuard=false}.
     */
    static SignalGuard create() {
        if (Runtime.version().feature() < 22
                || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")
                || "false".equalsIgnoreCase(System.getProperty("neurite.opencl.signalGuard"))) {
            return null;
        }
        try {
            return (SignalGuard) Class.forName("org.neurite.opencl.SignalGuardFfm").getDeclaredMethod("open").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.getLogger("org.neurite.opencl").log(System.Logger.Level.DEBUG,
                    "opencl: no signal guard (" + e + "); PoCL needs libjsig");
            return null;
        }
    }
}
