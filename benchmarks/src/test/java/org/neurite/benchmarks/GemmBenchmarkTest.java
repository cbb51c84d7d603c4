package org.neurite.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's contenders compute the same product (so the comparison is fair), and the report parses JMH. */
class GemmBenchmarkTest {

    @Test
    void everyContenderComputesTheSameProduct() {
        GemmBenchmark b = new GemmBenchmark();
        b.n = 67;
        b.threads = 2;
        b.setUp();
        b.openblasChecked = true;   // results only: OpenBLAS's own thread count does not matter here
        try {
            float[] reference = b.naiveLoop().clone();
            float[] neurite = b.neurite().toFloatArray();
            float[] blas = b.openblas().clone();
            float[] ejml = b.ejml().getData();
            for (int i = 0; i < reference.length; i++) {
                assertEquals(reference[i], neurite[i], 1e-3, "neurite at " + i);
                assertEquals(reference[i], blas[i], 1e-3, "openblas at " + i);
                assertEquals(reference[i], ejml[i], 1e-3, "ejml at " + i);
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void reportTurnsJmhJsonIntoGflopsAndRatios(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "[{\"jmhVersion\":\"1.37\",\"benchmark\":\"org.neurite.benchmarks.GemmBenchmark.neurite\","
                + "\"params\":{\"n\":\"1000\",\"threads\":\"1\"},\"primaryMetric\":{\"score\":40.0,\"scoreError\":1.5,"
                + "\"scoreUnit\":\"ms/op\",\"rawData\":[[42.0,40.0],[41.0,25.0]]}},"
                + "{\"benchmark\":\"x.GemmBenchmark.openblas\",\"params\":{\"n\":\"1000\",\"threads\":\"1\"},"
                + "\"primaryMetric\":{\"score\":20.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"ms/op\"}}]");
        List<GemmReport.Row> rows = GemmReport.read(json);
        assertEquals(2, rows.size());
        assertEquals(50.0, rows.get(0).gflops(), 1e-9);
        assertEquals(80.0, rows.get(0).bestGflops(), 1e-9, "the fastest iteration of all forks");
        assertTrue(Double.isNaN(rows.get(1).bestGflops()), "no raw data, no fastest iteration");
        String table = GemmReport.markdown(rows);
        assertTrue(table.contains("| 1 | 1000 | neurite | 40.000 ± 1.500 | 50.0 | 0.50× |"), table);
        assertTrue(table.contains("| 1 | 1000 | openblas | 20.000 ± NaN | 100.0 | 1.00× |"), table);
    }
}
