package org.neurite.data;

/**
 * A change made to each batch as it is read, in place (normalisation on the fly). Runs on the loader's thread,
 * ahead of training when prefetching.
 */
@FunctionalInterface
public interface BatchTransform {

    /** Transforms the batch's first {@code batch.rows()} samples in place. */
    void apply(Batch batch);

    /** Multiplies input {@code input} by {@code factor} (pixels by 1/255). */
    static BatchTransform scale(int input, float factor) {
        return b -> {
            float[] x = b.input(input);
            int n = b.rows() * b.inputWidth(input);
            for (int i = 0; i < n; i++) {
                x[i] *= factor;
            }
        };
    }

    /** {@code (x - mean) / std} per feature of input {@code input}; a feature with std 0 is only centred. */
    static BatchTransform standardize(int input, float[] mean, float[] std) {
        float[] m = mean.clone();
        float[] s = std.clone();
        if (m.length != s.length) {
            throw new IllegalArgumentException("standardize: " + m.length + " means, " + s.length + " deviations");
        }
        return b -> {
            if (b.inputWidth(input) != m.length) {
                throw new IllegalArgumentException("standardize: input " + input + " has " + b.inputWidth(input)
                        + " features, the statistics " + m.length);
            }
            float[] x = b.input(input);
            int w = m.length;
            for (int r = 0; r < b.rows(); r++) {
                for (int j = 0; j < w; j++) {
                    float v = x[r * w + j] - m[j];
                    x[r * w + j] = s[j] > 0 ? v / s[j] : v;
                }
            }
        };
    }
}
