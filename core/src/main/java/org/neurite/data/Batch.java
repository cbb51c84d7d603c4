package org.neurite.data;

/**
 * One batch on the host: {@link #rows()} samples, each input and target row-major in arrays sized for the loader's
 * full batch (only the first {@code rows x width} values are the batch's). Reused: a loader hands out the same
 * arrays again after the next call to its iterator.
 */
public final class Batch {
    private final float[][] inputs;
    private final float[][] targets;
    private final int[] inputWidths;
    private final int[] targetWidths;
    private int rows;
    private int index;

    /** A view of arrays a data set is reading into (for {@link Dataset#map}). */
    Batch(float[][] inputs, float[][] targets, int[] inputWidths, int[] targetWidths, int rows) {
        this.inputs = inputs;
        this.targets = targets;
        this.inputWidths = inputWidths;
        this.targetWidths = targetWidths;
        this.rows = rows;
    }

    Batch(int capacity, int[] inputWidths, int[] targetWidths) {
        this.inputWidths = inputWidths.clone();
        this.targetWidths = targetWidths.clone();
        this.inputs = new float[inputWidths.length][];
        this.targets = new float[targetWidths.length][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new float[Math.multiplyExact(capacity, inputWidths[i])];
        }
        for (int j = 0; j < targets.length; j++) {
            targets[j] = new float[Math.multiplyExact(capacity, targetWidths[j])];
        }
    }

    /** Samples in this batch. */
    public int rows() {
        return rows;
    }

    /** This batch's position in its epoch, from 0. */
    public int index() {
        return index;
    }

    void set(int rows, int index) {
        this.rows = rows;
        this.index = index;
    }

    /** Input {@code i}, row-major; the first {@code rows() * inputWidth(i)} values are this batch's. */
    public float[] input(int i) {
        return inputs[i];
    }

    /** Target {@code j}, row-major; the first {@code rows() * targetWidth(j)} values are this batch's. */
    public float[] target(int j) {
        return targets[j];
    }

    public int inputWidth(int i) {
        return inputWidths[i];
    }

    public int targetWidth(int j) {
        return targetWidths[j];
    }

    public int inputCount() {
        return inputs.length;
    }

    public int targetCount() {
        return targets.length;
    }

    float[][] inputs() {
        return inputs;
    }

    float[][] targets() {
        return targets;
    }
}
