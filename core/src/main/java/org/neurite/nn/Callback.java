package org.neurite.nn;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}, as Keras callbacks. Epochs count from 0 here, as in Keras.
 * A callback can stop training with {@link Sequential#stopTraining()} and change the optimizer's
 * learning rate through {@link Sequential#optimizer()}.
 */
public interface Callback {
    default void onTrainBegin(Sequential model) {
    }

    default void onEpochBegin(int epoch, Sequential model) {
    }

    /**
     * After each step. {@code runningLoss} is the epoch's mean loss so far, read from the device only when
     * some callback asks for it through {@link #needsBatchLoss()}; NaN otherwise.
     */
    default void onBatchEnd(int step, double runningLoss, Sequential model) {
    }

    /** Whether {@link #onBatchEnd} needs the running loss (which costs a device read per step). */
    default boolean needsBatchLoss() {
        return false;
    }

    /** {@code logs} holds the epoch's {@code loss}, metrics and {@code val_} values. */
    default void onEpochEnd(int epoch, Map<String, Double> logs, Sequential model) {
    }

    default void onTrainEnd(Sequential model) {
    }
}
