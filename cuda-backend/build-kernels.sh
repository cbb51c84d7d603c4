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
cl=../opencl-backend/src/main/resources/org/neurite/opencl
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
for f in $families; do
  echo "cuda kernels: nvcc $f.cu"
  "$nvcc_bin" -fatbin "${flags[@]}" -I src/main/cuda -I "$cl" -x cu "src/main/cuda/$f.cu" -o "$out/$f.fatbin"
done
manifest > "$out/kernels.manifest"
