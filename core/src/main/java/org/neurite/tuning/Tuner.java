package org.neurite.tuning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.neurite.internal.Json;
import org.neurite.nn.History;
import org.neurite.nn.Model;

/**
 * A hyperparameter search over any model, as Keras Tuner's: a {@link Builder} makes a compiled model from a trial's
 * {@link HyperParameters}, a {@link Fitter} trains it (with the caller's data, batch size, callbacks such as early
 * stopping), and the tuner scores each trial by its {@link Objective}. {@link RandomSearch} draws trials at random;
 * {@link Hyperband} runs successive halving in brackets.
 *
 * <p>With a {@link #directory}, every finished trial is written there ({@code trial_0007.json}: hyperparameters,
 * score, epochs) as it finishes, so that a search that was interrupted resumes where it stopped: the same tuner
 * settings on the same directory skip the trials already done, and draw the same hyperparameters for the rest
 * (each trial's draws come from the seed and its number).
 */
public abstract class Tuner {
    /** Makes a compiled model for a trial. */
    @FunctionalInterface
    public interface Builder {
        /** A new, compiled model for these hyperparameters (the tuner closes it). */
        Model build(HyperParameters hp);
    }

    /** Trains a model for a number of epochs and returns that training's history. */
    @FunctionalInterface
    public interface Fitter {
        /**
         * Trains {@code model} for {@code epochs} more epochs, e.g.
         * {@code (m, epochs) -> m.fit(x, y, FitOptions.epochs(epochs).validationData(xv, yv))}.
         */
        History fit(Model model, int epochs);
    }

    protected final Builder builder;
    protected final Objective objective;
    protected int maxTrials = Integer.MAX_VALUE;
    protected int executionsPerTrial = 1;
    protected long seed = 42;
    protected Path directory;
    private java.io.PrintStream out;
    protected final Map<Integer, Trial> trials = new TreeMap<>();
    private final List<Integer> trained = new ArrayList<>();

    protected Tuner(Builder builder, Objective objective) {
        this.builder = builder;
        this.objective = objective;
    }

