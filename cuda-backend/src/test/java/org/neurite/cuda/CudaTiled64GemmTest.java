package org.neurite.cuda;

import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The kernel suite with the tiled GEMM's 64 x 64 tiles forced (`cuda:tiled64`), whatever the size rule picks. */
class CudaTiled64GemmTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        CudaTestSupport.backend().close();   // skips, saying why, without CUDA
        return new CudaBackendProvider().create("tiled64");
    }
}
