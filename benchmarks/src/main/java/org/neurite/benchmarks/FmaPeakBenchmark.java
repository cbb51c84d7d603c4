package org.neurite.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's measured fp32 FMA peak, at the vector width the JVM uses ({@code SPECIES_PREFERRED}): 16 independent
 * FMA chains (twice the 8 that two 4-cycle FMA units need in flight), no loads, on one thread and on every core. Not
 * more: with 24 chains (plus the two operands) JDK 17's C2 spills on AVX-512's 32 registers and measured 96 GFLOP/s
 * where 16 chains measure 178 on both JDK 17 and 25 (12 chains: 174), which made JDK 17's GEMM look above its peak.
 * Each call does {@link #FLOPS} floating-point operations; GEMM reports divide their GFLOP/s by this one's, measured in
 * the same run. Peak = FLOPS / (time per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int ITERATIONS = 10_000;
    /** Floating-point operations per call: 16 chains x lanes x 2 (multiply and add) x iterations. */
    public static final long FLOPS = 16L * S.length() * 2 * ITERATIONS;

    public float x = 1.0000001f;
    public float y = 0.9999999f;

    @Benchmark
    @Threads(1)
    public float oneCore() {
        return chains();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public float allCores() {
        return chains();
    }

    private float chains() {
        return chains(x, y);
    }

    /** One call's worth of chains ({@link #FLOPS} operations), also used by {@link GemmPeakRatio}. */
    static float chains(float x, float y) {
        FloatVector a = FloatVector.broadcast(S, x);
        FloatVector b = FloatVector.broadcast(S, y);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b;
        FloatVector c8 = b, c9 = b, c10 = b, c11 = b, c12 = b, c13 = b, c14 = b, c15 = b;
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
            c12 = c12.fma(a, b); c13 = c13.fma(a, b); c14 = c14.fma(a, b); c15 = c15.fma(a, b);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15);
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
