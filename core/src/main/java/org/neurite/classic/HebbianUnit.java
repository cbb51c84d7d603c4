package org.neurite.classic;

/**
 * Hebb's rule (1949), "cells that fire together wire together", as a learning rule of its own: for each
 * sample, {@code w <- w + eta * x * t} and {@code b <- b + eta * t}, with no error term. With bipolar
 * (-1/+1) inputs and targets, one pass learns AND and OR (Fausett's Hebb net); unlike the perceptron rule
 * it keeps growing the weights and fails on patterns whose correlations cancel out.
 */
public final class HebbianUnit {
    private final float[] weights;
    private float bias;
    private final float learningRate;

    public HebbianUnit(int inputs, float learningRate) {
        this.weights = new float[inputs];
        this.learningRate = learningRate;
    }

    /** One pass of Hebb's rule over the samples, in order. */
    public void train(float[] x, float[] targets) {
        int n = weights.length;
        if (x.length != targets.length * n) {
            throw new IllegalArgumentException("HebbianUnit: x has " + x.length + " values for " + targets.length
                    + " rows of " + n);
        }
        for (int r = 0; r < targets.length; r++) {
            for (int j = 0; j < n; j++) {
                weights[j] += learningRate * x[r * n + j] * targets[r];
            }
            bias += learningRate * targets[r];
        }
    }

    /** The sign of {@code w . x + b} (-1, 0 or +1) for one sample. */
    public float predict(float[] x) {
        double s = bias;
        for (int j = 0; j < weights.length; j++) {
            s += weights[j] * x[j];
        }
        return (float) Math.signum(s);
    }

    public float[] weights() {
        return weights.clone();
    }

    public float bias() {
        return bias;
    }
}
