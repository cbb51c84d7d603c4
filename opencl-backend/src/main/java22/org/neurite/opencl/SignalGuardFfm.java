package org.neurite.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SignalGuard} through the FFM API (JDK 22+): {@code sigaction(2)} from the C library saves every signal's
 * disposition and puts back those a driver changed. The {@code struct sigaction} is handled as opaque bytes (152 on
 * glibc for x86-64 and AArch64; 256 are reserved), zeroed before every read, and compared by its first field, the
 * handler's address.
 */
final class SignalGuardFfm implements SignalGuard {
    /** Signals 1 to 31 but SIGKILL (9) and SIGSTOP (19), whose dispositions cannot be read or changed. */
    private static final int[] SIGNALS = signals();
    private static final long STRUCT_BYTES = 256;

    private final MethodHandle sigaction;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment saved;

    private SignalGuardFfm(MethodHandle sigaction) {
        this.sigaction = sigaction;
        this.saved = arena.allocate(STRUCT_BYTES * 32, 16);
    }

    /** Called reflectively by {@link SignalGuard#create()}; throws when the C library's sigaction cannot be bound. */
    static SignalGuard open() {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("sigaction")
                .orElseThrow(() -> new IllegalStateException("sigaction not found in the C library"));
        MethodHandle h = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        SignalGuardFfm guard = new SignalGuardFfm(h);
        guard.save();
        return guard;
    }

    @Override
    public void save() {
        for (int sig : SIGNALS) {
            MemorySegment slot = slot(sig);
            slot.fill((byte) 0);
            call(sig, MemorySegment.NULL, slot);
        }
    }

    @Override
    public List<Integer> restore() {
        List<Integer> restored = new ArrayList<>();
        MemorySegment now = arena.allocate(STRUCT_BYTES, 16);
        for (int sig : SIGNALS) {
            now.fill((byte) 0);
            call(sig, MemorySegment.NULL, now);
            MemorySegment slot = slot(sig);
            if (now.get(ValueLayout.JAVA_LONG, 0) != slot.get(ValueLayout.JAVA_LONG, 0)) {
                call(sig, slot, MemorySegment.NULL);
                restored.add(sig);
            }
        }
        return restored;
    }

    @Override
    public long handler(int signal) {
        MemorySegment now = arena.allocate(STRUCT_BYTES, 16);
        call(signal, MemorySegment.NULL, now);
        return now.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public String mechanism() {
        return "the JVM's signal handlers saved before the OpenCL driver starts and put back after (FFM sigaction)";
    }

    private MemorySegment slot(int sig) {
        return saved.asSlice(STRUCT_BYTES * sig, STRUCT_BYTES);
    }

    private void call(int sig, MemorySegment act, MemorySegment old) {
        int rc;
        try {
            rc = (int) sigaction.invokeExact(sig, act, old);
        } catch (Throwable t) {
            throw new IllegalStateException("sigaction(" + sig + "): " + t, t);
        }
        if (rc != 0) {
            throw new IllegalStateException("sigaction(" + sig + ") failed");
        }
    }

    private static int[] signals() {
        int[] s = new int[29];
        int n = 0;
        for (int sig = 1; sig <= 31; sig++) {
            if (sig != 9 && sig != 19) {
                s[n++] = sig;
            }
        }
        return s;
    }
}
