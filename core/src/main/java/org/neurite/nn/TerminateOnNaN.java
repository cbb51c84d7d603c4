package org.neurite.nn;

/** Stops training as soon as the running loss is NaN or infinite, as Keras's {@code TerminateOnNaN}. */
public final class TerminateOnNaN implements Callback {
    private int stoppedAtStep = -1;

    @Override
    public boolean needsBatchLoss() {
        return true;
    }

    @Override
    public void onBatchEnd(int step, double runningLoss, Model model) {
        if (!Double.isFinite(runningLoss)) {
            stoppedAtStep = step;
            model.stopTraining();
        }
    }

    /** The step (within its epoch, from 0) at which a non-finite loss stopped training, or -1. */
    public int stoppedAtStep() {
        return stoppedAtStep;
    }
}
