package org.neurite.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backend;
import org.neurite.tensor.conformance.KernelConformanceSuite;

/** The whole kernel conformance suite on the CPU backend's scalar path, with two threads. */
class CpuScalarConformanceTest extends KernelConformanceSuite {
    @Override
    protected Backend createBackend() {
        return CpuBackend.builder().threads(2).vectorized(false).build();
    }

    @Test
    void runsThePathItClaims() {
        try (CpuBackend b = (CpuBackend) createBackend()) {
            assertEquals(false, b.vectorized(), b.device());
        }
    }
}
