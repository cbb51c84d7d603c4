package org.neurite.cuda;

import java.io.IOException;
import java.io.InputStream;

/** The kernel families' fatbins, as resources of this jar (built by build-kernels.sh). */
final class CudaModules {
    /** The families, one fatbin each. */
    static final String[] FAMILIES = {"elementwise", "reduce", "loss", "optimizer", "gemm"};
    /** A fatbin file starts with this magic number (little-endian 0xBA55ED50). */
    static final int FATBIN_MAGIC = 0xBA55ED50;

    private CudaModules() {
    }

    /** The fatbin of {@code family}, checked to be one. */
    static byte[] image(String family) {
        String name = family + ".fatbin";
        try (InputStream in = CudaModules.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("cuda: kernel image " + name + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            if (bytes.length < 16 || magic(bytes) != FATBIN_MAGIC) {
                throw new IllegalStateException("cuda: kernel image " + name + " is not a fatbin (" + bytes.length
                        + " bytes)");
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cuda: cannot read kernel image " + name, e);
        }
    }

    static int magic(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}
