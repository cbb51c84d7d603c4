package org.neurite.cpu;

import org.neurite.nn.FunctionalConformance;
import org.neurite.tensor.Backend;

/** The functional API (Wide & Deep) on the CPU backend. */
class CpuFunctionalTest extends FunctionalConformance {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).build();
    }
}
