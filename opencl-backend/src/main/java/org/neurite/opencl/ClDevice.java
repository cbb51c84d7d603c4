package org.neurite.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as the ICD loader reports it, with what the backend needs to know about it, and the
 * device selection of the {@code opencl:...} spec.
 */
record ClDevice(int platformIndex, int deviceIndex, cl_platform_id platform, cl_device_id device,
                String platformName, String platformVersion, String name, String driverVersion,
                String deviceVersion, Type type, int computeUnits, long globalMemory, long maxWorkGroupSize) {

    /** The kinds of device the selection knows. */
    enum Type { GPU, ACCELERATOR, CPU, OTHER }

    /** {@code 0:0 Portable Computing Language / pthread-haswell-AMD EPYC (cpu, 2 compute units)} */
    String describe() {
        return platformIndex + ":" + deviceIndex + " " + platformName + " / " + name + " ("
                + type.name().toLowerCase(Locale.ROOT) + ", " + computeUnits + " compute units, "
                + (globalMemory >> 20) + " MiB)";
    }

    /** Every device found, and why the devices of some platforms were left alone. */
    record Discovery(List<ClDevice> devices, List<String> skipped) {
    }

    /** Every device of every platform (signal chaining is assumed: for tests, which preload libjsig). */
    static List<ClDevice> all() {
        return discover(true).devices();
    }

    /**
     * Every device of every platform. Loads JOCL's native library (and through it {@code libOpenCL.so}),
     * so it throws {@link UnsatisfiedLinkError} where that library is missing, and {@link CLException}
     * (CL_PLATFORM_NOT_FOUND_KHR) where the ICD loader finds no platform. Without {@code signalChaining},
     * the devices of platforms that would replace the JVM's signal handlers are not initialized (see
     * {@link SignalChaining}); they are listed in {@link Discovery#skipped()} instead.
     */
    static Discovery discover(boolean signalChaining) {
        List<String> skipped = new ArrayList<>();
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        SignalChaining.afterDriverCall("listing the platforms");
        List<ClDevice> out = new ArrayList<>();
        for (int pi = 0; pi < platforms.length; pi++) {
            cl_platform_id p = platforms[pi];
            String pName = platformString(p, CL_PLATFORM_NAME);
            if (!signalChaining && !SignalChaining.safeWithout(pName)) {
                skipped.add("platform " + pi + " (" + pName + ") replaces the JVM's SIGSEGV handler when its"
                        + " devices start, which crashes the JVM at random; " + SignalChaining.advice());
                continue;
            }
            cl_device_id[] devices;
            try {
                int[] n = new int[1];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                devices = new cl_device_id[n[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                SignalChaining.afterDriverCall("starting " + pName);
            } catch (CLException e) {
                if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            String pVersion = platformString(p, CL_PLATFORM_VERSION);
            for (int di = 0; di < devices.length; di++) {
                cl_device_id d = devices[di];
                long typeBits = deviceLong(d, CL_DEVICE_TYPE);
                Type type = (typeBits & CL_DEVICE_TYPE_GPU) != 0 ? Type.GPU
                        : (typeBits & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? Type.ACCELERATOR
                        : (typeBits & CL_DEVICE_TYPE_CPU) != 0 ? Type.CPU : Type.OTHER;
                out.add(new ClDevice(pi, di, p, d, pName, pVersion, deviceString(d, CL_DEVICE_NAME),
                        deviceString(d, CL_DRIVER_VERSION), deviceString(d, CL_DEVICE_VERSION), type,
                        deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceSize(d, CL_DEVICE_MAX_WORK_GROUP_SIZE)));
            }
        }
        SignalChaining.afterDriverCall("reading the devices");
        return new Discovery(out, skipped);
    }

    /**
     * The device an {@code opencl:...} spec names: empty for the best (a GPU, else an accelerator, else
     * the first), {@code gpu}, {@code cpu}, {@code accelerator}, or {@code P:D} (platform and device index).
     *
     * @throws IllegalArgumentException naming the spec and listing the devices
     */
    static ClDevice select(List<ClDevice> devices, String options) {
        String o = options == null ? "" : options.trim().toLowerCase(Locale.ROOT);
        if (devices.isEmpty()) {
            throw new IllegalStateException("opencl: no OpenCL device found");
        }
        switch (o) {
            case "":
                for (Type t : new Type[] {Type.GPU, Type.ACCELERATOR}) {
                    for (ClDevice d : devices) {
                        if (d.type == t) {
                            return d;
                        }
                    }
                }
                return devices.get(0);
            case "gpu":
            case "cpu":
            case "accelerator":
                Type want = Type.valueOf(o.toUpperCase(Locale.ROOT));
                for (ClDevice d : devices) {
                    if (d.type == want) {
                        return d;
                    }
                }
                throw new IllegalArgumentException("opencl: no " + o + " device; devices:" + list(devices));
            default:
                String[] parts = o.split(":");
                if (parts.length == 2) {
                    try {
                        int p = Integer.parseInt(parts[0].trim());
                        int d = Integer.parseInt(parts[1].trim());
                        for (ClDevice dev : devices) {
                            if (dev.platformIndex == p && dev.deviceIndex == d) {
                                return dev;
                            }
                        }
                        throw new IllegalArgumentException("opencl: no device " + p + ":" + d + "; devices:"
                                + list(devices));
                    } catch (NumberFormatException e) {
                        // fall through to the usage message
                    }
                }
                throw new IllegalArgumentException("opencl: unknown device option '" + options
                        + "' (known: gpu, cpu, accelerator, P:D); devices:" + list(devices));
        }
    }

    static String list(List<ClDevice> devices) {
        StringBuilder sb = new StringBuilder();
        for (ClDevice d : devices) {
            sb.append("\n  ").append(d.describe());
        }
        return sb.toString();
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }
}
