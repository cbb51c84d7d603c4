package org.neurite.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The one door to the Vector API classes. Nothing else names them, so that without
 * {@code jdk.incubator.vector} in the JVM none of them is ever loaded: callers reach this class only
 * after {@link Simd#available()} said yes.
 */
final class VectorPath {
    private VectorPath() {
    }

    /**
     * The micro-kernel {@code shape} names, else the one {@code -Dneurite.cpu.kernel} names, else the one for this
     * machine's register file.
     */
    static MicroKernel microKernel(String shape) {
        return VectorMicroKernels.choose(shape != null ? shape : System.getProperty("neurite.cpu.kernel"), bits());
    }

    static ElementOps elementOps() {
        return new VectorOps();
    }

    /** Width of the preferred float vector. */
    static int bits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
