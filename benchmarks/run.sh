#!/usr/bin/env bash
# Runs a benchmark profile, stores JMH's JSON in benchmarks/results/<profile>-*.json and prints a Markdown
# report (benchmarks/results/<profile>.md):
#   benchmarks/run.sh quick   # about 5 minutes on 2 cores: every family on every available backend at one size,
#                             # GEMM at n = 64, 256, 1024 beside OpenBLAS and EJML, transfers, first-call costs
#   benchmarks/run.sh full    # every size, 1 thread and all threads for the CPU peers; much longer
# Backends: all that are available here (NEURITE_BENCH_BACKENDS=cpu,opencl overrides). Extra arguments go to
# every JMH run.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-quick}"
[ $# -gt 0 ] && shift
jar=benchmarks/target/benchmarks.jar
mvn -B -q -DskipTests -pl benchmarks -am install   # always: a stale jar would measure old code
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Signal chaining: OpenCL drivers such as PoCL would otherwise replace the JVM's SIGSEGV handler.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
out=benchmarks/results
mkdir -p "$out"
# Every backend that runs here (OpenCL needs the libjsig above), each measured in the same run.
backends="${NEURITE_BENCH_BACKENDS:-$("$java_bin" -cp "$jar" org.neurite.benchmarks.Report --available-backends 2>/dev/null)}"
threads="$(nproc)"
case "$profile" in
  quick) iters=(-wi 1 -i 3 -w 1 -r 1); sizes=(-p n=64,256,1024); small=(-p size=65536 -p batch=32)
         transfer=(-p size=25088,1048576); peers='GemmBenchmark.(neurite|openblas|ejml)'; peer_threads="$threads" ;;
  full)  iters=(); sizes=(); small=(); transfer=(); peers='GemmBenchmark'; peer_threads="1 $threads" ;;
  *) echo "usage: benchmarks/run.sh quick|full [JMH options]" >&2; exit 2 ;;
esac
echo "benchmarks/run.sh $profile: backends $backends; CPU peers at $peer_threads thread(s)"
"$java_bin" -jar "$jar" 'KernelBenchmark|TrainingBenchmark|DenseBenchmark' -p backend="$backends" "${small[@]}" \
  "${iters[@]}" -rf json -rff "$out/$profile-kernels.json" "$@"
"$java_bin" -jar "$jar" 'TransferBenchmark' -p backend="$backends" "${transfer[@]}" "${iters[@]}" \
  -rf json -rff "$out/$profile-transfer.json" "$@"
"$java_bin" -jar "$jar" 'FirstCallBenchmark' -p backend="$backends" -rf json -rff "$out/$profile-firstcall.json" "$@"
"$java_bin" -jar "$jar" 'BackendGemmBenchmark' -p backend="$backends" "${sizes[@]}" "${iters[@]}" \
  -rf json -rff "$out/$profile-gemm-backends.json" "$@"
peer_files=()
for t in $peer_threads; do
  OPENBLAS_NUM_THREADS=$t "$java_bin" -jar "$jar" "$peers" -p threads=$t "${sizes[@]}" "${iters[@]}" \
    -rf json -rff "$out/$profile-gemm-t$t.json" "$@"
  peer_files+=("$out/$profile-gemm-t$t.json")
done
{
  echo "Run: $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "$("$java_bin" -version 2>&1 | head -n 1), backends: $backends."
  echo
  "$java_bin" -cp "$jar" org.neurite.benchmarks.Report "$out/$profile-gemm-backends.json" "${peer_files[@]}" \
    "$out/$profile-kernels.json" "$out/$profile-transfer.json" "$out/$profile-firstcall.json" --png "$out/$profile-gemm.png"
} | tee "$out/$profile.md"
