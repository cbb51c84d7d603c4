/**
 * For accelerator backends: the whole {@link org.neurite.tensor.Kernels} contract written once
 * ({@link org.neurite.tensor.device.DeviceKernels}) over a small
 * {@link org.neurite.tensor.device.DeviceRuntime}, the tensor type they share, and a caching allocator.
 */
package org.neurite.tensor.device;
