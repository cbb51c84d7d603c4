// The CUDA build of the optimizer kernel family: the OpenCL C source, compiled through opencl_compat.cuh
// (include path: core/src/main/resources/org/neurite/tensor/device; see build-kernels.sh).
#include "opencl_compat.cuh"
#include "common.cl"
#include "optimizer.cl"
