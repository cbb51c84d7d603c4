package org.neurite.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.io.Json;

/**
 * Renders JMH JSON result files as Markdown: GEMM as GFLOP/s with ratios to OpenBLAS (see {@link GemmReport}),
 * every other benchmark as a table of times per parameter set.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.neurite.benchmarks.Report results/*.json</pre>
 */
public final class Report {
    private Report() {
    }

    public static void main(String[] args) throws IOException {
        System.out.print(render(args));
    }

    @SuppressWarnings("unchecked")
    static String render(String... files) throws IOException {
        List<GemmReport.Row> gemm = new ArrayList<>();
        Map<String, List<String>> others = new TreeMap<>();
        for (String file : files) {
            for (Object o : (List<Object>) Json.parse(Files.readString(Path.of(file)))) {
                Map<String, Object> run = (Map<String, Object>) o;
                String bench = (String) run.get("benchmark");
                String[] parts = bench.split("\\.");
                String cls = parts[parts.length - 2];
                String method = parts[parts.length - 1];
                Map<String, Object> params = (Map<String, Object>) run.getOrDefault("params", Map.of());
                Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
                if (cls.equals("GemmBenchmark")) {
                    gemm.addAll(GemmReport.read(List.of(o)));
                    continue;
                }
                Object err = metric.get("scoreError");
                others.computeIfAbsent(cls, k -> new ArrayList<>()).add(String.format(Locale.ROOT,
                        "| %s | %s | %.3f ± %s %s |", method, new TreeMap<>(params), (Double) metric.get("score"),
                        err instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : "n/a", metric.get("scoreUnit")));
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!gemm.isEmpty()) {
            sb.append("### GEMM\n\n").append(GemmReport.markdown(gemm)).append('\n');
        }
        for (Map.Entry<String, List<String>> e : others.entrySet()) {
            sb.append("### ").append(e.getKey()).append("\n\n| benchmark | parameters | time |\n|---|---|---:|\n");
            e.getValue().forEach(line -> sb.append(line).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }
}
