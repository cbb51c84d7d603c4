package org.neurite.examples.data;

import java.util.SplittableRandom;

/** Seeded shuffles and splits of row-major data, and feature standardization fitted on training rows. */
public final class Split {
    private Split() {
    }

    /** A seeded permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows {@code order[from .. to)} of a row-major array with {@code width} values per row. */
    public static float[] rows(float[] data, int width, int[] order, int from, int to) {
        float[] out = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(data, order[i] * width, out, (i - from) * width, width);
        }
        return out;
    }

    /** A standard scaler (scikit-learn's): mean and standard deviation per column, from the rows it is fitted on. */
    public static final class StandardScaler {
        private final float[] mean;
        private final float[] scale;

        private StandardScaler(float[] mean, float[] scale) {
            this.mean = mean;
            this.scale = scale;
        }

        public static StandardScaler fit(float[] data, int width) {
            int n = data.length / width;
            double[] sum = new double[width];
            double[] sq = new double[width];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < width; j++) {
                    double v = data[i * width + j];
                    sum[j] += v;
                    sq[j] += v * v;
                }
            }
            float[] mean = new float[width];
            float[] scale = new float[width];
            for (int j = 0; j < width; j++) {
                double m = sum[j] / n;
                double sd = Math.sqrt(Math.max(0, sq[j] / n - m * m));
                mean[j] = (float) m;
                scale[j] = sd > 0 ? (float) sd : 1f;
            }
            return new StandardScaler(mean, scale);
        }

        /** A standardized copy. */
        public float[] transform(float[] data) {
            int width = mean.length;
            float[] out = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                int j = i % width;
                out[i] = (data[i] - mean[j]) / scale[j];
            }
            return out;
        }
    }
}
