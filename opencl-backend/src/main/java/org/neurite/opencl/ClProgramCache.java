package org.neurite.opencl;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.neurite.io.AtomicFiles;

/**
 * Builds the kernel families from their {@code .cl} resources ({@code common.cl} prepended), and caches
 * the built binaries on disk, keyed by a SHA-256 of the platform, device, driver, build options and
 * source: PoCL's first build of a family costs about half a second, loading its binary a few
 * milliseconds. A corrupt or stale entry is rebuilt from source; a cache directory that cannot be
 * written is simply not used.
 *
 * <p>Directory: property {@code neurite.opencl.cache}, else {@code $XDG_CACHE_HOME/neurite/opencl}, else
 * {@code ~/.cache/neurite/opencl}; {@code -Dneurite.opencl.cache=off} disables it.
 */
final class ClProgramCache {
    private static final System.Logger LOG = System.getLogger("org.neurite.opencl");

    private final Path directory;
    private int builtFromSource;

    ClProgramCache(Path directory) {
        this.directory = directory;
    }

    static ClProgramCache fromProperties() {
        String p = System.getProperty("neurite.opencl.cache");
        if (p != null && (p.equalsIgnoreCase("off") || p.isBlank())) {
            return new ClProgramCache(null);
        }
        if (p != null) {
            return new ClProgramCache(Path.of(p));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ClProgramCache(base.resolve("neurite").resolve("opencl"));
    }

    /** The cache directory, or null when caching is off. */
    Path directory() {
        return directory;
    }

    /** Programs built from source so far (the rest came from the cache). */
    int builtFromSource() {
        return builtFromSource;
    }

    /** The source of a family: common.cl followed by {@code family}.cl. */
    static String source(String family) {
        return resource("common.cl") + "\n" + resource(family + ".cl");
    }

    private static String resource(String name) {
        try (InputStream in = org.neurite.tensor.device.DeviceKernels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("opencl: cannot read kernel source " + name, e);
        }
    }

    /** A built program for {@code device}: from the disk cache when it holds a good binary, else from source. */
    cl_program build(cl_context context, ClDevice device, String family, String source, String options) {
        String key = key(device, options, source);
        Path file = directory == null ? null : directory.resolve(family + "-" + key + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            try {
                byte[] binary = Files.readAllBytes(file);
                cl_program program = fromBinary(context, device.device(), binary, options);
                if (program != null) {
                    return program;
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "opencl: cached binary " + file + " unusable, rebuilding: " + e);
            }
        }
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.device()}, options, null, null);
            SignalChaining.afterDriverCall("building " + family + ".cl");
        } catch (CLException e) {
            SignalChaining.afterDriverCall("building " + family + ".cl");
            String log = buildLog(program, device.device());
            clReleaseProgram(program);
            throw new IllegalStateException("opencl: building " + family + ".cl for " + device.name() + " failed ("
                    + e.getMessage() + "):\n" + log, e);
        }
        builtFromSource++;
        if (file != null) {
            store(file, binaryOf(program));
        }
        return program;
    }

    private static cl_program fromBinary(cl_context context, cl_device_id device, byte[] binary, String options) {
        int[] binaryStatus = new int[1];
        int[] err = new int[1];
        cl_program program;
        try {
            program = clCreateProgramWithBinary(context, 1, new cl_device_id[] {device},
                    new long[] {binary.length}, new byte[][] {binary}, binaryStatus, err);
        } catch (CLException e) {
            return null;
        }
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
            SignalChaining.afterDriverCall("loading a cached program");
            return program;
        } catch (CLException e) {
            SignalChaining.afterDriverCall("loading a cached program");
            clReleaseProgram(program);
            return null;
        }
    }

    private static byte[] binaryOf(cl_program program) {
        long[] sizes = new long[1];
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null);
        byte[] binary = new byte[(int) sizes[0]];
        clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
    }

    private static void store(Path file, byte[] binary) {
        if (binary.length == 0) {
            return;
        }
        try {
            AtomicFiles.write(file, binary);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "opencl: not caching the program binary in " + file + ": " + e);
        }
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            return new String(buf, StandardCharsets.UTF_8).trim();
        } catch (RuntimeException e) {
            return "(no build log: " + e + ")";
        }
    }

    static String key(ClDevice device, String options, String source) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {device.platformName(), device.platformVersion(), device.name(),
                device.driverVersion(), device.deviceVersion(), options, source}) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
