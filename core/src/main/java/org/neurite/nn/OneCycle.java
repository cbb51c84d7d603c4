package org.neurite.nn;

/**
 * Smith's 1cycle policy as a callback: the learning rate goes up then down (see
 * {@link LearningRateSchedule#oneCycle}) while SGD's momentum goes down from 0.95 to 0.85 and back.
 *
 * <pre>{@code
 * int steps = epochs * stepsPerEpoch;
 * model.fit(x, y, FitOptions.epochs(epochs).callbacks(new OneCycle(0.1, steps)));
 * }</pre>
 */
public final class OneCycle implements Callback {
    static final double MAX_MOMENTUM = 0.95;
    static final double MIN_MOMENTUM = 0.85;

    private final LearningRateSchedule rate;
    private final int totalSteps;

    public OneCycle(double maxRate, int totalSteps) {
        if (totalSteps < 2) {
            throw new IllegalArgumentException("OneCycle: totalSteps must be at least 2, got " + totalSteps);
        }
        this.rate = LearningRateSchedule.oneCycle(maxRate, totalSteps);
        this.totalSteps = totalSteps;
    }

    /** Linear up over 45%, down over 45%, then on to {@code end} over the last 10%. */
    static double phase(int step, int total, double start, double peak, double end) {
        double t = Math.min(1.0, (double) step / total);
        if (t <= 0.45) {
            return start + (peak - start) * t / 0.45;
        }
        if (t <= 0.9) {
            return peak + (start - peak) * (t - 0.45) / 0.45;
        }
        return start + (end - start) * (t - 0.9) / 0.1;
    }

    private void apply(Model model) {
        int step = model.optimizer().iterations();
        model.optimizer().setLearningRate((float) rate.rate(step));
        if (model.optimizer() instanceof SGD && ((SGD) model.optimizer()).stateCount() > 0) {
            double t = Math.min(1.0, (double) step / totalSteps);
            double m = t <= 0.45 ? MAX_MOMENTUM + (MIN_MOMENTUM - MAX_MOMENTUM) * t / 0.45
                    : t <= 0.9 ? MIN_MOMENTUM + (MAX_MOMENTUM - MIN_MOMENTUM) * (t - 0.45) / 0.45 : MAX_MOMENTUM;
            ((SGD) model.optimizer()).setMomentum((float) m);
        }
    }

    @Override
    public void onTrainBegin(Model model) {
        apply(model);
    }

    @Override
    public void onBatchEnd(int step, double runningLoss, Model model) {
        apply(model);
    }
}
