/**
 * The CUDA backend (JCuda driver API): {@link org.neurite.cuda.CudaBackend} runs core's
 * {@link org.neurite.tensor.device.DeviceKernels} on fatbins compiled from the OpenCL backend's kernel
 * sources (see {@code src/main/cuda}), with cuBLAS for GEMM where JCublas loads.
 */
package org.neurite.cuda;
