package org.neurite.cpu;

import org.neurite.nn.SaveLoadConformance;
import org.neurite.tensor.Backend;

/** Model files on the CPU backend. */
class CpuSaveLoadTest extends SaveLoadConformance {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).build();
    }
}
