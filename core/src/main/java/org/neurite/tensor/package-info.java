/**
 * The tensor layer: {@link org.neurite.tensor.Tensor} (float32 data with an owner backend and an explicit
 * lifetime), {@link org.neurite.tensor.Backend} and its discovery ({@link org.neurite.tensor.Backends},
 * {@link org.neurite.tensor.spi.BackendProvider}), and {@link org.neurite.tensor.Kernels}, the contract every
 * backend implements. Nothing here knows about CUDA, OpenCL or layers.
 */
package org.neurite.tensor;
