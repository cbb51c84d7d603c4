// The CUDA build of the gemm kernel family: the OpenCL C source, compiled through opencl_compat.cuh
// (include path: core/src/main/resources/org/neurite/tensor/device; see build-kernels.sh).
#include "opencl_compat.cuh"
#include "common.cl"
#include "gemm.cl"   // gemm_tiled: the tile sizes of nvcc.flags (128 x 128 x 8, 8 x 8 per thread)

/*
 * The same kernel twice more, with smaller tiles, for products too small to give every SM a 128 x 128 tile
 * (CudaGemm picks the largest tiles that still make a block per SM). Every configuration has 16 x 16 threads.
 * Sizes must match CudaGemm.TILES (a test checks).
 */
#undef TSM
#undef TSN
#undef WPTM
#undef WPTN
#define TSM 64
#define TSN 64
#define WPTM 4
#define WPTN 4
#define gemm_tiled gemm_tiled_64
#define epilogue epilogue_64
#include "gemm.cl"
#undef gemm_tiled
#undef epilogue

#undef TSM
#undef TSN
#undef WPTM
#undef WPTN
#define TSM 32
#define TSN 32
#define WPTM 2
#define WPTN 2
#define gemm_tiled gemm_tiled_32
#define epilogue epilogue_32
#include "gemm.cl"
#undef gemm_tiled
#undef epilogue
