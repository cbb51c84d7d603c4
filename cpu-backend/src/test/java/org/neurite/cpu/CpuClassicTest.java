package org.neurite.cpu;

import org.neurite.classic.ClassicConformance;
import org.neurite.tensor.Backend;

/** Threshold logic units, perceptron and Hebb on the CPU backend. */
class CpuClassicTest extends ClassicConformance {
    @Override
    protected Backend createBackend() {
        return CpuBackend.create();
    }
}
