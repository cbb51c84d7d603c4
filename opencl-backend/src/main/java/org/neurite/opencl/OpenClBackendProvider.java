package org.neurite.opencl;

import org.neurite.tensor.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.BackendProvider;

/**
 * Registers the opencl backend so that it shows in the backend table. Its kernels are not written yet,
 * so the probe says so instead of pretending.
 */
public final class OpenClBackendProvider implements BackendProvider {
    static final String REASON = "the OpenCL backend (JOCL) is not built yet; see the OpenCL issue";

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend create(String options) {
        throw new IllegalStateException("opencl: " + REASON);
    }
}
