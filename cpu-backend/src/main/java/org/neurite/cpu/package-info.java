/**
 * The pure-Java backend. {@link org.neurite.cpu.CpuBackend} is the entry point; everything else is
 * package-private: {@code Gemm} (packing and blocking) over a {@code MicroKernel}, {@code ElementOps} for
 * the elementwise loops, each in a scalar form and a Vector API form reached only through
 * {@code VectorPath}.
 */
package org.neurite.cpu;
