package org.neurite.nn;

import java.util.SplittableRandom;

/** Weight initializers, as Keras defines them; biases start at zero. */
public enum Initializer {
    /** Uniform in +-sqrt(6 / (fanIn + fanOut)): Keras's default for Dense. */
    GLOROT_UNIFORM,
    /** Truncated normal (at 2 stddev) with stddev sqrt(2 / (fanIn + fanOut)): Keras's glorot_normal. */
    GLOROT_NORMAL,
    /** Normal with stddev sqrt(2 / fanIn), truncated at 2 stddev (Keras's he_normal): for ReLU. */
    HE_NORMAL,
    /** Uniform in +-sqrt(6 / fanIn): Keras's he_uniform. */
    HE_UNIFORM,
    /** Normal with stddev sqrt(1 / fanIn), truncated at 2 stddev (Keras's lecun_normal): for SELU. */
    LECUN_NORMAL,
    /** Uniform in +-sqrt(3 / fanIn): Keras's lecun_uniform. */
    LECUN_UNIFORM,
    /** All zeros: Keras's zeros (biases). */
    ZEROS,
    /** All ones: Keras's ones (scales). */
    ONES;

    /**
     * Keras's {@code VarianceScaling}: variance {@code scale / n} with n the fan-in or the mean of fan-in and
     * fan-out; uniform in +-sqrt(3 scale / n), or a normal truncated at 2 stddev whose stddev is
     * sqrt(scale / n) / 0.8796... (the stddev of a unit normal truncated at +-2), so that the samples have it.
     */
    float[] sample(SplittableRandom r, int fanIn, int fanOut) {
        return sample(r, fanIn, fanOut, Math.toIntExact((long) fanIn * fanOut));
    }

    /** {@code count} values for a weight of this fan-in and fan-out. */
    float[] sample(SplittableRandom r, int fanIn, int fanOut, int count) {
        float[] w = new float[count];
        if (this == ZEROS || this == ONES) {
            java.util.Arrays.fill(w, this == ONES ? 1f : 0f);
            return w;
        }
        double scale = this == HE_NORMAL || this == HE_UNIFORM ? 2.0 : 1.0;
        double n = this == GLOROT_UNIFORM || this == GLOROT_NORMAL ? (fanIn + fanOut) / 2.0 : fanIn;
        boolean uniform = this == GLOROT_UNIFORM || this == HE_UNIFORM || this == LECUN_UNIFORM;
        if (uniform) {
            // Glorot's as sqrt(6 / (in + out)): the same bits as before LeCun and He got uniform forms
            double limit = this == GLOROT_UNIFORM ? Math.sqrt(6.0 / (fanIn + fanOut)) : Math.sqrt(3 * scale / n);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextDouble(-limit, limit);
            }
            return w;
        }
        double std = Math.sqrt(scale / n) / 0.87962566103423978;
        for (int i = 0; i < w.length; i++) {
            double g;
            do {
                g = gaussian(r);
            } while (Math.abs(g) > 2);
            w[i] = (float) (g * std);
        }
        return w;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
