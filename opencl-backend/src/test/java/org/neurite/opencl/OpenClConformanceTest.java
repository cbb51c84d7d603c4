package org.neurite.opencl;

import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The whole kernel conformance suite on the OpenCL backend, with the GEMM kernel the device's table picks. */
class OpenClConformanceTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return OpenClTestSupport.backend();
    }
}
