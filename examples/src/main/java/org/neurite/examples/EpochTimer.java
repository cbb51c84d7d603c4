package org.neurite.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.nn.Callback;
import org.neurite.nn.Model;

/**
 * Wall time of each epoch (training steps and the validation pass), summarized as the median over the
 * epochs after the first, which also pays for JIT compilation and warm-up, and the first on its own. Also the time of
 * each training step after the first epoch (from the end of one step to the end of the next, the batch's gather
 * included), summarized as percentiles by {@link #stepTimes}: on a machine whose speed swings, the quick steps tell
 * what the code can do and the slow ones what the machine took away.
 */
final class EpochTimer implements Callback {
    private final List<Double> seconds = new ArrayList<>();
    private long[] steps = new long[0];
    private int stepCount;
    private long start;
    private long last;

    @Override
    public void onEpochBegin(int epoch, Model model) {
        start = System.nanoTime();
        last = start;
    }

    @Override
    public void onBatchEnd(int step, double runningLoss, Model model) {
        long now = System.nanoTime();
        if (!seconds.isEmpty()) {
            if (stepCount == steps.length) {
                steps = Arrays.copyOf(steps, Math.max(1024, 2 * stepCount));
            }
            steps[stepCount++] = now - last;
        }
        last = now;
    }

    /**
     * The step times after the first epoch in microseconds: the 10th, 50th, 90th and 99th percentiles, the slowest, the
     * mean and the count; "no steps" before a second epoch.
     */
    String stepTimes() {
        if (stepCount == 0) {
            return "no steps after the first epoch";
        }
        long[] s = Arrays.copyOf(steps, stepCount);
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "p10 %.0f us, median %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us, mean %.0f"
                + " us (%d steps after the first epoch)", s[stepCount / 10] / 1e3, s[stepCount / 2] / 1e3,
                s[stepCount * 9 / 10] / 1e3, s[stepCount * 99 / 100] / 1e3, s[stepCount - 1] / 1e3, mean / 1e3, stepCount);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        seconds.add((System.nanoTime() - start) / 1e9);
    }

    /** Seconds per epoch, in order. */
    List<Double> seconds() {
        return List.copyOf(seconds);
    }

    /** Median of the epochs after the first (the only epoch when there is one). */
    double steadySeconds() {
        if (seconds.isEmpty()) {
            return Double.NaN;
        }
        double[] s = seconds.subList(seconds.size() > 1 ? 1 : 0, seconds.size()).stream()
                .mapToDouble(Double::doubleValue).sorted().toArray();
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    @Override
    public String toString() {
        if (seconds.size() < 2) {
            return String.format(Locale.ROOT, "%.2f s", steadySeconds());
        }
        return String.format(Locale.ROOT, "%.2f s (median of epochs 2-%d; the first, with JIT warm-up, %.2f s)",
                steadySeconds(), seconds.size(), seconds.get(0));
    }
}
