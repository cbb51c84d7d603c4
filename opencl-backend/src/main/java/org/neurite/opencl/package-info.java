/**
 * The OpenCL backend (JOCL): {@link org.neurite.opencl.OpenClBackend} runs core's
 * {@link org.neurite.tensor.device.DeviceKernels} on the kernel families in this package's {@code .cl}
 * resources, with a GEMM chosen per device ({@code ClGemm}, tuned on GPUs) and program binaries cached on
 * disk. PoCL devices are used only under signal chaining (see {@code SignalChaining}).
 */
package org.neurite.opencl;
