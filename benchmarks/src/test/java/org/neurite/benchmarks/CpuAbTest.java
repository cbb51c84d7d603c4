package org.neurite.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neurite.cpu.CpuBackend;
import org.neurite.tensor.Backend;

/** The A/B harness loads each build on its own and reports every case; run tiny, a build against itself. */
class CpuAbTest {

    @Test
    void aBuildAgainstItselfRunsEveryCaseInSeparateClassLoaders() throws Exception {
        Path build = Path.of(CpuBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Backend a = CpuAb.load(build, 1); Backend b = CpuAb.load(build, 1)) {
            assertNotSame(a.getClass(), b.getClass());
            assertNotSame(CpuBackend.class, a.getClass());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double[] ratios = CpuAb.run(build, build, 2, 3, 0.02, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(CpuAb.SHAPES.length + 1, ratios.length);
        for (double r : ratios) {   // no bounds on the value: timing in a unit test is noise (one cold round)
            assertTrue(r > 0 && Double.isFinite(r), "ratio " + r);
        }
        String report = buf.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("F1 32x784x300") && report.contains("fit step (batch 32)"), report);
    }
}
