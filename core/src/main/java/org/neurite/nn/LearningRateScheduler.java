package org.neurite.nn;

import java.util.function.IntToDoubleFunction;

/** Sets the optimizer's learning rate from a schedule, per epoch (Keras's callback) or per step. */
public final class LearningRateScheduler implements Callback {
    private final IntToDoubleFunction epochSchedule;
    private final LearningRateSchedule stepSchedule;

    private LearningRateScheduler(IntToDoubleFunction epochSchedule, LearningRateSchedule stepSchedule) {
        this.epochSchedule = epochSchedule;
        this.stepSchedule = stepSchedule;
    }

    /** {@code schedule(epoch)} (from 0) at the start of each epoch. */
    public static LearningRateScheduler perEpoch(IntToDoubleFunction schedule) {
        return new LearningRateScheduler(schedule, null);
    }

    /** {@code schedule(iterations)} before every step (the first step uses {@code schedule(0)}). */
    public static LearningRateScheduler perStep(LearningRateSchedule schedule) {
        return new LearningRateScheduler(null, schedule);
    }

    @Override
    public void onTrainBegin(Model model) {
        if (stepSchedule != null) {
            model.optimizer().setLearningRate((float) stepSchedule.rate(model.optimizer().iterations()));
        }
    }

    @Override
    public void onEpochBegin(int epoch, Model model) {
        if (epochSchedule != null) {
            model.optimizer().setLearningRate((float) epochSchedule.applyAsDouble(epoch));
        }
    }

    @Override
    public void onBatchEnd(int step, double runningLoss, Model model) {
        if (stepSchedule != null) {
            model.optimizer().setLearningRate((float) stepSchedule.rate(model.optimizer().iterations()));
        }
    }
}
