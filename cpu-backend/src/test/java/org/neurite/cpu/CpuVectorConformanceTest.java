package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The whole kernel conformance suite on the CPU backend's vector path, with two threads. */
class CpuVectorConformanceTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).vectorized(true).build();
    }

    @Test
    void runsThePathItClaims() {
        try (CpuBackend b = (CpuBackend) createBackend()) {
            assertEquals(true, b.vectorized(), b.device());
        }
    }
}
