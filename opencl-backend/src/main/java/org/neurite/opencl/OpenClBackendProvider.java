package org.neurite.opencl;

import java.util.List;
import org.neurite.tensor.spi.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.spi.BackendProvider;

/**
 * Registers the OpenCL backend. The probe loads JOCL and asks the ICD loader for devices once, and never
 * throws: a missing {@code libOpenCL.so}, no platform, or no device each come back as "unavailable" with
 * that reason.
 *
 * <p>Devices of platforms that would replace the JVM's signal handlers (PoCL) are only used when the JVM
 * runs with signal chaining ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}); otherwise the probe says so
 * and leaves them uninitialized. See {@link SignalChaining}.
 *
 * <p>Priority: 50 (above the CPU backend) when a GPU or accelerator is present; an OpenCL that only
 * offers CPU devices (PoCL) ranks below the native CPU backend, so that {@code auto} does not trade the
 * pure-Java kernels for the same cores behind a driver. Ask for it by name: {@code opencl}.
 */
public final class OpenClBackendProvider implements BackendProvider {
    private static volatile Probe cached;

    /** What one probe found: the devices, or why there are none. */
    private record Probe(List<ClDevice> devices, Availability availability) {
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        Probe p = probeOnce();
        if (p.devices != null) {
            for (ClDevice d : p.devices) {
                if (d.type() == ClDevice.Type.GPU || d.type() == ClDevice.Type.ACCELERATOR) {
                    return 50;
                }
            }
        }
        return -10;
    }

    @Override
    public Availability probe() {
        return probeOnce().availability;
    }

    @Override
    public Backend create(String options) {
        Probe p = probeOnce();
        if (!p.availability.available()) {
            throw new IllegalStateException("opencl: " + p.availability.detail());
        }
        return new OpenClBackend(ClDevice.select(p.devices, options));
    }

    private static Probe probeOnce() {
        Probe p = cached;
        if (p == null) {
            synchronized (OpenClBackendProvider.class) {
                p = cached;
                if (p == null) {
                    p = runProbe();
                    cached = p;
                }
            }
        }
        return p;
    }

    private static Probe runProbe() {
        if (OpenClLibrary.locate().isEmpty()) {
            // Not JOCL's dlopen: it would print its own failure to stdout, which nothing can silence.
            return new Probe(null, Availability.unavailable("no OpenCL library: " + OpenClLibrary.NAME + " is not in"
                    + " LD_LIBRARY_PATH, the loader's cache or " + OpenClLibrary.DEFAULT_DIRS.get(3) + " and the like (on"
                    + " Debian/Ubuntu install ocl-icd-opencl-dev and a driver such as pocl-opencl-icd)"));
        }
        try {
            boolean chaining = SignalChaining.active();
            // Without libjsig, JDK 22+ keeps the JVM's handlers around the driver's calls instead (SignalGuard).
            SignalGuard guard = chaining ? null : SignalGuard.create();
            SignalChaining.guard(guard);
            ClDevice.Discovery found = ClDevice.discover(chaining || guard != null);
            List<ClDevice> devices = found.devices();
            if (devices.isEmpty()) {
                return new Probe(null, Availability.unavailable(found.skipped().isEmpty()
                        ? "OpenCL platforms found, but no device" : String.join("; ", found.skipped())));
            }
            String skipped = found.skipped().isEmpty() ? "" : "\n  (not used: " + String.join("; ", found.skipped()) + ")";
            return new Probe(devices, Availability.available(devices.size() + (devices.size() == 1 ? " device:" : " devices:")
                    + ClDevice.list(devices) + skipped));
        } catch (UnsatisfiedLinkError e) {
            return new Probe(null, Availability.unavailable("cannot load the OpenCL library (JOCL looks for libOpenCL.so;"
                    + " on Debian/Ubuntu install ocl-icd-opencl-dev and a driver such as pocl-opencl-icd): "
                    + e.getMessage()));
        } catch (org.jocl.CLException e) {
            return new Probe(null, Availability.unavailable(e.getStatus() == -1001
                    ? "no OpenCL platform installed (the ICD loader found no driver; e.g. apt-get install pocl-opencl-icd)"
                    : "OpenCL error while listing devices: " + e.getMessage()));
        } catch (Throwable t) {
            return new Probe(null, Availability.unavailable("OpenCL probe failed: " + t));
        }
    }
}
