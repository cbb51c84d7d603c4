package org.neurite.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Model#fit} returns: one value per epoch for {@code loss}, each metric, and their {@code val_} forms. */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private boolean interrupted;
    private int nonFiniteLossEpoch = -1;

    void interrupted(boolean b) {
        interrupted = b;
    }

    /**
     * Whether training stopped early because its thread was interrupted; the epochs recorded are the ones that
     * finished, and the thread's interrupt status is left set.
     */
    public boolean interrupted() {
        return interrupted;
    }

    void nonFiniteLoss(int epoch) {
        if (nonFiniteLossEpoch < 0) {
            nonFiniteLossEpoch = epoch;
        }
    }

    /** The first epoch (0-based) whose loss was NaN or infinite, or -1 if every loss was finite. */
    public int nonFiniteLossEpoch() {
        return nonFiniteLossEpoch;
    }

    /**
     * A history made of per-epoch logs gathered elsewhere (the workers of a distributed fit, averaged): each key's
     * values in epoch order.
     */
    public static History of(Map<String, List<Double>> logs) {
        History h = new History();
        logs.forEach((k, v) -> v.forEach(x -> h.add(k, x)));
        return h;
    }

    void add(String key, double value) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** The per-epoch values of {@code key} ({@code loss}, {@code accuracy}, {@code val_loss}, ...). */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("History: no '" + key + "'; recorded: " + values.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /** The last epoch's value of {@code key}. */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    public int epochs() {
        return values.isEmpty() ? 0 : values.values().iterator().next().size();
    }

    /** Everything recorded, in recording order. */
    public Map<String, List<Double>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
