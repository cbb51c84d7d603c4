package org.neurite.tuning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random search (Bergstra and Bengio 2012) over any model: {@code maxTrials} trials (default 10), each with
 * hyperparameters drawn independently from the build function's ranges, trained for the given epochs.
 *
 * <pre>{@code
 * RandomSearch tuner = new RandomSearch(hp -> build(hp), Objective.maximize("val_accuracy"));
 * tuner.maxTrials(20).directory(Path.of("tuning"));
 * tuner.search((m, epochs) -> m.fit(x, y, FitOptions.epochs(epochs).validationData(xv, yv)), 10);
 * System.out.print(tuner.summary(5));
 * }</pre>
 */
public final class RandomSearch extends Tuner {

    /** A search of models from {@code builder}, scored by {@code objective}. */
    public RandomSearch(Builder builder, Objective objective) {
        super(builder, objective);
        this.maxTrials = 10;
    }

    /** Runs (or resumes) the search, each trial trained for {@code epochs}; returns the trials ranked. */
    public List<Trial> search(Fitter fitter, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("RandomSearch: epochs must be at least 1, got " + epochs);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("algorithm", "random");
        settings.put("seed", seed);
        settings.put("objective", objective.name());
        settings.put("epochs", epochs);
        settings.put("executions_per_trial", executionsPerTrial);
        resume(settings);
        for (int id = 0; id < maxTrials; id++) {
            if (!trials.containsKey(id)) {
                run(id, draw(id), fitter, epochs, epochs, 0, 0, null, null);
            }
        }
        return results();
    }
}
