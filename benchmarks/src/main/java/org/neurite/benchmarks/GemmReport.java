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
 *
 * <p>With FmaPeakBenchmark's results in the files, each row also shows its fraction of the measured peak twice: the
 * mean against the mean peak, and the fastest iteration against the fastest peak iteration. On a shared VM whose
 * neighbours come and go (these 2-vCPU machines swing by 30% and more within a run) the second is what the code does
 * when the machine is quiet, the first what it did over the run; both are printed, neither alone.
 */
public final class GemmReport {
    private GemmReport() {
    }

    /** One measurement; {@code threads} 0 for a backend at its own default (BackendGemmBenchmark). */
    record Row(String impl, int n, int threads, double msPerOp, double msError, double bestMs) {
        Row(String impl, int n, int threads, double msPerOp, double msError) {
            this(impl, n, threads, msPerOp, msError, Double.NaN);
        }

        double gflops() {
            return 2.0 * n * n * n / (msPerOp * 1e6);
        }

        /** GFLOP/s of the fastest measured iteration (NaN without JMH's raw data). */
        double bestGflops() {
            return 2.0 * n * n * n / (bestMs * 1e6);
        }
    }

    /** The machine's measured FMA peak (FmaPeakBenchmark), GFLOP/s on one core and on all of them; NaN if absent. */
    record Peak(double oneCore, double allCores, int cores, double bestOneCore, double bestAllCores) {
        Peak(double oneCore, double allCores, int cores) {
            this(oneCore, allCores, cores, Double.NaN, Double.NaN);
        }

        double forThreads(int threads) {
            return threads == 1 ? oneCore : threads >= cores ? allCores : oneCore * threads;
        }

        double bestForThreads(int threads) {
            return threads == 1 ? bestOneCore : threads >= cores ? bestAllCores : bestOneCore * threads;
        }
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<Object> all = new ArrayList<>();
        for (String file : args) {
            @SuppressWarnings("unchecked")
            List<Object> runs = JmhJson.read(Path.of(file));
            all.addAll(runs);
        }
        Peak peak = peak(all);
        for (Object o : all) {
            @SuppressWarnings("unchecked")
            Map<String, Object> run = (Map<String, Object>) o;
            if (((String) run.get("benchmark")).contains("GemmBenchmark")) {
                rows.addAll(read(List.of(o)));
            }
        }
        if (!Double.isNaN(peak.oneCore())) {
            System.out.printf(Locale.ROOT, "Measured fp32 FMA peak (FmaPeakBenchmark, same run): %.1f GFLOP/s on one core,"
                    + " %.1f on all %d (fastest iterations: %.1f and %.1f)%n%n", peak.oneCore(), peak.allCores(),
                    peak.cores(), peak.bestOneCore(), peak.bestAllCores());
        }
        System.out.print(markdown(rows, peak));
    }

    /** FmaPeakBenchmark's two results, as GFLOP/s (its runs report time per call, per thread). */
    @SuppressWarnings("unchecked")
    static Peak peak(List<Object> runs) {
        double one = Double.NaN;
        double all = Double.NaN;
        double bestOne = Double.NaN;
        double bestAll = Double.NaN;
        int cores = 1;
        for (Object o : runs) {
            Map<String, Object> run = (Map<String, Object>) o;
            String bench = (String) run.get("benchmark");
            if (!bench.contains("FmaPeakBenchmark")) {
                continue;
            }
            Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
            double toUs = switch ((String) metric.get("scoreUnit")) {
                case "us/op" -> 1;
                case "ns/op" -> 1e-3;
                case "ms/op" -> 1e3;
                default -> throw new IllegalArgumentException("GemmReport: unexpected unit " + metric.get("scoreUnit"));
            };
            double us = ((Number) metric.get("score")).doubleValue() * toUs;
            double bestUs = fastest(metric) * toUs;
            int threads = ((Number) run.get("threads")).intValue();
            double gflops = threads * FmaPeakBenchmark.FLOPS / (us * 1e3);
            double best = threads * FmaPeakBenchmark.FLOPS / (bestUs * 1e3);
            if (bench.endsWith("oneCore")) {
                one = gflops;
                bestOne = best;
            } else {
                all = gflops;
                bestAll = best;
                cores = threads;
            }
        }
        return new Peak(one, all, cores, bestOne, bestAll);
    }

    /** The smallest time among JMH's raw iteration results ({@code rawData}: one list per fork), NaN if none. */
    @SuppressWarnings("unchecked")
    static double fastest(Map<String, Object> metric) {
        double best = Double.NaN;
        if (metric.get("rawData") instanceof List<?> forks) {
            for (Object fork : forks) {
                for (Object v : (List<Object>) fork) {
                    double t = ((Number) v).doubleValue();
                    best = Double.isNaN(best) ? t : Math.min(best, t);
                }
            }
        }
        return best;
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
            String impl = byBackend ? (String) params.get("backend") : bench.substring(bench.lastIndexOf('.') + 1);
            Object kernel = params.get("kernel");
            if (impl.equals("neurite") && kernel != null && !kernel.equals("default")) {
                impl = "neurite-" + kernel;   // micro-kernel shapes compared in one run
            }
            rows.add(new Row(impl,
                    Integer.parseInt((String) params.get("n")),
                    byBackend ? 0 : Integer.parseInt((String) params.get("threads")),
                            ((Number) metric.get("score")).doubleValue() * toMs,
                    err instanceof Double d ? d * toMs : Double.NaN, fastest(metric) * toMs));
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
        return markdown(rows, new Peak(Double.NaN, Double.NaN, 1));
    }

    /** The table, with each result's fraction of the measured peak for its thread count when a peak is known. */
    static String markdown(List<Row> rows, Peak peak) {
        Map<String, Map<String, Row>> byCase = new TreeMap<>();
        for (Row r : rows) {
            String key = String.format(Locale.ROOT, "%d threads, n = %5d", r.threads, r.n);
            byCase.computeIfAbsent(key, k -> new TreeMap<>()).put(r.impl, r);
        }
        StringBuilder sb = new StringBuilder();
        boolean withPeak = !Double.isNaN(peak.oneCore());
        sb.append("| threads | n | implementation | ms/op | GFLOP/s | vs OpenBLAS |"
                + (withPeak ? " of FMA peak | fastest iteration, GFLOP/s | its fraction of the fastest peak |" : "") + "\n");
        sb.append("|---:|---:|---|---:|---:|---:|" + (withPeak ? "---:|---:|---:|" : "") + "\n");
        for (Map<String, Row> impls : byCase.values()) {
            Row blas = impls.get("openblas");
            for (Row r : impls.values()) {
                if (r.impl.equals("naiveLoop") && r.n > 1024) {
                    continue;   // the benchmark skips the work at this size
                }
                sb.append(String.format(Locale.ROOT, "| %d | %d | %s | %.3f ± %.3f | %.1f | %s |", r.threads, r.n,
                        r.impl, r.msPerOp, r.msError, r.gflops(),
                        blas == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", r.gflops() / blas.gflops())));
                if (withPeak) {
                    sb.append(String.format(Locale.ROOT, " %.0f%% | %.1f | %.0f%% |", 100 * r.gflops()
                            / peak.forThreads(r.threads), r.bestGflops(), 100 * r.bestGflops()
                            / peak.bestForThreads(r.threads)));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
