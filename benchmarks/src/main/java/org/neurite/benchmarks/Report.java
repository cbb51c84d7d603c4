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

    /** Arguments: JMH JSON files; {@code --png FILE} also draws GEMM GFLOP/s against n. */
    public static void main(String[] args) throws IOException {
        List<String> files = new ArrayList<>();
        Path png = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--png") && i + 1 < args.length) {
                png = Path.of(args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        System.out.print(render(files.toArray(new String[0])));
        if (png != null) {
            List<GemmReport.Row> rows = new ArrayList<>();
            for (String f : files) {
                rows.addAll(GemmReport.read(Path.of(f)).stream()
                        .filter(r -> !(r.impl().equals("naiveLoop") && r.n() > 1024)).toList());
            }
            chart(rows, png);
        }
    }

    /** GFLOP/s against n (log scale), one line per implementation and thread count. */
    static void chart(List<GemmReport.Row> rows, Path png) {
        Map<String, List<GemmReport.Row>> lines = new TreeMap<>();
        for (GemmReport.Row r : rows) {
            if (r.msPerOp() > 0) {
                lines.computeIfAbsent(r.impl() + " (" + r.threads() + "t)", k -> new ArrayList<>()).add(r);
            }
        }
        org.neurite.plot.LineChart chart = new org.neurite.plot.LineChart("sgemm GFLOP/s", "n (log)", true);
        for (Map.Entry<String, List<GemmReport.Row>> e : lines.entrySet()) {
            List<GemmReport.Row> rs = new ArrayList<>(e.getValue());
            rs.sort(java.util.Comparator.comparingInt(GemmReport.Row::n));
            double[] x = rs.stream().mapToDouble(GemmReport.Row::n).toArray();
            double[] y = rs.stream().mapToDouble(GemmReport.Row::gflops).toArray();
            GemmReport.Row first = rs.get(0);
            chart.series(e.getKey(), x, y, first.threads() > 1, first.impl());
        }
        org.neurite.plot.LineChart.write(png, chart);
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
