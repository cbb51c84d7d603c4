package org.neurite.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.nn.Model;

/**
 * Hyperband (Li et al., JMLR 2018): brackets of successive halving that trade many configurations trained briefly
 * against few trained long. With {@code R = maxEpochs} and {@code eta = factor}: {@code s_max} is the largest
 * {@code s} with {@code eta^s <= R}; bracket {@code s} (from {@code s_max} down to 0) starts
 * {@code n = ceil((s_max + 1) / (s + 1) * eta^s)} configurations at {@code r = R / eta^s} epochs, and round {@code i}
 * keeps the best {@code n_i = floor(n / eta^i)} of them, trained on to {@code r_i = r * eta^i} epochs in all (the
 * paper's table for R = 81, eta = 3: brackets of 81, 34, 15, 8 and 5). Survivors continue from their weights and
 * optimizer state, as Keras Tuner continues them; each round of a configuration is a trial, scored on that round's
 * epochs. Keras Tuner rounds the later rounds' sizes up where the paper floors (12 where the paper keeps 11 of 34):
 * this follows the paper.
 *
 * <p>Between rounds the survivors' models are kept open, or, with a {@link #directory}, saved there
 * ({@code trial_0007_0.neurite}) and loaded back, so that an interrupted search resumes mid-bracket; user layers
 * must then be registered with {@code LayerRegistry} to load.
 */
public final class Hyperband extends Tuner {
    private final int maxEpochs;
    private final int factor;
    private int iterations = 1;

    /** A search with at most {@code maxEpochs} epochs per configuration, reduced by {@code factor} per round. */
    public Hyperband(Builder builder, Objective objective, int maxEpochs, int factor) {
        super(builder, objective);
        if (maxEpochs < 1 || factor < 2) {
            throw new IllegalArgumentException("Hyperband: maxEpochs >= 1 and factor >= 2, got " + maxEpochs + " and "
                    + factor);
        }
        this.maxEpochs = maxEpochs;
        this.factor = factor;
    }

    /** Runs the whole schedule this many times (Keras Tuner's {@code hyperband_iterations}; default 1). */
    public Hyperband iterations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Hyperband: iterations must be at least 1, got " + n);
        }
        this.iterations = n;
        return this;
    }

    /** One round of a bracket: configurations kept and the total epochs they reach. */
    public record Round(int configurations, int epochs) {
    }

    /** The schedule: for each bracket (s_max first), its rounds. */
    public static List<List<Round>> schedule(int maxEpochs, int factor) {
        int sMax = 0;
        for (long p = factor; p <= maxEpochs; p *= factor) {
            sMax++;
        }
        List<List<Round>> brackets = new ArrayList<>();
        for (int s = sMax; s >= 0; s--) {
            long etaS = pow(factor, s);
            int n = (int) Math.ceil((double) (sMax + 1) / (s + 1) * etaS);
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i <= s; i++) {
                int ni = (int) (n / pow(factor, i));
                int ri = (int) Math.ceil(maxEpochs * (double) pow(factor, i) / etaS);
                rounds.add(new Round(ni, ri));
            }
            brackets.add(rounds);
        }
        return brackets;
    }

    private static long pow(int base, int exp) {
        long p = 1;
        for (int i = 0; i < exp; i++) {
            p *= base;
        }
        return p;
    }

    /** Runs (or resumes) the schedule; returns every trial (each round of each configuration) ranked. */
    public List<Trial> search(Fitter fitter) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("algorithm", "hyperband");
        settings.put("seed", seed);
        settings.put("objective", objective.name());
        settings.put("max_epochs", maxEpochs);
        settings.put("factor", factor);
        settings.put("executions_per_trial", executionsPerTrial);
        resume(settings);
        int nextId = 0;
        int budget = maxTrials;
        List<List<Round>> brackets = schedule(maxEpochs, factor);
        for (int it = 0; it < iterations; it++) {
            for (int b = 0; b < brackets.size(); b++) {
                List<Round> rounds = brackets.get(b);
                // Round 0: fresh configurations. Later rounds: the best of the previous round, continued.
                List<Integer> current = new ArrayList<>();
                Map<Integer, List<Model>> open = new LinkedHashMap<>();
                try {
                    int previousEpochs = 0;
                    for (int round = 0; round < rounds.size(); round++) {
                        Round r = rounds.get(round);
                        List<Integer> parents = round == 0 ? null : best(current, r.configurations());
                        List<Integer> made = new ArrayList<>();
                        int count = round == 0 ? r.configurations() : parents.size();
                        for (int k = 0; k < count; k++) {
                            if (budget-- <= 0) {
                                return results();
                            }
                            int id = nextId++;
                            made.add(id);
                            if (trials.containsKey(id)) {
                                continue;   // done before a restart; its model file is there for the next round
                            }
                            List<Model> keep = new ArrayList<>();
                            if (round == 0) {
                                run(id, draw(id), fitter, r.epochs(), r.epochs(), brackets.size() - 1 - b, round, null,
                                        keep);
                            } else {
                                int parent = parents.get(k);
                                List<Model> from = open.remove(parent);
                                if (from == null) {
                                    from = load(parent);
                                }
                                run(id, HyperParameters.of(trials.get(parent).hyperParameters()), fitter,
                                        r.epochs() - previousEpochs, r.epochs(), brackets.size() - 1 - b, round, from,
                                        keep);
                            }
                            if (round + 1 < rounds.size()) {
                                store(id, keep);
                                open.put(id, keep);
                            } else {
                                keep.forEach(Model::close);
                            }
                        }
                        current = made;
                        previousEpochs = r.epochs();
                    }
                } finally {
                    open.values().forEach(ms -> ms.forEach(Model::close));
                }
            }
        }
        return results();
    }

    /** The best {@code n} of trials {@code ids}, by score. */
    private List<Integer> best(List<Integer> ids, int n) {
        List<Trial> ts = new ArrayList<>();
        for (int id : ids) {
            ts.add(trials.get(id));
        }
        ts.sort(ranking());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, ts.size()); i++) {
            out.add(ts.get(i).id());
        }
        return out;
    }

    private void store(int id, List<Model> models) {
        if (directory == null) {
            return;
        }
        for (int e = 0; e < models.size(); e++) {
            models.get(e).save(modelFile(id, e));
        }
    }

    private List<Model> load(int id) {
        if (directory == null) {
            throw new IllegalStateException("Hyperband: the model of trial " + id + " is gone");
        }
        List<Model> out = new ArrayList<>();
        // Loaded onto the backend of a model the builder makes for the same trial (closed again at once).
        try (Model probe = builder.build(HyperParameters.of(trials.get(id).hyperParameters()))) {
            for (int e = 0; e < executionsPerTrial; e++) {
                out.add(Model.load(modelFile(id, e), probe.backend()));
            }
        }
        return out;
    }
}
