package org.neurite.cuda;

import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The kernel suite with the tiled GEMM's 32 x 32 tiles forced (`cuda:tiled32`), whatever the size rule picks. */
class CudaTiled32GemmTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        CudaTestSupport.backend().close();   // skips, saying why, without CUDA
        return new CudaBackendProvider().create("tiled32");
    }
}
