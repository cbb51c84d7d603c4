package org.neurite.cpu;

import org.neurite.nn.CallbackConformance;
import org.neurite.tensor.Backend;

/** Callbacks, schedules and the range test on the CPU backend. */
class CpuCallbackTest extends CallbackConformance {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).build();
    }
}
