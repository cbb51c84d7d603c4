/*
 * The CUDA built-ins that src/main/cuda/opencl_compat.cuh and the kernel sources use, defined for the host
 * compiler, so that the CUDA build of the kernels (the same .cu files nvcc compiles) runs on the CPU inside the
 * driver emulator (driver.cpp). Force-included before each .cu file by build.sh.
 *
 * A CUDA thread is a fiber; __syncthreads() yields to the block's scheduler. __shared__ arrays are plain
 * statics: blocks run one at a time, all under the emulator's lock, so a static is exactly the block's memory
 * (and no thread-local lookups slow the kernels down).
 */
#pragma once

#include <math.h>
#include <string.h>

#define __global__
#define __device__ static
#define __forceinline__ inline
#define __shared__ static

struct emu_dim3 {
    unsigned x, y, z;
};

namespace emu {
struct ThreadState {
    emu_dim3 thread, block, blockSize, gridSize;
};
/* Exported from libcuda.so.1 for kernels compiled outside it (the self-test's). */
extern __attribute__((visibility("default"))) ThreadState* current;   // the running fiber's
__attribute__((visibility("default"))) void syncthreads();
}  // namespace emu

#define threadIdx (emu::current->thread)
#define blockIdx (emu::current->block)
#define blockDim (emu::current->blockSize)
#define gridDim (emu::current->gridSize)
#define __syncthreads() emu::syncthreads()

/* 16-byte aligned like CUDA's: build.sh compiles with -fsanitize=alignment, so a misaligned float4 load
 * (a fault on a GPU) is reported by the emulator instead of silently working on the CPU. */
struct alignas(16) float4 {
    float x, y, z, w;
};

static inline float4 make_float4(float x, float y, float z, float w) {
    float4 v = {x, y, z, w};
    return v;
}

static inline float __int_as_float(int bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}
