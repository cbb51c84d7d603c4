package org.neurite.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns GemmBenchmark's JMH JSON files into a Markdown table of GFLOP/s (2 n^3 / time) per
 * implementation, size and thread count, with each implementation's ratio to OpenBLAS in the same run.
 */
public final class GemmReport {
    private GemmReport() {
    }

    /** One measurement; {@code threads} 0 for a backend at its own default (BackendGemmBenchmark). */
    record Row(String impl, int n, int threads, double msPerOp, double msError) {
        double gflops() {
            return 2.0 * n * n * n / (msPerOp * 1e6);
        }
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String file : args) {
            rows.addAll(read(Path.of(file)));
        }
        System.out.print(markdown(rows));
    }

    static List<Row> read(Path file) throws IOException {
        @SuppressWarnings("unchecked")
        List<Object> runs = JmhJson.read(file);
        return read(runs);
    }

    /** Rows of GemmBenchmark runs already parsed from JMH's JSON. */
    @SuppressWarnings("unchecked")
    static List<Row> read(List<Object> runs) {
        List<Row> rows = new ArrayList<>();
        for (Object o : runs) {
            Map<String, Object> run = (Map<String, Object>) o;
            String bench = (String) run.get("benchmark");
            Map<String, Object> params = (Map<String, Object>) run.get("params");
            Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
            double toMs = switch ((String) metric.get("scoreUnit")) {
                case "ms/op" -> 1;
                case "us/op" -> 1e-3;
                case "s/op" -> 1e3;
                default -> throw new IllegalArgumentException("GemmReport: unexpected unit " + metric.get("scoreUnit"));
            };
            Object err = metric.get("scoreError");
            boolean byBackend = bench.contains("BackendGemmBenchmark");
            rows.add(new Row(byBackend ? (String) params.get("backend") : bench.substring(bench.lastIndexOf('.') + 1),
                    Integer.parseInt((String) params.get("n")),
                    byBackend ? 0 : Integer.parseInt((String) params.get("threads")),
                            ((Number) metric.get("score")).doubleValue() * toMs,
                    err instanceof Double d ? d * toMs : Double.NaN));
        }
        return rows;
    }

    /**
     * BackendGemmBenchmark's rows beside the CPU peers measured at the machine's thread count: GFLOP/s per
     * backend and peer, and each backend's ratio to the best peer at that size.
     */
    static String byBackend(List<Row> backends, List<Row> peers) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        java.util.TreeSet<String> peerNames = new java.util.TreeSet<>();
        Map<Integer, Map<String, Row>> bySize = new TreeMap<>();
        for (Row r : backends) {
            names.add(r.impl);
            bySize.computeIfAbsent(r.n, k -> new TreeMap<>()).put(r.impl, r);
        }
        for (Row r : peers) {
            if (bySize.containsKey(r.n) && (r.impl.equals("openblas") || r.impl.equals("ejml"))) {
                peerNames.add(r.impl);
                bySize.get(r.n).put(r.impl, r);
            }
        }
        StringBuilder sb = new StringBuilder("| n |");
        names.forEach(nm -> sb.append(' ').append(nm).append(" |"));
        peerNames.forEach(nm -> sb.append(' ').append(nm).append(" (peer) |"));
        names.forEach(nm -> sb.append(' ').append(nm).append(" / best peer |"));
        sb.append("\n|---:|");
        sb.append("---:|".repeat(2 * names.size() + peerNames.size())).append('\n');
        for (Map.Entry<Integer, Map<String, Row>> e : bySize.entrySet()) {
            Map<String, Row> at = e.getValue();
            double best = peerNames.stream().map(at::get).filter(java.util.Objects::nonNull)
                    .mapToDouble(Row::gflops).max().orElse(Double.NaN);
            sb.append("| ").append(e.getKey()).append(" |");
            for (String nm : names) {
                sb.append(cell(at.get(nm)));
            }
            for (String nm : peerNames) {
                sb.append(cell(at.get(nm)));
            }
            for (String nm : names) {
                Row r = at.get(nm);
                sb.append(r == null || Double.isNaN(best) ? " – |"
                        : String.format(Locale.ROOT, " **%.2f×** |", r.gflops() / best));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(Row r) {
        return r == null ? " – |" : String.format(Locale.ROOT, " %.1f |", r.gflops());
    }

    static String markdown(List<Row> rows) {
        Map<String, Map<String, Row>> byCase = new TreeMap<>();
        for (Row r : rows) {
            String key = String.format(Locale.ROOT, "%d threads, n = %5d", r.threads, r.n);
            byCase.computeIfAbsent(key, k -> new TreeMap<>()).put(r.impl, r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| threads | n | implementation | ms/op | GFLOP/s | vs OpenBLAS |\n");
        sb.append("|---:|---:|---|---:|---:|---:|\n");
        for (Map<String, Row> impls : byCase.values()) {
            Row blas = impls.get("openblas");
            for (Row r : impls.values()) {
                if (r.impl.equals("naiveLoop") && r.n > 1024) {
                    continue;   // the benchmark skips the work at this size
                }
                sb.append(String.format(Locale.ROOT, "| %d | %d | %s | %.3f ± %.3f | %.1f | %s |\n", r.threads, r.n,
                        r.impl, r.msPerOp, r.msError, r.gflops(),
                        blas == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", r.gflops() / blas.gflops())));
            }
        }
        return sb.toString();
    }
}
