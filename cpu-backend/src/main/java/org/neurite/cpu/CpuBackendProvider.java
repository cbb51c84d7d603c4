package org.neurite.cpu;

import org.neurite.tensor.spi.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.spi.BackendProvider;

/** Registers the CPU backend: always available, lowest priority. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability probe() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Availability.available(cores + (cores == 1 ? " core, " : " cores, ")
                + (Simd.available() ? "Vector API " + VectorPath.bits() + "-bit"
                        : "scalar (add --add-modules jdk.incubator.vector for SIMD)"));
    }

    @Override
    public Backend create(String options) {
        return CpuBackend.fromOptions(options);
    }
}
