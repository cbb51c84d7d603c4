package org.neurite.cuda;

import org.neurite.tensor.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.BackendProvider;

/**
 * Registers the cuda backend so that it shows in the backend table. Its kernels are not written yet,
 * so the probe says so instead of pretending.
 */
public final class CudaBackendProvider implements BackendProvider {
    static final String REASON = "the CUDA backend (JCuda) is not built yet; see the CUDA issue";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend create(String options) {
        throw new IllegalStateException("cuda: " + REASON);
    }
}
