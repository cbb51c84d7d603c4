package org.neurite.cuda;

import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The whole kernel conformance suite on CUDA device 0 (skipped, saying why, where there is none). */
class CudaConformanceTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
