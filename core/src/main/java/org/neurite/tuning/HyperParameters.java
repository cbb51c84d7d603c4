package org.neurite.tuning;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hyperparameters of one trial, as Keras Tuner's {@code HyperParameters}: a build function asks for each by name
 * and gets a value, drawn from the declared range the first time a trial sees the name and kept for the trial. Names
 * asked for only under a condition (the neurons of the 5th layer, when there are 5 layers) are simply absent from
 * trials that do not ask.
 *
 * <pre>{@code
 * Model build(HyperParameters hp) {
 *     int layers = hp.intRange("hidden_layers", 0, 8);
 *     ...  hp.intRange("neurons_" + i, 16, 256) ...
 *     double rate = hp.floatRange("learning_rate", 1e-4, 1e-2, HyperParameters.Sampling.LOG);
 *     String optimizer = hp.choice("optimizer", "sgd", "adam");
 * }
 * }</pre>
 */
public final class HyperParameters {
    /** How a float range is sampled. */
    public enum Sampling {
        /** Uniform in [min, max]. */
        LINEAR,
        /** Uniform in [log min, log max] (for learning rates). */
        LOG
    }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> space = new LinkedHashMap<>();
    private final SplittableRandom random;
    private final int executionSeed;

    /** Fresh values drawn from {@code random}; {@code fixed} values (a trial being resumed or replayed) win. */
    HyperParameters(SplittableRandom random, Map<String, Object> fixed, int executionSeed) {
        this.random = random;
        this.values.putAll(fixed);
        this.executionSeed = executionSeed;
    }

    /** Values given by the caller (for a final model built with the best hyperparameters). */
    public static HyperParameters of(Map<String, Object> values) {
        return new HyperParameters(new SplittableRandom(0), values, 0);
    }

    /**
     * A seed for the model's initialization that differs between the executions of a trial (Keras Tuner's
     * {@code executions_per_trial} averages runs from different initializations).
     */
    public int executionSeed() {
        return executionSeed;
    }

    /** An integer in {@code [min, max]}, uniformly. */
    public int intRange(String name, int min, int max) {
        return intRange(name, min, max, 1);
    }

    /** An integer in {@code min, min + step, ..., <= max}, uniformly. */
    public int intRange(String name, int min, int max, int step) {
        if (max < min || step < 1) {
            throw new IllegalArgumentException("intRange " + name + ": [" + min + ", " + max + "] step " + step);
        }
        declare(name, String.format(Locale.ROOT, "int [%d, %d] step %d", min, max, step));
        Object v = values.get(name);
        if (v == null) {
            v = min + step * random.nextInt((max - min) / step + 1);
            values.put(name, v);
        }
        return ((Number) v).intValue();
    }

    /** A float in {@code [min, max]}, uniformly. */
    public double floatRange(String name, double min, double max) {
        return floatRange(name, min, max, Sampling.LINEAR);
    }

    /** A float in {@code [min, max]}, sampled as asked ({@link Sampling#LOG} needs {@code min > 0}). */
    public double floatRange(String name, double min, double max, Sampling sampling) {
        if (!(max >= min) || sampling == Sampling.LOG && !(min > 0)) {
            throw new IllegalArgumentException("floatRange " + name + ": [" + min + ", " + max + "] " + sampling);
        }
        declare(name, String.format(Locale.ROOT, "float [%g, %g] %s", min, max, sampling.name().toLowerCase(Locale.ROOT)));
        Object v = values.get(name);
        if (v == null) {
            double u = random.nextDouble();
            v = sampling == Sampling.LOG ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
                    : min + u * (max - min);
            values.put(name, v);
        }
        return ((Number) v).doubleValue();
    }

    /** One of {@code options}, uniformly; strings, numbers or booleans (they are written to the trial files). */
    @SafeVarargs
    public final <T> T choice(String name, T... options) {
        if (options.length == 0) {
            throw new IllegalArgumentException("choice " + name + ": no options");
        }
        declare(name, "choice " + java.util.Arrays.toString(options));
        Object v = values.get(name);
        if (v == null) {
            v = options[random.nextInt(options.length)];
            values.put(name, v);
        }
        for (T o : options) {
            if (o.equals(v) || o instanceof Number n && v instanceof Number w && n.doubleValue() == w.doubleValue()) {
                return o;
            }
        }
        throw new IllegalArgumentException("choice " + name + ": the value " + v + " is not among "
                + java.util.Arrays.toString(options));
    }

    /** True or false, evenly. */
    public boolean bool(String name) {
        return choice(name, false, true);
    }

    /** Fixes {@code name} for this trial (before the build function asks for it). */
    public HyperParameters fixed(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** The values this trial used, by name, in the order they were first asked for. */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The declared ranges, by name ({@code "int [0, 8] step 1"}). */
    public Map<String, String> space() {
        return Collections.unmodifiableMap(space);
    }

    private void declare(String name, String definition) {
        String previous = space.putIfAbsent(name, definition);
        if (previous != null && !previous.equals(definition)) {
            throw new IllegalArgumentException("hyperparameter " + name + " declared twice differently: " + previous
                    + " and " + definition);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=')
                .append(v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v));
        return b.toString();
    }
}
