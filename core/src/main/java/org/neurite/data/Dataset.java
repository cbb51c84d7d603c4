package org.neurite.data;

/**
 * Samples that {@code fit}, {@code evaluate} and {@code predict} read in batches: features for each model input and
 * targets for each output, by sample index, without the whole set in memory. A {@link DataLoader} batches, shuffles,
 * transforms and prefetches them. Implementations: {@link Datasets#fromArrays}, {@link Datasets#idx} (IDX files, as
 * MNIST and Fashion-MNIST are distributed), {@link Datasets#npy} (NumPy files, memory-mapped), and CSV in the
 * {@code neurite-data} module.
 *
 * <p>Random access is the contract: any index, in any order. That is what a file of fixed-size records gives for
 * free (IDX, .npy), and it lets shuffling be a full permutation of the indices per epoch, as Keras shuffles arrays,
 * rather than a buffer's approximation. Reads come from one thread at a time (the loader's).
 */
public interface Dataset extends AutoCloseable {

    /** Number of samples. */
    int size();

    /** Values per sample of each model input. */
    int[] inputWidths();

    /** Values per sample of each model target; empty for a data set of inputs only (to predict). */
    int[] targetWidths();

    /**
     * Copies samples {@code indices[from]} to {@code indices[from + rows - 1]} into {@code inputs[i]} (row-major,
     * {@code rows x inputWidths()[i]}, from offset 0) and {@code targets[j]} likewise.
     *
     * @throws IndexOutOfBoundsException for an index outside {@code [0, size())}
     * @throws java.io.UncheckedIOException when the underlying file cannot be read
     */
    void read(int[] indices, int from, int rows, float[][] inputs, float[][] targets);

    /** Releases files and mappings; the default holds none. */
    @Override
    default void close() {
    }

    /** This data set with {@code f} applied to every batch as it is read (normalisation on the fly). */
    default Dataset map(BatchTransform f) {
        return new Datasets.Mapped(this, f);
    }

    /** Samples {@code [from, to)} of this data set (for a validation part: {@code slice(0, 5000)}). */
    default Dataset slice(int from, int to) {
        return new Datasets.Slice(this, from, to);
    }
}
