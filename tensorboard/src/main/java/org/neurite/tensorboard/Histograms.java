package org.neurite.tensorboard;

import org.neurite.tensorboard.proto.HistogramProto;

/**
 * Histograms as {@code tf.summary.histogram} makes them: {@value #DEFAULT_BUCKETS} buckets of equal width between
 * the smallest and the largest value (one bucket when all values are equal), stored in TensorBoard's
 * {@code HistogramProto}: {@code bucket_limit[i]} is bucket i's right edge and the first bucket starts at
 * {@code min}. NaN and infinite values are left out of the buckets and the statistics; {@link #nonFinite} counts them.
 */
public final class Histograms {
    /** Keras 3's (tf.summary's) bucket count. */
    public static final int DEFAULT_BUCKETS = 30;

    private Histograms() {
    }

    /** The histogram of the finite values in {@code values}, in {@code buckets} buckets. */
    public static HistogramProto of(float[] values, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("histogram: buckets must be at least 1, not " + buckets);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                sumSquares += (double) v * v;
                n++;
            }
        }
        HistogramProto.Builder h = HistogramProto.newBuilder();
        if (n == 0) {
            return h.build();
        }
        h.setMin(min).setMax(max).setNum(n).setSum(sum).setSumSquares(sumSquares);
        int k = max > min ? buckets : 1;
        double width = (max - min) / k;
        double[] counts = new double[k];
        for (float v : values) {
            if (Float.isFinite(v)) {
                int b = k == 1 ? 0 : (int) ((v - min) / width);
                counts[Math.min(Math.max(b, 0), k - 1)]++;
            }
        }
        for (int b = 0; b < k; b++) {
            h.addBucketLimit(b == k - 1 ? max : min + width * (b + 1));
            h.addBucket(counts[b]);
        }
        return h.build();
    }

    /** How many of {@code values} are NaN or infinite. */
    public static long nonFinite(float[] values) {
        long c = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                c++;
            }
        }
        return c;
    }
}
