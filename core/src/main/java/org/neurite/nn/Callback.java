package org.neurite.nn;

import java.util.Map;

/**
 * Hooks into {@link Model#fit}, as Keras callbacks. Epochs count from 0 here, as in Keras.
 * A callback can stop training with {@link Model#stopTraining()} and change the optimizer's
 * learning rate through {@link Model#optimizer()}.
 */
public interface Callback {
    default void onTrainBegin(Model model) {
    }

    default void onEpochBegin(int epoch, Model model) {
    }

    /**
     * After each step. {@code runningLoss} is the epoch's mean loss so far, read from the device only when
     * some callback asks for it through {@link #needsBatchLoss()}; NaN otherwise.
     */
    default void onBatchEnd(int step, double runningLoss, Model model) {
    }

    /** Whether {@link #onBatchEnd} needs the running loss (which costs a device read per step). */
    default boolean needsBatchLoss() {
        return false;
    }

    /** {@code logs} holds the epoch's {@code loss}, metrics and {@code val_} values. */
    default void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
    }

    default void onTrainEnd(Model model) {
    }
}
