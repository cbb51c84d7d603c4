package org.neurite.tensor.spi;

import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

import java.lang.ref.Cleaner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For backend authors: the lifetime of every tensor of one backend instance, so that all backends keep the
 * same contract. A backend creates one, passes it with each tensor's free action to {@link Tensor}'s
 * constructor, calls {@link #drain()} where it allocates and {@link #closeAll()} first thing in its
 * {@code close()}.
 *
 * <ul>
 *   <li>{@link Tensor#close()} runs the free action at once (the documented way; {@link TensorScope} does it).
 *   <li>Closing the backend frees every tensor still open; using one afterwards throws an
 *       {@link IllegalStateException} saying its backend was closed, and closing it is a no-op.
 *   <li>The safety net: a tensor that becomes unreachable while open is found by a {@link Cleaner}; its free
 *       action then runs on the backend's next allocation, {@code liveBytes()} or close (on the backend's own
 *       threads, never the cleaner's, since device frees may need the device context), and the leak is logged:
 *       once per backend, or, with {@code -Dneurite.leakDetection=paranoid} (which records a stack trace per
 *       allocation), once per allocation site, as Netty's leak detector does.
 * </ul>
 * The free action must not refer to the tensor (or the tensor would never become unreachable).
 */
public final class TensorLifetimes {
    private static final System.Logger LOG = System.getLogger("org.neurite.tensor");
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "neurite-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final boolean PARANOID = "paranoid".equalsIgnoreCase(System.getProperty("neurite.leakDetection", ""));

    private final String backendName;
    private final Set<Entry> live = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Entry> leaked = new ConcurrentLinkedQueue<>();
    private final Set<String> reportedSites = ConcurrentHashMap.newKeySet();
    private final AtomicLong leaks = new AtomicLong();

    /** Lifetimes of the tensors of a backend named {@code backendName} (in messages). */
    public TensorLifetimes(String backendName) {
        this.backendName = backendName;
    }

    /** Tensors found unreachable without {@code close()} so far. */
    public long leaks() {
        return leaks.get();
    }

    /** Tensors open now. */
    public int open() {
        return live.size();
    }

    /**
     * Called by {@link Tensor}'s constructor: tracks {@code tensor}, whose storage {@code free} releases exactly
     * once. Backends do not call it themselves.
     */
    public Entry register(Tensor tensor, Runnable free) {
        Entry e = new Entry(this, free, tensor.shape().toString(), PARANOID ? new Throwable("allocated here") : null);
        live.add(e);
        e.cleanable = CLEANER.register(tensor, e);
        return e;
    }

    /** Frees the tensors the safety net found unreachable; backends call it where they allocate. */
    public void drain() {
        for (Entry e; (e = leaked.poll()) != null; ) {
            if (live.remove(e)) {
                e.free.run();
                report(e);
            }
        }
    }

    /** Frees every tensor still open (and those found leaked); backends call it first in {@code close()}. */
    public void closeAll() {
        drain();
        for (Entry e : live) {
            if (e.state.compareAndSet(Entry.OPEN, Entry.BACKEND_CLOSED)) {
                live.remove(e);
                e.free.run();
                e.cleanable.clean();
            }
        }
    }

    private void report(Entry e) {
        long n = leaks.incrementAndGet();
        if (e.site != null) {
            String site = siteOf(e.site);
            if (reportedSites.add(site)) {
                LOG.log(System.Logger.Level.WARNING, "a tensor " + e.shape + " on " + backendName + " was garbage-"
                        + "collected without close(); freed it. Allocated at:" + site);
            }
        } else if (n == 1) {
            LOG.log(System.Logger.Level.WARNING, "a tensor " + e.shape + " on " + backendName + " was garbage-collected "
                    + "without close(); freed it (logged once per backend; run with -Dneurite.leakDetection=paranoid to "
                    + "see where each leaked tensor was allocated). Close tensors, or allocate them in a TensorScope.");
        }
    }

    private static String siteOf(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("org.neurite.tensor.") || c.startsWith("org.neurite.cpu.") || c.startsWith("org.neurite.opencl.")
                    || c.startsWith("org.neurite.cuda.")) {
                continue;   // the allocation machinery: the site is the first caller outside it
            }
            sb.append("\n\tat ").append(f);
            if (++shown == 4) {
                break;
            }
        }
        return sb.toString();
    }

    /** One tensor's lifetime, held by the tensor; the cleaner's action. Holds no reference to the tensor. */
    public static final class Entry implements Runnable {
        static final int OPEN = 0;
        static final int CLOSED = 1;
        static final int BACKEND_CLOSED = 2;
        static final int LEAKED = 3;

        final TensorLifetimes owner;
        final Runnable free;
        final String shape;
        final Throwable site;
        final AtomicInteger state = new AtomicInteger(OPEN);
        Cleaner.Cleanable cleanable;

        Entry(TensorLifetimes owner, Runnable free, String shape, Throwable site) {
            this.owner = owner;
            this.free = free;
            this.shape = shape;
            this.site = site;
        }

        /** An explicit close: frees now. False if the backend already freed it. */
        public boolean close() {
            if (!state.compareAndSet(OPEN, CLOSED)) {
                return false;
            }
            owner.live.remove(this);
            free.run();
            cleanable.clean();
            return true;
        }

        /** Whether the backend's close freed it. */
        public boolean backendClosed() {
            return state.get() == BACKEND_CLOSED;
        }

        /** The cleaner: the tensor is unreachable. Still open means leaked: queue it for the backend to free. */
        @Override
        public void run() {
            if (state.compareAndSet(OPEN, LEAKED)) {
                owner.leaked.add(this);
            }
        }
    }
}
