package org.neurite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/** Comparisons with stated tolerances that say where and by how much they failed. */
public final class Check {
    private Check() {
    }

    /** |actual - expected| <= atol + rtol |expected|, element by element. */
    public static void close(String what, float[] actual, double[] expected, double atol, double rtol) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= tol) && !(Double.isNaN(expected[i]) && Float.isNaN(actual[i]))
                    && !(Double.isInfinite(expected[i]) && actual[i] == expected[i])) {
                fail(String.format(Locale.ROOT, "%s: element %d is %s, expected %s (tolerance %.3g = atol %.1g + rtol %.1g)",
                        what, i, actual[i], expected[i], tol, atol, rtol));
            }
        }
    }

    public static void close(String what, float[] actual, float[] expected, double atol, double rtol) {
        close(what, actual, Reference.toDouble(expected), atol, rtol);
    }

    /** |actual - expected| <= scale * bound + atol: errors relative to the magnitude of the terms summed. */
    public static void withinBound(String what, float[] actual, double[] expected, double[] bound, double scale,
                                   double atol) {
        for (int i = 0; i < actual.length; i++) {
            double tol = scale * bound[i] + atol;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %s, expected %s (tolerance %.3g)", what, i,
                        actual[i], expected[i], tol));
            }
        }
    }
}
