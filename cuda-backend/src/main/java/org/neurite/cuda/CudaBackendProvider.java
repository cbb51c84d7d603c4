package org.neurite.cuda;

import java.util.Locale;
import org.neurite.tensor.spi.Availability;
import org.neurite.tensor.Backend;
import org.neurite.tensor.spi.BackendProvider;

/**
 * Registers the CUDA backend: priority 100, above everything. The probe loads the driver once and never
 * throws; without {@code libcuda.so.1}, with a failing {@code cuInit}, a driver too old for the kernels,
 * or no device, {@code cuda} is unavailable with that reason. {@code cuda:N} picks device N; {@code cuda:tiled}
 * and {@code cuda:cublas} pick the GEMM (as {@code -Dneurite.cuda.gemm} does; {@code cuda:tiled64} also the
 * tile size), {@code cuda:1:tiled} both.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        CudaDriver.State s = CudaDriver.state();
        if (!s.available()) {
            return Availability.unavailable(s.failure());
        }
        StringBuilder sb = new StringBuilder(s.devices().size() + (s.devices().size() == 1 ? " device" : " devices")
                + ", driver CUDA " + s.driverVersion() / 1000 + "." + s.driverVersion() % 1000 / 10 + ":");
        for (CudaDriver.Device d : s.devices()) {
            sb.append("\n  ").append(d.describe());
        }
        return Availability.available(sb.toString());
    }

    @Override
    public Backend create(String options) {
        CudaDriver.State s = CudaDriver.state();
        if (!s.available()) {
            throw new IllegalStateException("cuda: " + s.failure());
        }
        Spec spec = Spec.parse(options, System.getProperty("neurite.cuda.gemm", ""));
        return new CudaBackend(s.devices().get(deviceIndex(spec.device(), s.devices().size())), spec.gemm());
    }

    /**
     * A {@code cuda:...} spec's options: the device ("" for 0) and the GEMM ("", "tiled", "tiled32|64|128" or
     * "cublas"; CudaGemm checks it).
     */
    record Spec(String device, String gemm) {
        /** Parses "", "1", "tiled", "1:cublas", ...; {@code gemm} is the GEMM when the options do not say. */
        static Spec parse(String options, String gemm) {
            String device = "";
            for (String part : (options == null ? "" : options).split(":")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("tiled") || p.equals("cublas")) {
                    gemm = p;
                } else if (!p.isEmpty()) {
                    if (!device.isEmpty()) {
                        throw new IllegalArgumentException("cuda: two device indices in '" + options + "'");
                    }
                    device = p;
                }
            }
            return new Spec(device, gemm);
        }
    }

    /** The device of a {@code cuda:N} spec (empty: 0). */
    static int deviceIndex(String options, int count) {
        String o = options == null ? "" : options.trim().toLowerCase(Locale.ROOT);
        if (o.isEmpty()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(o);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cuda: the options are a device index and a GEMM, tiled or cublas (cuda:0,"
                    + " cuda:tiled, cuda:1:cublas), got '" + options + "'");
        }
        if (n < 0 || n >= count) {
            throw new IllegalArgumentException("cuda: no device " + n + "; this machine has " + count
                    + (count == 1 ? " device (cuda:0)" : " devices (cuda:0 .. cuda:" + (count - 1) + ")"));
        }
        return n;
    }
}
