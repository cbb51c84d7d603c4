/**
 * Data larger than memory, and input prepared while the model trains: {@link org.neurite.data.Dataset} (random-access
 * samples: host arrays, IDX and NumPy files memory-mapped), {@link org.neurite.data.DataLoader} (shuffling, batching,
 * transforms, background prefetch) and {@link org.neurite.data.BatchTransform}. {@code Model.fit}, {@code evaluate}
 * and {@code predict} take a data set directly.
 */
package org.neurite.data;
