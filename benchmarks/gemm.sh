#!/usr/bin/env bash
# Runs GemmBenchmark at 1 and 2 threads (OpenBLAS takes its thread count from the environment, so each
# thread count is its own JMH run), stores JMH's JSON, and prints GFLOP/s with ratios to OpenBLAS.
# Usage: benchmarks/gemm.sh [extra JMH args, e.g. -p n=1024 -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests install
out=benchmarks/results
mkdir -p "$out"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Signal chaining: OpenCL drivers such as PoCL would otherwise replace the JVM's SIGSEGV handler.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
for t in 1 2; do
  OPENBLAS_NUM_THREADS=$t "$java_bin" -jar "$jar" GemmBenchmark -p threads=$t -rf json -rff "$out/gemm-t$t.json" "$@"
done
"$java_bin" -cp "$jar" org.neurite.benchmarks.GemmReport "$out"/gemm-t1.json "$out"/gemm-t2.json
