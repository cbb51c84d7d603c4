package org.neurite.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Model#fit} returns: one value per epoch for {@code loss}, each metric, and their {@code val_} forms. */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

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
