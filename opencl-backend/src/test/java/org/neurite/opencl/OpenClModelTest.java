package org.neurite.opencl;

import org.neurite.nn.ModelConformanceSuite;
import org.neurite.tensor.Backend;

/** The nn stack's suite (layers, models, callbacks, save and load, gradients) on the OpenCL backend. */
class OpenClModelTest extends ModelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return OpenClTestSupport.backend();
    }
}
