package org.neurite.tensor;

import org.neurite.tensor.spi.BackendProvider;
import org.neurite.tensor.spi.Availability;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    /** A provider that records what it was asked to create. */
    static class Fake implements BackendProvider {
        final String name;
        final int priority;
        final Availability availability;
        final List<String> created = new ArrayList<>();

        Fake(String name, int priority, Availability availability) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
        }

        @Override public String name() { return name; }
        @Override public int priority() { return priority; }
        @Override public Availability probe() { return availability; }

        @Override
        public Backend create(String options) {
            if (options.equals("9")) {
                throw new IllegalArgumentException(name + ": no device 9");
            }
            created.add(options);
            return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class}, (proxy, method, args) -> method.getName().equals("name") ? name : null);
        }
    }

    private final Fake cuda = new Fake("cuda", 100, Availability.unavailable("libcuda.so.1 not found"));
    private final Fake opencl = new Fake("opencl", 50, Availability.available("PoCL cpu"));
    private final Fake cpu = new Fake("cpu", 0, Availability.available("2 cores"));
    private final BackendRegistry registry = new BackendRegistry(List.of(cpu, cuda, opencl));

    @Test
    void autoPicksTheAvailableBackendWithTheHighestPriority() {
        registry.create("auto");
        assertEquals(List.of(""), opencl.created);
        assertTrue(cpu.created.isEmpty());
    }

    @Test
    void listIsInPriorityOrderWithReasons() {
        List<BackendInfo> list = registry.list();
        assertEquals(List.of("cuda", "opencl", "cpu"), list.stream().map(BackendInfo::name).toList());
        String table = registry.describe();
        assertTrue(table.contains("libcuda.so.1 not found") && table.contains("PoCL cpu"), table);
    }

    @Test
    void optionsAfterTheColonReachTheProvider() {
        registry.create("opencl:0:1");
        assertEquals(List.of("0:1"), opencl.created);
        registry.create(" CPU:threads=1 ");
        assertEquals(List.of("threads=1"), cpu.created);
    }

    @Test
    void aListFallsThroughUnavailableEntries() {
        registry.create("cuda,cpu");
        assertEquals(List.of(""), cpu.created);
        registry.create("opencl:9,cpu:scalar");
        assertEquals(List.of("", "scalar"), cpu.created);
    }

    @Test
    void unknownNameFailsWithTheTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.create("cuda,tpu"));
        assertTrue(e.getMessage().contains("unknown backend 'tpu'"), e::getMessage);
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e::getMessage);
    }

    @Test
    void nothingCreatableFailsWithEveryReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> registry.create("cuda,opencl:9"));
        assertTrue(e.getMessage().contains("cuda: libcuda.so.1 not found"), e::getMessage);
        assertTrue(e.getMessage().contains("no device 9"), e::getMessage);
    }

    @Test
    void emptySpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry.create(" "));
        assertThrows(IllegalArgumentException.class, () -> registry.create("cpu,,cuda"));
    }

    @Test
    void aThrowingProbeIsReportedNotPropagated() {
        BackendProvider broken = new Fake("broken", 5, null) {
            @Override
            public Availability probe() {
                throw new UnsatisfiedLinkError("no libfoo");
            }
        };
        BackendRegistry r = new BackendRegistry(List.of(broken, cpu));
        assertTrue(r.describe().contains("probe failed") && r.describe().contains("no libfoo"), r.describe());
        r.create("auto");
        assertEquals(List.of(""), cpu.created);
    }

    @Test
    void configuredSpecDefaultsToAuto() {
        String old = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, "cuda,cpu");
            assertEquals("cuda,cpu", Backends.configuredSpec());
            System.clearProperty(Backends.PROPERTY);
            String env = System.getenv(Backends.ENVIRONMENT);
            assertEquals(env == null || env.isBlank() ? "auto" : env.trim(), Backends.configuredSpec());
        } finally {
            if (old != null) {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }
}
