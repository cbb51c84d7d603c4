package org.neurite.cuda;

import org.neurite.nn.ModelConformanceSuite;
import org.neurite.tensor.Backend;

/** The nn stack's suite on CUDA device 0 (skipped, saying why, where there is none). */
class CudaModelTest extends ModelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
