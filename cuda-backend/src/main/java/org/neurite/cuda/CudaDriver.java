package org.neurite.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA driver as the probe finds it: loaded once per JVM, since a failed load of JCuda's native
 * library leaves JCudaDriver unusable for good ({@link UnsatisfiedLinkError} first, then
 * {@link NoClassDefFoundError}). Never throws: every failure becomes the reason in the result.
 */
final class CudaDriver {
    /**
     * The kernels are compiled by nvcc 13: their SASS and PTX (ISA 9.0) need a driver of the CUDA 13 era
     * (r580, which reports 13000).
     */
    static final int MIN_DRIVER_VERSION = 13000;

    /** One device. */
    record Device(int ordinal, String name, int major, int minor, long memory, int multiprocessors) {
        String describe() {
            return ordinal + ": " + name + " (sm_" + major + minor + ", " + multiprocessors + " SMs, " + (memory >> 20)
                    + " MiB)";
        }
    }

    /** What the probe found: the devices and the driver version, or why CUDA cannot run. */
    record State(List<Device> devices, int driverVersion, String failure) {
        boolean available() {
            return failure == null;
        }
    }

    private static volatile State state;

    private CudaDriver() {
    }

    static State state() {
        State s = state;
        if (s == null) {
            synchronized (CudaDriver.class) {
                s = state;
                if (s == null) {
                    s = load();
                    state = s;
                }
            }
        }
        return s;
    }

    private static State load() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] version = new int[1];
            cuDriverGetVersion(version);
            String tooOld = checkDriverVersion(version[0]);
            if (tooOld != null) {
                return new State(List.of(), version[0], tooOld);
            }
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new State(List.of(), version[0], "the CUDA driver reports no device");
            }
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice d = new CUdevice();
                cuDeviceGet(d, i);
                byte[] name = new byte[256];
                cuDeviceGetName(name, name.length, d);
                long[] mem = new long[1];
                cuDeviceTotalMem(mem, d);
                devices.add(new Device(i, cString(name), attribute(d,
                        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                        attribute(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), mem[0],
                        attribute(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)));
            }
            return new State(List.copyOf(devices), version[0], null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new State(List.of(), 0, "cannot load the CUDA driver library libcuda.so.1 (it comes with the NVIDIA"
                    + " driver): " + rootMessage(e));
        } catch (CudaException e) {
            return new State(List.of(), 0, "cuInit failed: " + e.getMessage());
        } catch (Throwable t) {
            return new State(List.of(), 0, "CUDA probe failed: " + t);
        }
    }

    /**
     * One line saying why a native library did not load. JCuda's UnsatisfiedLinkError carries a whole report
     * (OS, architecture, every attempt's stack trace) in its message; the useful part is the loader's
     * "libcuda.so.1: cannot open shared object file" line (or libcublas.so.12's), when there is one, else
     * the first line.
     */
    static String rootMessage(Throwable t) {
        String all = t.getMessage() == null ? t.toString() : t.getMessage();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            all += "\n" + c.getMessage();
        }
        for (String line : all.split("\\R")) {
            int at = line.indexOf(": cannot open shared object");
            if (at > 0) {
                int from = line.lastIndexOf(": ", at - 1);
                return line.substring(from < 0 ? 0 : from + 2).trim();
            }
        }
        String first = all.lines().findFirst().orElse(all).trim();
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }

    /** Null when {@code version} (as cuDriverGetVersion reports it) can run the kernels, else why not. */
    static String checkDriverVersion(int version) {
        if (version >= MIN_DRIVER_VERSION) {
            return null;
        }
        return "the NVIDIA driver supports CUDA " + version / 1000 + "." + version % 1000 / 10
                + ", but the kernels are built with CUDA 13 and need driver r580 or newer (CUDA 13.0)";
    }

    private static int attribute(CUdevice d, int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, d);
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
