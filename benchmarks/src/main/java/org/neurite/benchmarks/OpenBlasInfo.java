package org.neurite.benchmarks;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Loads OpenBLAS as the benchmark's forks do and prints the environment variables that force its kernel choice. Run
 * with {@code OPENBLAS_VERBOSE=2}, OpenBLAS itself prints the kernel it chose ({@code Core: SkylakeX}): the JavaCPP
 * binding does not expose {@code openblas_get_corename()}. {@code benchmarks/gemm.sh} runs it so in the OpenBLAS
 * forks' environment.
 */
public final class OpenBlasInfo {
    private OpenBlasInfo() {
    }

    public static void main(String[] args) {
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(1);
        System.out.println("OpenBLAS " + openblas.OPENBLAS_VERSION.trim() + ": OPENBLAS_CORETYPE="
                + System.getenv("OPENBLAS_CORETYPE") + ", OPENBLAS_L2_SIZE=" + System.getenv("OPENBLAS_L2_SIZE")
                + ", OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS"));
    }
}