    /** At most this many trials (for Hyperband: counting each round of a configuration as a trial). */
    public Tuner maxTrials(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxTrials must be at least 1, got " + n);
        }
        this.maxTrials = n;
        return this;
    }

    /** Models built and trained per trial, their scores averaged (Keras Tuner's {@code executions_per_trial}). */
    public Tuner executionsPerTrial(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("executionsPerTrial must be at least 1, got " + n);
        }
        this.executionsPerTrial = n;
        return this;
    }

    /** The seed of every draw (default 42). */
    public Tuner seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Where trials are written as they finish, and read back to resume. */
    public Tuner directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Prints a line per trial as it finishes (default: silent). */
    public Tuner verbose(java.io.PrintStream stream) {
        this.out = stream;
        return this;
    }

    /** Every trial finished, best first (NaN scores last). */
    public List<Trial> results() {
        List<Trial> out = new ArrayList<>(trials.values());
        out.sort(ranking());
        return out;
    }

    /** The best trial. */
    public Trial best() {
        List<Trial> r = results();
        if (r.isEmpty()) {
            throw new IllegalStateException("no trial has finished");
        }
        return r.get(0);
    }

    /** The ids of the trials this tuner trained (not those read back from the directory). */
    public List<Integer> trainedTrials() {
        return List.copyOf(trained);
    }

    /** The ranked results as a table: rank, trial, score, epochs, hyperparameters. */
    public String summary(int top) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-5s %-6s %-12s %-7s %s%n", "rank", "trial",
                objective.name(), "epochs", "hyperparameters"));
        List<Trial> r = results();
        for (int i = 0; i < Math.min(top, r.size()); i++) {
            Trial t = r.get(i);
            b.append(String.format(Locale.ROOT, "%-5d %-6d %-12.4f %-7d %s%n", i + 1, t.id(), t.score(), t.epochs(),
                    HyperParameters.of(t.hyperParameters())));
        }
        return b.toString();
    }

    protected Comparator<Trial> ranking() {
        return (a, b) -> objective.better(a.score(), b.score()) ? -1 : objective.better(b.score(), a.score()) ? 1
                : Integer.compare(a.id(), b.id());
    }

    /** The hyperparameter draws of trial {@code id}: from the seed and the id, so that a resumed search repeats them. */
    protected HyperParameters draw(int id) {
        return new HyperParameters(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (id + 1))), Map.of(), 0);
    }

    /**
     * Builds and trains trial {@code id} ({@code executionsPerTrial} times), or, when {@code from} models are given
     * (Hyperband's later rounds), continues them. Returns the scored trial; {@code keep} receives the models
     * (open) when not null, else they are closed.
     */
    protected Trial run(int id, HyperParameters hp, Fitter fitter, int epochs, int totalEpochs, int bracket, int round,
                        List<Model> from, List<Model> keep) {
        double sum = 0;
        int finite = 0;
        Map<String, Object> values = hp.values();
        for (int e = 0; e < executionsPerTrial; e++) {
            Model m;
            if (from != null) {
                m = from.get(e);
            } else {
                // The first execution draws the values; the others build with the same values and another seed.
                m = builder.build(e == 0 ? hp : new HyperParameters(new SplittableRandom(0), values, e));
                if (e == 0) {
                    values = hp.values();
                }
            }
            try {
                History history = fitter.fit(m, epochs);
                double score = objective.best(history);
                if (Double.isFinite(score)) {
                    sum += score;
                    finite++;
                }
            } catch (RuntimeException ex) {
                m.close();
                throw ex;
            }
            if (keep != null) {
                keep.add(m);
            } else {
                m.close();
            }
        }
        // As the trial file holds them (integers as longs): a trial read back equals the trial run.
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) normalize(values);
        Trial t = new Trial(id, stored, finite == 0 ? Double.NaN : sum / finite,
                totalEpochs, bracket, round);
        trials.put(id, t);
        trained.add(id);
        write(t);
        if (out != null) {
            out.printf(Locale.ROOT, "trial %d: %s %.4f after %d epochs (%s)%n", id, objective.name(), t.score(), totalEpochs,
                    HyperParameters.of(stored));
            out.flush();
        }
        return t;
    }

    /** Reads the finished trials in {@link #directory}, checking it holds this search ({@code settings}). */
    protected void resume(Map<String, Object> settings) {
        if (directory == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("tuner.json");
            if (Files.exists(file)) {
                Object stored = Json.parse(Files.readAllBytes(file));
                if (!normalize(settings).equals(normalize(stored))) {
                    throw new IllegalArgumentException(directory + " holds another search (" + Json.write(stored)
                            + "), not this one (" + Json.write(settings) + "): use another directory");
                }
            } else {
                atomicWrite(file, Json.write(settings));
            }
            try (var files = Files.list(directory)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith("trial_") && n.endsWith(".json")) {
                        Trial t = read(p);
                        trials.put(t.id(), t);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tuner: " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Object normalize(Object o) {
        return Json.parse(Json.write(o));
    }

    private void write(Trial t) {
        if (directory == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("hyperparameters", t.hyperParameters());
        m.put("score", Double.isFinite(t.score()) ? t.score() : null);
        m.put("epochs", t.epochs());
        m.put("bracket", t.bracket());
        m.put("round", t.round());
        m.put("status", "COMPLETED");
        try {
            atomicWrite(directory.resolve(String.format(Locale.ROOT, "trial_%04d.json", t.id())), Json.write(m));
        } catch (IOException e) {
            throw new UncheckedIOException("tuner: cannot write trial " + t.id() + " in " + directory + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Trial read(Path p) throws IOException {
        Map<String, Object> m;
        try {
            m = (Map<String, Object>) Json.parse(Files.readAllBytes(p));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(p + ": not a trial file: " + e.getMessage(), e);
        }
        Object score = m.get("score");
        return new Trial(((Number) m.get("id")).intValue(), (Map<String, Object>) m.get("hyperparameters"),
                score == null ? Double.NaN : ((Number) score).doubleValue(), ((Number) m.get("epochs")).intValue(),
                ((Number) m.get("bracket")).intValue(), ((Number) m.get("round")).intValue());
    }

    /** Path of a model file of trial {@code id}, execution {@code e}, for continuing it. */
    protected Path modelFile(int id, int e) {
        return directory.resolve(String.format(Locale.ROOT, "trial_%04d_%d.neurite", id, e));
    }

    static void atomicWrite(Path file, String text) throws IOException {
        org.neurite.io.AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
