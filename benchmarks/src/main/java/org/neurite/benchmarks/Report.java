package org.neurite.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
        if (files.size() == 1 && files.get(0).equals("--available-backends")) {
            System.out.println(String.join(",", org.neurite.tensor.Backends.list().stream()
                    .filter(i -> i.availability().available()).map(i -> i.name()).toList()));
            return;
        }
        System.out.print(render(files.toArray(new String[0])));
        if (png != null) {
            List<GemmReport.Row> rows = new ArrayList<>();
            for (String f : files) {
                rows.addAll(gemmRows(Path.of(f)).stream()
                        .filter(r -> !(r.impl().equals("naiveLoop") && r.n() > 1024)).toList());
            }
            chart(rows, png);
        }
    }

    /** The GEMM rows (GemmBenchmark and BackendGemmBenchmark) of one JMH JSON file. */
    @SuppressWarnings("unchecked")
    static List<GemmReport.Row> gemmRows(Path file) throws IOException {
        List<Object> runs = new ArrayList<>();
        for (Object o : JmhJson.read(file)) {
            String bench = (String) ((Map<String, Object>) o).get("benchmark");
            if (bench.endsWith("GemmBenchmark.gemm") || bench.contains(".GemmBenchmark.")) {
                runs.add(o);
            }
        }
        return GemmReport.read(runs);
    }

    /**
     * GFLOP/s against n (log scale): with backend rows, one line per backend and one per peer at the highest
     * thread count measured; otherwise one line per implementation and thread count.
     */
    static void chart(List<GemmReport.Row> rows, Path png) {
        boolean byBackend = rows.stream().anyMatch(r -> r.threads() == 0);
        int maxThreads = rows.stream().mapToInt(GemmReport.Row::threads).max().orElse(0);
        Map<String, List<GemmReport.Row>> lines = new TreeMap<>();
        for (GemmReport.Row r : rows) {
            if (!(r.msPerOp() > 0)) {
                continue;
            }
            if (byBackend && r.threads() == 0) {
                lines.computeIfAbsent("neurite " + r.impl(), k -> new ArrayList<>()).add(r);
            } else if (byBackend) {
                if (r.threads() == maxThreads && !r.impl().equals("neurite") && !r.impl().equals("naiveLoop")) {
                    lines.computeIfAbsent(r.impl() + " (" + r.threads() + "t)", k -> new ArrayList<>()).add(r);
                }
            } else {
                lines.computeIfAbsent(r.impl() + " (" + r.threads() + "t)", k -> new ArrayList<>()).add(r);
            }
        }
        org.neurite.charts.LineChart chart = new org.neurite.charts.LineChart("sgemm GFLOP/s", "n (log)", true);
        for (Map.Entry<String, List<GemmReport.Row>> e : lines.entrySet()) {
            List<GemmReport.Row> rs = new ArrayList<>(e.getValue());
            rs.sort(java.util.Comparator.comparingInt(GemmReport.Row::n));
            double[] x = rs.stream().mapToDouble(GemmReport.Row::n).toArray();
            double[] y = rs.stream().mapToDouble(GemmReport.Row::gflops).toArray();
            GemmReport.Row first = rs.get(0);
            chart.series(e.getKey(), x, y, first.threads() > 1, first.impl());
        }
        org.neurite.charts.LineChart.write(png, chart);
    }

    @SuppressWarnings("unchecked")
    static String render(String... files) throws IOException {
        List<GemmReport.Row> gemm = new ArrayList<>();
        List<GemmReport.Row> backendGemm = new ArrayList<>();
        Map<String, List<String>> others = new TreeMap<>();
        for (String file : files) {
            for (Object o : JmhJson.read(Path.of(file))) {
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
                if (cls.equals("BackendGemmBenchmark")) {
                    backendGemm.addAll(GemmReport.read(List.of(o)));
                    continue;
                }
                Object err = metric.get("scoreError");
                others.computeIfAbsent(cls, k -> new ArrayList<>()).add(String.format(Locale.ROOT,
                        "| %s | %s | %.3f ± %s %s |", method, new TreeMap<>(params), ((Number) metric.get("score")).doubleValue(),
                        err instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : "n/a", metric.get("scoreUnit")));
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!backendGemm.isEmpty()) {
            int threads = gemm.stream().mapToInt(GemmReport.Row::threads).max().orElse(0);
            List<GemmReport.Row> peers = gemm.stream().filter(r -> r.threads() == threads).toList();
            sb.append("### GEMM by backend (GFLOP/s; CPU peers at ").append(threads)
                    .append(" threads, same run)\n\n").append(GemmReport.byBackend(backendGemm, peers)).append('\n');
        }
        if (!gemm.isEmpty()) {
            sb.append("### GEMM on the CPU, against OpenBLAS and EJML\n\n").append(GemmReport.markdown(gemm)).append('\n');
        }
        for (Map.Entry<String, List<String>> e : others.entrySet()) {
            sb.append("### ").append(e.getKey()).append("\n\n| benchmark | parameters | time |\n|---|---|---:|\n");
            e.getValue().forEach(line -> sb.append(line).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }
}
