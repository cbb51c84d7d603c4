#!/usr/bin/env bash
# Compiles the CUDA kernel families to fatbins (SASS for sm_80 and sm_90, PTX for compute_75) into
# src/main/resources/org/neurite/cuda/, where they are committed so that a build without nvcc works.
#
# The kernels are the OpenCL backend's .cl sources compiled as CUDA through src/main/cuda/opencl_compat.cuh.
# kernels.manifest records the SHA-256 of every input (sources, header, flags); the build runs this script
# (generate-resources), which recompiles only when an input changed, and CudaKernelsUpToDateTest fails when
# the committed fatbins do not match the sources, with or without nvcc.
set -euo pipefail
cd "$(dirname "$0")"
cl=../core/src/main/resources/org/neurite/tensor/device
out=src/main/resources/org/neurite/cuda
families="elementwise reduce loss optimizer gemm"
inputs=(src/main/cuda/nvcc.flags src/main/cuda/opencl_compat.cuh "$cl/common.cl")
for f in $families; do inputs+=("src/main/cuda/$f.cu" "$cl/$f.cl"); done

manifest() { sha256sum "${inputs[@]}"; }

if [ -f "$out/kernels.manifest" ] && [ "$(manifest)" = "$(cat "$out/kernels.manifest")" ]; then
  echo "cuda kernels: fatbins up to date with their sources"
  exit 0
fi
nvcc_bin="$(command -v nvcc || true)"
[ -z "$nvcc_bin" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc_bin=/usr/local/cuda/bin/nvcc
if [ -z "$nvcc_bin" ]; then
  echo "cuda kernels: WARNING: sources changed but nvcc is not installed; the committed fatbins are stale" >&2
  exit 0
fi
mkdir -p "$out"
read -r -a flags < src/main/cuda/nvcc.flags
usage="$out/resource-usage.txt.tmp"
: > "$usage"
for f in $families; do
  echo "cuda kernels: nvcc $f.cu"
  # -Xptxas -v: ptxas reports each kernel's registers, spills and shared memory per SASS target; kept in
  # resource-usage.txt (family arch kernel registers spill-stores spill-loads stack smem), which
  # CudaHostTest checks against the launch shapes.
  "$nvcc_bin" -fatbin -Xptxas -v "${flags[@]}" -I src/main/cuda -I "$cl" -x cu "src/main/cuda/$f.cu" \
    -o "$out/$f.fatbin" 2> "$out/ptxas.log" || { cat "$out/ptxas.log" >&2; rm -f "$out/ptxas.log"; exit 1; }
  awk -v family="$f" '
    /Compiling entry function/ { match($0, /function .[A-Za-z0-9_]+/); kernel = substr($0, RSTART + 10, RLENGTH - 10);
                                 match($0, /for .sm_[0-9]+/); arch = substr($0, RSTART + 5, RLENGTH - 5) }
    /bytes stack frame/ { stack = $1; stores = $5; loads = $9 }
    /Used [0-9]+ registers/ { match($0, /Used [0-9]+/); regs = substr($0, RSTART + 5, RLENGTH - 5);
                              smem = 0; if (match($0, /[0-9]+ bytes smem/)) smem = substr($0, RSTART, RLENGTH - 11) + 0;
                              print family, arch, kernel, regs, stores, loads, stack, smem }' "$out/ptxas.log" >> "$usage"
  rm -f "$out/ptxas.log"
done
sort -o "$out/resource-usage.txt" "$usage"
rm -f "$usage"
manifest > "$out/kernels.manifest"
