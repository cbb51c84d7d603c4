package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;
import org.neurite.tuning.HyperParameters;
import org.neurite.tuning.Hyperband;
import org.neurite.tuning.Objective;
import org.neurite.tuning.RandomSearch;
import org.neurite.tuning.Trial;
import org.neurite.tuning.Tuner;

/** Random search and Hyperband over a user build function, on the backend under test, resumed from their directory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TuningConformance extends ConformanceBase {
    @TempDir
    Path dir;

    private Model build(HyperParameters hp) {
        int layers = hp.intRange("hidden_layers", 0, 2);
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            ls.add(new Dense(hp.intRange("neurons_" + i, 4, 16, 4), "relu"));
        }
        ls.add(new Dense(4, "softmax"));
        Sequential m = new Sequential(backend, 16, 7 + hp.executionSeed(), ls.toArray(Layer[]::new));
        double rate = hp.floatRange("learning_rate", 1e-3, 0.3, HyperParameters.Sampling.LOG);
        m.compile(Loss.sparseCategoricalCrossEntropy(), hp.choice("optimizer", "sgd", "adam").equals("sgd")
                ? new SGD((float) rate) : new Adam((float) rate), Metric.ACCURACY);
        return m;
    }

    private Tuner.Fitter fitter(TensorScope s, AtomicInteger epochs) {
        float[][] d = DatasetConformance.classes(160, 9);
        for (int i = 0; i < d[0].length; i++) {
            d[0][i] /= 255f;
        }
        Tensor x = s.tensor(d[0], 160, 16);
        Tensor y = s.tensor(d[1], 160);
        return (m, n) -> {
            epochs.addAndGet(n);
            return m.fit(x, y, FitOptions.epochs(n).batchSize(16).validationSplit(0.25)
                    .callbacks(new EarlyStopping("val_loss", 3, 0, true)));
        };
    }

    @Test
    void randomSearchRanksTrialsAndResumesFromItsDirectory() throws Exception {
        Path d = dir.resolve("random");
        AtomicInteger epochs = new AtomicInteger();
        try (TensorScope s = new TensorScope(backend)) {
            RandomSearch first = new RandomSearch(this::build, Objective.of("val_accuracy"));
            first.maxTrials(4).seed(3).directory(d);
            List<Trial> r4 = first.search(fitter(s, epochs), 4);
            assertEquals(4, r4.size());
            assertEquals(List.of(0, 1, 2, 3), first.trainedTrials());
            for (int i = 1; i < r4.size(); i++) {
                assertFalse(Objective.of("val_accuracy").better(r4.get(i).score(), r4.get(i - 1).score()), "ranked");
            }
            assertTrue(first.summary(3).lines().count() == 4, first.summary(3));
            // An interrupted search, resumed with more trials: only the new ones train, with the same draws.
            RandomSearch resumed = new RandomSearch(this::build, Objective.of("val_accuracy"));
            resumed.maxTrials(6).seed(3).directory(d);
            List<Trial> r6 = resumed.search(fitter(s, epochs), 4);
            assertEquals(List.of(4, 5), resumed.trainedTrials());
            assertEquals(6, r6.size());
            for (Trial t : r4) {
                assertEquals(t, r6.stream().filter(u -> u.id() == t.id()).findFirst().orElseThrow());
            }
            RandomSearch other = new RandomSearch(this::build, Objective.of("val_accuracy"));
            other.maxTrials(2).seed(99).directory(d);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> other.search(fitter(s, new AtomicInteger()), 4));
            assertTrue(e.getMessage().contains("another search"), e.getMessage());
            assertTrue(Files.exists(d.resolve("trial_0005.json")));
        }
    }

    @Test
    void hyperbandFollowsItsScheduleAndContinuesSurvivors() {
        AtomicInteger epochs = new AtomicInteger();
        try (TensorScope s = new TensorScope(backend)) {
            Hyperband hb = new Hyperband(this::build, Objective.of("val_loss"), 9, 3);
            hb.seed(5).directory(dir.resolve("hyperband"));
            List<Trial> all = hb.search(fitter(s, epochs));
            // brackets (9x1, 3x3, 1x9), (5x3, 1x9), (3x9): 9+3+1 + 5+1 + 3 trials
            assertEquals(22, all.size());
            // epochs asked for: survivors continue (3-1 more, then 9-3 more), they do not restart
            int expected = 9 * 1 + 3 * 2 + 1 * 6 + 5 * 3 + 1 * 6 + 3 * 9;
            assertEquals(expected, epochs.get());
            long finalRounds = all.stream().filter(t -> t.epochs() == 9).count();
            assertEquals(1 + 1 + 3, finalRounds);
            Trial survivor = all.stream().filter(t -> t.bracket() == 2 && t.round() == 2).findFirst().orElseThrow();
            Trial firstRound = all.stream().filter(t -> t.bracket() == 2 && t.round() == 0
                    && t.hyperParameters().equals(survivor.hyperParameters())).findFirst().orElseThrow();
            assertTrue(firstRound.id() < survivor.id());
            // resumed: nothing left to train
            Hyperband again = new Hyperband(this::build, Objective.of("val_loss"), 9, 3);
            again.seed(5).directory(dir.resolve("hyperband"));
            again.search(fitter(s, new AtomicInteger()));
            assertEquals(List.of(), again.trainedTrials());
            assertEquals(hb.best(), again.best());
        }
    }
}
