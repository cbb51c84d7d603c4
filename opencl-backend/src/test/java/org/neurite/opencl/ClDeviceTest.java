package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Device selection from the spec's options, on made-up device lists (no OpenCL needed). */
class ClDeviceTest {
    private static ClDevice dev(int p, int d, ClDevice.Type type, String name) {
        return new ClDevice(p, d, null, null, "Platform" + p, "OpenCL 3.0", name, "1.0", "OpenCL 3.0", type, 4,
                1L << 30, 1024);
    }

    private final ClDevice cpu = dev(0, 0, ClDevice.Type.CPU, "some cpu");
    private final ClDevice gpu = dev(1, 0, ClDevice.Type.GPU, "some gpu");
    private final ClDevice gpu2 = dev(1, 1, ClDevice.Type.GPU, "another gpu");
    private final List<ClDevice> devices = List.of(cpu, gpu, gpu2);

    @Test
    void plainOpenclPrefersAGpuThenTheFirstDevice() {
        assertSame(gpu, ClDevice.select(devices, ""));
        assertSame(cpu, ClDevice.select(List.of(cpu), ""));
    }

    @Test
    void typesAndIndicesSelect() {
        assertSame(cpu, ClDevice.select(devices, "cpu"));
        assertSame(gpu, ClDevice.select(devices, "GPU"));
        assertSame(gpu2, ClDevice.select(devices, "1:1"));
        assertSame(cpu, ClDevice.select(devices, " 0 : 0 "));
    }

    @Test
    void badSelectionsNameTheProblemAndListTheDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClDevice.select(devices, "2:0"));
        assertTrue(e.getMessage().contains("no device 2:0") && e.getMessage().contains("another gpu"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> ClDevice.select(List.of(cpu), "gpu"));
        assertTrue(e.getMessage().contains("no gpu device") && e.getMessage().contains("some cpu"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> ClDevice.select(devices, "fast"));
        assertTrue(e.getMessage().contains("unknown device option 'fast'")
                && e.getMessage().contains("gpu, cpu, accelerator, P:D"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> ClDevice.select(devices, "a:b"));
    }

    @Test
    void describeSaysWhatTheDeviceIs() {
        assertEquals("1:0 Platform1 / some gpu (gpu, 4 compute units, 1024 MiB)", gpu.describe());
    }
}
