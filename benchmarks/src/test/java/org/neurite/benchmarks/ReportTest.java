package org.neurite.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from JMH JSON: GEMM per backend beside the peers, ratios, other tables, and the chart. */
class ReportTest {
    private static String run(String benchmark, String params, double score, String unit) {
        return "{\"benchmark\": \"org.neurite.benchmarks." + benchmark + "\", \"params\": {" + params
                + "}, \"primaryMetric\": {\"score\": " + score + ", \"scoreError\": 0.1, \"scoreUnit\": \"" + unit + "\"}}";
    }

    @Test
    void rendersBackendsBesideThePeersAndDrawsTheChart(@TempDir Path dir) throws Exception {
        // n = 1024: 2 n^3 = 2.147 GFLOP; 21.47 ms is 100 GFLOP/s, 42.95 ms 50.
        Path backends = dir.resolve("backends.json");
        Files.writeString(backends, "[" + run("BackendGemmBenchmark.gemm", "\"backend\": \"cpu\", \"n\": \"1024\"", 42.95,
                "ms/op")
                + "," + run("BackendGemmBenchmark.gemm", "\"backend\": \"opencl\", \"n\": \"1024\"", 21.47, "ms/op") + "]");
        Path peers = dir.resolve("peers.json");
        Files.writeString(peers, "[" + run("GemmBenchmark.openblas", "\"n\": \"1024\", \"threads\": \"2\"", 21.47, "ms/op")
                + "," + run("GemmBenchmark.ejml", "\"n\": \"1024\", \"threads\": \"2\"", 429.5, "ms/op") + "]");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "[" + run("TransferBenchmark.upload", "\"backend\": \"cpu\", \"size\": \"1024\"", 2.5,
                "us/op") + "]");
        String md = Report.render(backends.toString(), peers.toString(), other.toString());
        assertTrue(md.contains("### GEMM by backend (GFLOP/s; CPU peers at 2 threads, same run)"), md);
        assertTrue(md.contains("| 1024 | 50.0 | 100.0 | 5.0 | 100.0 | **0.50×** | **1.00×** |"), md);
        assertTrue(md.contains("### TransferBenchmark") && md.contains("| upload | {backend=cpu, size=1024} | 2.500"), md);

        List<GemmReport.Row> rows = new java.util.ArrayList<>(Report.gemmRows(backends));
        rows.addAll(Report.gemmRows(peers));
        assertEquals(4, rows.size());
        Path png = dir.resolve("gemm.png");
        Report.chart(rows, png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "not a PNG");
    }
}
