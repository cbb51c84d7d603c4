/*
 * Kernels for the emulator's self-test (selftest.cpp): one correct barrier reduction, and one kernel for each
 * fault the emulator claims to catch. Compiled like the real kernels (cuda_host.h, the sanitizers).
 */
#include "registry.h"

/* Correct: each block sums its 64 values with a tree of barriers. */
extern "C" void block_sum(const float* x, float* out) {
    __shared__ float s[64];
    unsigned l = threadIdx.x;
    s[l] = x[blockIdx.x * 64 + l];
    __syncthreads();
    for (unsigned h = 32; h > 0; h >>= 1) {
        if (l < h) {
            s[l] += s[l + h];
        }
        __syncthreads();
    }
    if (l == 0) {
        out[blockIdx.x] = s[0];
    }
}

/* Thread 0 leaves before the barrier the others wait at. */
extern "C" void early_exit(float* x) {
    if (threadIdx.x == 0) {
        return;
    }
    __syncthreads();
    x[threadIdx.x] = 1.0f;
}

/* Odd and even threads wait at different barriers. */
extern "C" void split_barrier(float* x) {
    if (threadIdx.x % 2 == 1) {
        x[threadIdx.x] = 1.0f;
        __syncthreads();
        x[threadIdx.x] += 2.0f;
    } else {
        x[threadIdx.x] = 3.0f;
        __syncthreads();
        x[threadIdx.x] *= 4.0f;
    }
}

/* A float4 load from an address that is only 4-byte aligned. */
extern "C" void misaligned(float* x, int offset) {
    float4 v = reinterpret_cast<const float4*>(x + offset)[0];
    x[threadIdx.x] = v.x;
}

/* An index one past a shared array. */
extern "C" void shared_out_of_bounds(float* x, int i) {
    __shared__ float s[16];
    s[threadIdx.x % 16] = 1.0f;
    __syncthreads();
    x[threadIdx.x] = s[i];
}

/* Writes element n of an n-element buffer. */
extern "C" void overrun(float* x, int n) {
    x[n - 1 + threadIdx.x] = 5.0f;
}

/* Reads element 0 into element 1 (for laziness and uninitialized-memory checks). */
extern "C" void copy_first(float* x) {
    x[1] = x[0];
}

/* Reads a neighbour's shared element with no barrier after the writes: a race. */
extern "C" void racy_shift(float* x) {
    __shared__ float s[64];
    unsigned t = threadIdx.x;
    s[t] = x[t];
    x[t] = s[(t + 1) % 64];
}

/* Each block reads the element the next block writes: a race between blocks. */
extern "C" void racy_blocks(float* x) {
    x[blockIdx.x] = x[blockIdx.x + 1] + 1.0f;
}

EMU_KERNEL("selftest", block_sum)
EMU_KERNEL("selftest", racy_shift)
EMU_KERNEL("selftest", racy_blocks)
EMU_KERNEL("selftest", early_exit)
EMU_KERNEL("selftest", split_barrier)
EMU_KERNEL("selftest", misaligned)
EMU_KERNEL("selftest", shared_out_of_bounds)
EMU_KERNEL("selftest", overrun)
EMU_KERNEL("selftest", copy_first)
