package org.neurite.nn;

/**
 * A learning rate as a function of the training step (the optimizer's iteration count, from 0), like
 * Keras's {@code LearningRateSchedule}s. Apply one with {@link LearningRateScheduler#perStep}.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(int step);

    static LearningRateSchedule constant(double rate) {
        return step -> rate;
    }

    /** {@code initial * decayRate^(step / decaySteps)}, the exponent floored when {@code staircase}. */
    static LearningRateSchedule exponentialDecay(double initial, int decaySteps, double decayRate, boolean staircase) {
        return step -> {
            double p = (double) step / decaySteps;
            return initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
        };
    }

    /** {@code initial * factor^floor(step / every)}: divide the rate by a constant every so often. */
    static LearningRateSchedule stepDecay(double initial, int every, double factor) {
        return step -> initial * Math.pow(factor, Math.floor((double) step / every));
    }

    /**
     * Smith's 1cycle (2018): the rate climbs linearly from {@code maxRate / 10} to {@code maxRate} over the first
     * 45% of {@code totalSteps}, comes back down over the next 45%, then falls to {@code maxRate / 1000} over the
     * last 10%. Pair with {@link OneCycle} to move SGD's momentum the opposite way.
     */
    static LearningRateSchedule oneCycle(double maxRate, int totalSteps) {
        return step -> OneCycle.phase(step, totalSteps, maxRate / 10, maxRate, maxRate / 1000);
    }
}
