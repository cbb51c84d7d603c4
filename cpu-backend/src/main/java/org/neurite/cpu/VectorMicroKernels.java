package org.neurite.cpu;

import java.util.Locale;

/**
 * The micro-kernel shapes, chosen from the register file as BLIS chooses per architecture: {@code 4x2} (4 rows x 2
 * vectors, 8 accumulators) where vectors are narrower than 512 bits (AVX2's 16 registers leave no room for more, and
 * JDK 25's C2 spilled a 6x2 there), a taller tile on AVX-512's 32 registers, where 8 accumulators are exactly the
 * minimum two 4-cycle FMA units need in flight and any load or broadcast stall shows. {@code -Dneurite.cpu.kernel=4x2}
 * (or {@code 6x2}, {@code 8x2}, {@code 12x2}: BLIS's 24-accumulator shape) picks one by hand, so that every shape can
 * be measured on any machine. The classes come from {@code cpu-backend/src/gen/microkernels.py}.
 */
final class VectorMicroKernels {
    /** The default height on 512-bit vectors (see the README's GEMM figures for the measurements behind it). */
    static final String WIDE_DEFAULT = "8x2";

    private VectorMicroKernels() {
    }

    static MicroKernel choose(String property, int vectorBits) {
        String shape = property != null && !property.isBlank() ? property.trim().toLowerCase(Locale.ROOT)
                : vectorBits >= 512 ? WIDE_DEFAULT : "4x2";
        return switch (shape) {
            case "4x2" -> new VectorMicroKernel4x2();
            case "6x2" -> new VectorMicroKernel6x2();
            case "8x2" -> new VectorMicroKernel8x2();
            case "12x2" -> new VectorMicroKernel12x2();
            default -> throw new IllegalArgumentException("neurite.cpu.kernel: unknown micro-kernel '" + property
                    + "' (4x2, 6x2, 8x2 or 12x2)");
        };
    }
}
