#!/usr/bin/env bash
# Runs a benchmark profile, stores JMH's JSON in benchmarks/results/<profile>-*.json and prints a Markdown
# report (benchmarks/results/<profile>.md):
#   benchmarks/run.sh quick   # a few minutes on 2 cores: kernels, a training step, GEMM at n = 256 and 1024
#   benchmarks/run.sh full    # everything at every size (GEMM: benchmarks/gemm.sh's sweep), much longer
# Extra arguments go to every JMH run, e.g. -p backend=cpu,opencl once more backends exist.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-quick}"
[ $# -gt 0 ] && shift
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests install
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Signal chaining: OpenCL drivers such as PoCL would otherwise replace the JVM's SIGSEGV handler.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
out=benchmarks/results
mkdir -p "$out"
case "$profile" in
  quick) iters=(-wi 2 -i 3 -w 1 -r 1); sizes=(-p n=256,1024) ;;
  full)  iters=(); sizes=() ;;
  *) echo "usage: benchmarks/run.sh quick|full [JMH options]" >&2; exit 2 ;;
esac
"$java_bin" -jar "$jar" 'KernelBenchmark|TrainingBenchmark' "${iters[@]}" -rf json -rff "$out/$profile-kernels.json" "$@"
for t in 1 2; do
  OPENBLAS_NUM_THREADS=$t "$java_bin" -jar "$jar" GemmBenchmark -p threads=$t "${sizes[@]}" "${iters[@]}" \
    -rf json -rff "$out/$profile-gemm-t$t.json" "$@"
done
"$java_bin" -cp "$jar" org.neurite.benchmarks.Report "$out/$profile-kernels.json" "$out/$profile-gemm-t1.json" \
  "$out/$profile-gemm-t2.json" --png "$out/$profile-gemm.png" | tee "$out/$profile.md"
