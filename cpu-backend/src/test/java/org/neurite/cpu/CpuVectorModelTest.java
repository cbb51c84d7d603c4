package org.neurite.cpu;

import org.neurite.nn.ModelConformanceSuite;
import org.neurite.tensor.Backend;

/** The nn stack's suite on the CPU backend's vector path. */
class CpuVectorModelTest extends ModelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).vectorized(true).build();
    }
}
