/*
 * Compiles Neurite's OpenCL C kernel sources (core/src/main/resources/org/neurite/tensor/device/*.cl)
 * as CUDA: one set of kernels, verified by the conformance suite on PoCL in CI, serves both backends.
 * Only the subset of OpenCL C those sources use is mapped here.
 */
#pragma once

#define NEURITE_CUDA 1

/* The double-underscore spellings: a macro named "global" would also empty CUDA's own __global__. */
#define __kernel extern "C" __global__
#define __global
#define __local __shared__
#define DEVICE_FN __device__ __forceinline__
#define LOCAL_ARG
/* A hint only; __launch_bounds__ cannot sit where OpenCL puts its attribute. */
#define REQD_WG(x, y)

#define CLK_LOCAL_MEM_FENCE 0
#define barrier(flags) __syncthreads()

#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif

__device__ __forceinline__ int get_local_id(int d) {
    return d == 0 ? threadIdx.x : d == 1 ? threadIdx.y : threadIdx.z;
}

__device__ __forceinline__ int get_group_id(int d) {
    return d == 0 ? blockIdx.x : d == 1 ? blockIdx.y : blockIdx.z;
}

__device__ __forceinline__ int get_local_size(int d) {
    return d == 0 ? blockDim.x : d == 1 ? blockDim.y : blockDim.z;
}

__device__ __forceinline__ int get_global_id(int d) {
    return get_group_id(d) * get_local_size(d) + get_local_id(d);
}

#define ZERO4 make_float4(0.0f, 0.0f, 0.0f, 0.0f)

/* OpenCL's vload4, for addresses the caller knows to be 16-byte aligned. */
__device__ __forceinline__ float4 vload4(int offset, const float* p) {
    return reinterpret_cast<const float4*>(p)[offset];
}

/* OpenCL's sign: 1, -1, or 0 for zeros and NaN. */
__device__ __forceinline__ float sign(float x) {
    return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
}
