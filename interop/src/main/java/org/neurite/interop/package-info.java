/**
 * Models from and to other frameworks: {@link org.neurite.interop.Keras} ({@code .keras}, legacy {@code .h5}),
 * {@link org.neurite.interop.Onnx}, and {@link org.neurite.interop.ModelFiles}, which picks by extension.
 */
package org.neurite.interop;
