/**
 * What a backend author implements or calls, apart from what a user imports from {@code org.neurite.tensor}:
 * {@link org.neurite.tensor.spi.BackendProvider} (found through {@code META-INF/services}), its
 * {@link org.neurite.tensor.spi.Availability} probe that never throws, and {@link org.neurite.tensor.spi.KernelChecks},
 * the argument checks every backend's kernels run so that errors read the same everywhere. Accelerators build on
 * {@code org.neurite.tensor.device} ({@code DeviceBackend}, {@code DeviceKernels} over a {@code DeviceRuntime});
 * every backend's tensors get their lifetimes (close, backend close, the leak safety net) from
 * {@link org.neurite.tensor.spi.TensorLifetimes}.
 */
package org.neurite.tensor.spi;
