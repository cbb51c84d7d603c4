package org.neurite.nn;

import java.util.SplittableRandom;

/** Weight initializers, as Keras defines them; biases start at zero. */
public enum Initializer {
    /** Uniform in +-sqrt(6 / (fanIn + fanOut)): Keras's default for Dense. */
    GLOROT_UNIFORM,
    /** Normal with stddev sqrt(2 / fanIn), truncated at 2 stddev (Keras's he_normal): for ReLU. */
    HE_NORMAL,
    /** Normal with stddev sqrt(1 / fanIn), truncated at 2 stddev (Keras's lecun_normal): for SELU. */
    LECUN_NORMAL;

    float[] sample(SplittableRandom r, int fanIn, int fanOut) {
        float[] w = new float[fanIn * fanOut];
        switch (this) {
            case GLOROT_UNIFORM: {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) r.nextDouble(-limit, limit);
                }
                return w;
            }
            default: {
                // Keras divides by 0.8796..., the stddev of a unit normal truncated at +-2.
                double std = Math.sqrt((this == HE_NORMAL ? 2.0 : 1.0) / fanIn) / 0.87962566103423978;
                for (int i = 0; i < w.length; i++) {
                    double g;
                    do {
                        g = gaussian(r);
                    } while (Math.abs(g) > 2);
                    w[i] = (float) (g * std);
                }
                return w;
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
