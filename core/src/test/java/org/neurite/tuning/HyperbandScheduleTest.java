package org.neurite.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperbandScheduleTest {

    private static Hyperband.Round r(int n, int epochs) {
        return new Hyperband.Round(n, epochs);
    }

    @Test
    void matchesThePapersTableForR81Eta3() {
        // Li et al. 2018, Table 1 (R = 81, eta = 3): n_i and r_i of every round of every bracket.
        assertEquals(List.of(
                List.of(r(81, 1), r(27, 3), r(9, 9), r(3, 27), r(1, 81)),
                List.of(r(34, 3), r(11, 9), r(3, 27), r(1, 81)),
                List.of(r(15, 9), r(5, 27), r(1, 81)),
                List.of(r(8, 27), r(2, 81)),
                List.of(r(5, 81))), Hyperband.schedule(81, 3));
    }

    @Test
    void otherBudgets() {
        assertEquals(List.of(List.of(r(9, 1), r(3, 3), r(1, 9)), List.of(r(5, 3), r(1, 9)), List.of(r(3, 9))),
                Hyperband.schedule(9, 3));
        assertEquals(List.of(List.of(r(1, 1))), Hyperband.schedule(1, 3));
        // R not a power of eta: s_max = 2 for R = 10, epochs rounded up
        assertEquals(List.of(r(9, 2), r(3, 4), r(1, 10)), Hyperband.schedule(10, 3).get(0));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(hp -> null, Objective.of("val_loss"), 9, 1));
    }

    @Test
    void hyperParametersDrawDeterministicallyWithinTheirRanges() {
        for (int t = 0; t < 200; t++) {
            HyperParameters hp = new HyperParameters(new SplittableRandom(t), Map.of(), 0);
            int layers = hp.intRange("hidden_layers", 0, 8);
            assertTrue(layers >= 0 && layers <= 8);
            for (int i = 0; i < layers; i++) {
                int n = hp.intRange("neurons_" + i, 16, 256, 16);
                assertTrue(n >= 16 && n <= 256 && n % 16 == 0, "neurons " + n);
            }
            double rate = hp.floatRange("learning_rate", 1e-4, 1e-2, HyperParameters.Sampling.LOG);
            assertTrue(rate >= 1e-4 && rate <= 1e-2, "rate " + rate);
            String opt = hp.choice("optimizer", "sgd", "adam");
            assertTrue(opt.equals("sgd") || opt.equals("adam"));
            assertEquals(layers + 3, hp.values().size(), "conditional names only when asked");
            HyperParameters again = new HyperParameters(new SplittableRandom(t), Map.of(), 0);
            again.intRange("hidden_layers", 0, 8);
            assertEquals(layers, again.values().get("hidden_layers"));
            // asked again in the same trial: the same value
            assertEquals(layers, hp.intRange("hidden_layers", 0, 8));
        }
        // Log sampling puts about half the draws below the geometric mean.
        int below = 0;
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            if (new HyperParameters(new SplittableRandom(r.nextLong()), Map.of(), 0)
                    .floatRange("lr", 1e-4, 1e-2, HyperParameters.Sampling.LOG) < 1e-3) {
                below++;
            }
        }
        assertTrue(below > 900 && below < 1100, "below the geometric mean: " + below);
        HyperParameters fixed = HyperParameters.of(Map.of("optimizer", "adam", "units", 64L));
        assertEquals("adam", fixed.choice("optimizer", "sgd", "adam"));
        assertEquals(64, fixed.intRange("units", 16, 256));
        assertThrows(IllegalArgumentException.class, () -> fixed.choice("optimizer", "rmsprop"));
        HyperParameters twice = HyperParameters.of(Map.of());
        twice.intRange("a", 0, 3);
        assertThrows(IllegalArgumentException.class, () -> twice.intRange("a", 0, 4));
        assertEquals(Objective.maximize("val_accuracy"), Objective.of("val_accuracy"));
        assertEquals(Objective.minimize("val_loss"), Objective.of("val_loss"));
        assertThrows(IllegalArgumentException.class, () -> Objective.of("val_speed"));
    }
}
