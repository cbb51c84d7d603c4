#!/usr/bin/env bash
# GemmBenchmark at 1 and 2 threads, with every peer at its best, beside the machine's measured FMA peak, all in one run:
# JMH's JSON goes to benchmarks/results and a Markdown table (GFLOP/s, ratio to OpenBLAS, fraction of the peak) is
# printed.
#   benchmarks/gemm.sh [extra JMH args, e.g. -p n=1024,2048 -wi 2 -i 3]
#   NEURITE_GEMM_KERNEL=6x2 benchmarks/gemm.sh ...     # Neurite with another micro-kernel shape
# OpenBLAS reads its thread count from the environment when it loads, so each thread count is its own JMH run; and
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some of our machines) force it onto slower kernels: its forks run
# without them, and the kernel it then picks is printed.
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
# (A parameter, not -jvmArgsAppend, which would replace the forks' --add-modules jdk.incubator.vector.)
kernel=()
[ -n "${NEURITE_GEMM_KERNEL:-}" ] && kernel=(-p "kernel=$NEURITE_GEMM_KERNEL")
"$java_bin" --add-modules jdk.incubator.vector -version 2>&1 | head -n 1
grep -o -m1 'avx512f\|avx2' /proc/cpuinfo | head -n 1 | sed 's/^/widest SIMD: /'
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_VERBOSE=2 OPENBLAS_NUM_THREADS=1 \
  "$java_bin" -cp "$jar" org.neurite.benchmarks.OpenBlasInfo 2>&1 | sort -u
files=()
"$java_bin" -jar "$jar" FmaPeakBenchmark -rf json -rff "$out/gemm-peak.json" "$@" >/dev/null
files+=("$out/gemm-peak.json")
for t in 1 2; do
  "$java_bin" -jar "$jar" 'GemmBenchmark.(neurite|ejml)' -p threads=$t "${kernel[@]+"${kernel[@]}"}" \
    -rf json -rff "$out/gemm-t$t.json" "$@"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t \
    "$java_bin" -jar "$jar" 'GemmBenchmark.openblas' -p threads=$t -rf json -rff "$out/gemm-openblas-t$t.json" "$@"
  files+=("$out/gemm-t$t.json" "$out/gemm-openblas-t$t.json")
done
# The report reads FmaPeakBenchmark.FLOPS, which depends on the vector width: it needs the Vector API module too.
"$java_bin" --add-modules jdk.incubator.vector -cp "$jar" org.neurite.benchmarks.GemmReport "${files[@]}"
