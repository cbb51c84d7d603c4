#!/usr/bin/env bash
# The whole GPU check, in one call, on a machine with an NVIDIA GPU and no Java (prepared by
# scripts/gpu/prepare.sh): the kernel conformance suite (with the default GEMM and with our tiled one), the nn
# suite and the memory test on CUDA; the
# OpenCL backend's suites on NVIDIA's OpenCL; a short JMH run of GEMM at n = 1024, 2048, 4096 and of a
# training step of the textbook Fashion-MNIST MLP at batch 256 on both; the same with PyTorch
# (torch.matmul fp32, TF32 off) for comparison; then a summary.
# Results go to $OUT (or target/gpu-check/out). Takes about 4 minutes; the stages' time limits add up to
# 510 s, inside the device tool's 600 s per command, so that the summary always prints.
#
# Dry run without a GPU, through the CUDA driver emulator (built by `mvn verify` in the cuda module), with
# small GEMMs since the emulator runs kernels on the CPU:
#   NEURITE_CUDA_EMULATOR=$PWD/cuda-backend/target/cuda-emulator LD_LIBRARY_PATH=$NEURITE_CUDA_EMULATOR \
#   NEURITE_CHECK_GEMM_SIZES=128,256 OCL_ICD_VENDORS=/etc/OpenCL/vendors NEURITE_TEST_OPENCL=cpu bash scripts/gpu/check.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
dir="$PWD/target/gpu-check"
out="${OUT:-$dir/out}"
mkdir -p "$out"
[ -f "$dir/runtime.tar.gz" ] || { echo "check.sh: run scripts/gpu/prepare.sh first" >&2; exit 2; }
rt="$(mktemp -d)"
tar xzf "$dir/runtime.tar.gz" -C "$rt"
java="$rt/jdk/bin/java"
export LD_PRELOAD="$rt/jdk/lib/libjsig.so"
export NEURITE_REQUIRE_CUDA="${NEURITE_REQUIRE_CUDA:-1}"
cp="$(printf '%s:' "$dir"/lib/*.jar)$dir/cuda-tests:$dir/benchmarks"   # spelled out: JUnit does not expand lib/*
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m)

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 4
"$java" -version 2>&1 | head -n 1

echo "== conformance and nn suites on CUDA"
# Run from the module, whose host tests read the kernel sources and the manifest.
(cd cuda-backend && timeout 200 "$java" "${jvm[@]}" -jar "$dir/junit-console.jar" execute --disable-banner \
  --class-path "$cp" --select-package org.neurite.cuda \
  --exclude-methodname '.*trainingCurvesAreDrawnAsAPng.*' --details=summary \
  --reports-dir "$out/junit" > "$out/junit.txt" 2>&1)
junit=$?
grep -E "tests (successful|failed|aborted|skipped)|\[skipped\]|CUDA unavailable|GEMM on" "$out/junit.txt" | sort | uniq -c | head -n 12
[ $junit -ne 0 ] && { echo "-- failures (first 60 lines):"; grep -B2 -A12 -E "✘|MethodSource" "$out/junit.txt" | head -n 60; }

echo "== the OpenCL suites on NVIDIA's OpenCL"
# (A dry run elsewhere: OCL_ICD_VENDORS=/etc/OpenCL/vendors NEURITE_TEST_OPENCL=cpu NEURITE_REQUIRE_CUDA=0.)
export LD_LIBRARY_PATH="$dir/ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OCL_ICD_VENDORS="${OCL_ICD_VENDORS:-$dir/ocl/vendors}"
(cd opencl-backend && NEURITE_REQUIRE_OPENCL=1 timeout 110 "$java" "${jvm[@]}" \
  -Dneurite.test.opencl="${NEURITE_TEST_OPENCL:-gpu}" \
  -jar "$dir/junit-console.jar" execute --disable-banner --class-path "$dir/opencl-tests:$cp" \
  --select-package org.neurite.opencl --exclude-methodname '.*trainingCurvesAreDrawnAsAPng.*' --details=summary \
  --reports-dir "$out/junit-opencl" > "$out/junit-opencl.txt" 2>&1)
opencl=$?
grep -E "tests (successful|failed|aborted)|tuned GEMM|OpenCL unavailable" "$out/junit-opencl.txt" | sort | uniq -c | head -n 8
[ $opencl -ne 0 ] && { echo "-- OpenCL failures (first 40 lines):"; grep -B2 -A12 -E "✘|MethodSource" "$out/junit-opencl.txt" | head -n 40; }
# cuda: cuBLAS where it loads (JCublas with libcublas.so.12, else libcublas.so.13 through the FFM API on this
# JDK 25), else our kernel; cuda:tiled: our tiled kernel always.
backends=cuda,cuda:tiled
grep -q "opencl" <("$java" -cp "$cp" org.neurite.benchmarks.Report --available-backends 2>/dev/null) && backends=cuda,cuda:tiled,opencl

echo "== JMH: GEMM and a training step on $backends"
timeout 100 "$java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main 'BackendGemmBenchmark' -p backend=$backends \
  -p n="${NEURITE_CHECK_GEMM_SIZES:-1024,2048,4096}" -f 1 -wi 2 -i 3 -w 1 -r 1 -rf json -rff "$out/gemm.json" > "$out/jmh-gemm.txt" 2>&1
echo "gemm jmh exit $?"
timeout 50 "$java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main 'TrainingBenchmark' -p backend=$backends -p batch=256 \
  -f 1 -wi 2 -i 3 -w 1 -r 1 -rf json -rff "$out/train.json" > "$out/jmh-train.txt" 2>&1
echo "training jmh exit $?"

echo "== PyTorch on the same GPU"
timeout 50 python3 benchmarks/pytorch_gpu.py > "$out/torch.json" 2> "$out/torch.err"
echo "pytorch exit $?"

echo "== summary"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except Exception as e:
        return None
gemm, train, torch = load("gemm.json"), load("train.json"), load("torch.json")
ours = {}
for r in gemm or []:
    n = int(r["params"]["n"]); ms = r["primaryMetric"]["score"]
    ours[(r["params"]["backend"], n)] = 2 * n ** 3 / (ms * 1e-3) / 1e9
print("%11s %6s %14s %14s %8s" % ("backend", "n", "ours GFLOP/s", "torch GFLOP/s", "ratio"))
for (backend, n) in sorted(ours):
    t = (torch or {}).get("matmul", {}).get(str(n))
    o = ours[(backend, n)]
    print("%11s %6d %14.0f %14s %8s" % (backend, n, o, "%.0f" % t if t else "-", "%.2fx" % (o / t) if t else "-"))
tstep = (torch or {}).get("mlp_step_us")
for r in train or []:
    step = r["primaryMetric"]["score"]
    print("MLP training step, batch 256, %s: %.0f us; torch %s us%s" % (r["params"]["backend"], step,
          "%.0f" % tstep if tstep else "-", ", ratio %.2fx" % (step / tstep) if tstep else ""))
PY
exit $(( junit != 0 || opencl != 0 ))
