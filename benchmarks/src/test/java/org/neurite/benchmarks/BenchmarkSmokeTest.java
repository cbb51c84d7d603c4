package org.neurite.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.Backends;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, tiny and in-process, so that none of them rots. Asserts nothing about speed:
 * only that each ran and produced a time.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        // Every backend that runs here: opencl where a platform exists (PoCL in CI).
        String[] backends = Backends.list().stream().filter(i -> i.availability().available())
                .map(i -> i.name()).toArray(String[]::new);
        Options options = new OptionsBuilder()
                .include("KernelBenchmark|TrainingBenchmark|DenseBenchmark|TransferBenchmark|FirstCallBenchmark"
                        + "|BackendGemmBenchmark|DataPipelineBenchmark|GemmBenchmark\\.(neurite|ejml|naiveLoop)")
                .param("size", "1024").param("batch", "32").param("n", "64").param("threads", "1")
                .param("backend", backends)
                .forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        // Per backend: six kernel families, a training step, a GEMM, Dense forward and backward, upload and
        // download, first calls with the program cache on and off, and an epoch from tensors and from a streamed data
        // set (read on the training thread and prefetched); then GemmBenchmark's three on the CPU.
        assertEquals(17 * backends.length + 3, results.size(), "benchmarks that ran: " + results.size());
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
        }
    }
}
