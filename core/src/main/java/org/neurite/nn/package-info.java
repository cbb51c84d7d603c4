/**
 * The Keras-style layer: {@link org.neurite.nn.Layer}s ({@link org.neurite.nn.Dense}),
 * {@link org.neurite.nn.Sequential} with {@code compile}/{@code fit}/{@code evaluate}/{@code predict},
 * {@link org.neurite.nn.Loss}es, {@link org.neurite.nn.Optimizer}s ({@link org.neurite.nn.SGD},
 * {@link org.neurite.nn.Adam}, {@link org.neurite.nn.RMSprop}, {@link org.neurite.nn.Adagrad}),
 * {@link org.neurite.nn.Metric}s and the {@link org.neurite.nn.History}. Written against
 * {@link org.neurite.tensor.Kernels} only, so it runs unchanged on every backend.
 */
package org.neurite.nn;
