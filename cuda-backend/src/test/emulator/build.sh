#!/usr/bin/env bash
# Builds the CUDA driver emulator, OUT/libcuda.so.1 (see driver.cpp), from the same kernel sources nvcc
# compiles: each family's src/main/cuda/<family>.cu with the -D flags of nvcc.flags, for the host, with
# cuda_host.h force-included. Then runs the emulator's self-test, which must catch the faults it claims to.
#
#   build.sh OUT     (Maven runs it in generate-test-resources, with OUT = target/cuda-emulator)
#
# Without a C++ compiler it prints why and builds nothing; the emulated test run then skips (or fails, with
# NEURITE_REQUIRE_CUDA_EMULATOR=1, as CI sets). Only for tests: never put OUT on a real program's library path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
cl="$module/../core/src/main/resources/org/neurite/tensor/device"
cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "cuda emulator: WARNING: no C++ compiler ($cxx); not built, the emulated CUDA tests will skip" >&2
  rm -f "$out/libcuda.so.1"
  exit 0
fi

families="elementwise reduce loss optimizer gemm"
inputs=("$here"/*.h "$here"/*.cpp "$here/build.sh" "$module/src/main/cuda/nvcc.flags" "$module/src/main/cuda/opencl_compat.cuh" "$cl/common.cl")
for f in $families; do inputs+=("$module/src/main/cuda/$f.cu" "$cl/$f.cl"); done
stamp="$(sha256sum "${inputs[@]}" | sha256sum | cut -d' ' -f1)"
if [ -f "$out/libcuda.so.1" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "cuda emulator: up to date"
  exit 0
fi

# The kernel tile sizes and work-group sizes of the real build: the -D options of nvcc.flags.
defines=()
read -r -a flags < "$module/src/main/cuda/nvcc.flags"
for f in "${flags[@]}"; do [[ "$f" == -D* ]] && defines+=("$f"); done

# The emulator runs where it is built: let the compiler use this CPU (fma() inline instead of a libm call).
common=(-std=c++17 -O2 -g -march=native -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -Wno-unknown-pragmas -I "$here")
kernel_flags=(-include "$here/cuda_host.h" -I "$module/src/main/cuda" -I "$cl" "${defines[@]}"
  -fsanitize=alignment,bounds,signed-integer-overflow -fno-strict-aliasing)
mkdir -p "$out/obj"
objs=()
for f in $families; do
  src="$module/src/main/cuda/$f.cu"
  # Every kernel of the family: `extern "C" void name(` in the preprocessed source (compat maps __kernel so).
  names="$("$cxx" -E -P "${common[@]}" "${kernel_flags[@]}" -x c++ "$src" \
    | tr '\n' ' ' | grep -oE 'extern "C" +void +[A-Za-z_][A-Za-z0-9_]* *\(' | sed -E 's/.*void +([A-Za-z0-9_]+).*/\1/' || true)"
  if [ -z "$names" ]; then
    echo "cuda emulator: no kernels found in $src" >&2
    exit 1
  fi
  unit="$out/obj/$f.cpp"
  { echo "#include \"$src\""; echo '#include "registry.h"'
    for n in $names; do echo "EMU_KERNEL(\"$f\", $n)"; done; } > "$unit"
  "$cxx" "${common[@]}" "${kernel_flags[@]}" -c -x c++ "$unit" -o "$out/obj/$f.o"
  objs+=("$out/obj/$f.o")
  echo "cuda emulator: $f: $(echo $names | wc -w) kernels"
done
# With nvcc's cuda.h at hand, the driver is compiled against it: a signature that differs from the real
# driver's is then a compile error, not a quiet mismatch under JCuda.
cuda_h=""
for d in "$(dirname "$(command -v nvcc 2>/dev/null || echo /nonexistent/bin/nvcc)")/../include" /usr/local/cuda/include; do
  [ -f "$d/cuda.h" ] && { cuda_h="$d"; break; }
done
driver_flags=()
if [ -n "$cuda_h" ]; then
  driver_flags=(-DEMU_WITH_CUDA_H -isystem "$cuda_h")
  echo "cuda emulator: driver checked against $cuda_h/cuda.h"
fi
"$cxx" "${common[@]}" "${driver_flags[@]}" -c "$here/driver.cpp" -o "$out/obj/driver.o"
"$cxx" -shared -Wl,-soname,libcuda.so.1 -Wl,--no-undefined -o "$out/libcuda.so.1.tmp" "$out/obj/driver.o" "${objs[@]}" -lpthread
mv "$out/libcuda.so.1.tmp" "$out/libcuda.so.1"
ln -sf libcuda.so.1 "$out/libcublas.so.13"   # its cuBLAS calls, for the backend's FFM binding of CUDA 13's

# The self-test: faults the emulator must report, on kernels written to have them.
"$cxx" "${common[@]}" "${kernel_flags[@]}" -c -x c++ "$here/selftest_kernels.cu" -o "$out/obj/selftest_kernels.o"
"$cxx" "${common[@]}" "$here/selftest.cpp" "$out/obj/selftest_kernels.o" -o "$out/selftest" -L "$out" -l:libcuda.so.1 \
  -Wl,-rpath,"$out" -lpthread
"$out/selftest"
echo "$stamp" > "$out/stamp"
