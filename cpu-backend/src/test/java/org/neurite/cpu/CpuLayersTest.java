package org.neurite.cpu;

import org.neurite.nn.LayersConformance;
import org.neurite.tensor.Backend;

/** Dropout, Flatten, clipping, checkpoints and random search on the CPU backend. */
class CpuLayersTest extends LayersConformance {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).build();
    }
}
