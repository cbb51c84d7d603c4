package org.neurite.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.nn.Callback;
import org.neurite.nn.Model;

/**
 * Wall time of each epoch (training steps and the validation pass), summarized as the median over the
 * epochs after the first, which also pays for JIT compilation and warm-up, and the first on its own.
 */
final class EpochTimer implements Callback {
    private final List<Double> seconds = new ArrayList<>();
    private long start;

    @Override
    public void onEpochBegin(int epoch, Model model) {
        start = System.nanoTime();
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
