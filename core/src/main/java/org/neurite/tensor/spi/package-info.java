/**
 * What a backend author implements or calls, apart from what a user imports from {@code org.neurite.tensor}:
 * {@link org.neurite.tensor.spi.BackendProvider} (found through {@code META-INF/services}), its
 * {@link org.neurite.tensor.spi.Availability} probe that never throws, and {@link org.neurite.tensor.spi.KernelChecks},
 * the argument checks every backend's kernels run so that errors read the same everywhere. Accelerators build on
 * {@code org.neurite.tensor.device} ({@code DeviceKernels} over a {@code DeviceRuntime}); a tensor's lifetime is
 * kept by {@link org.neurite.tensor.TensorLifetimes}.
 */
package org.neurite.tensor.spi;
