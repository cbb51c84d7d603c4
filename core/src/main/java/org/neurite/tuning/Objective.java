package org.neurite.tuning;

import java.util.List;
import java.util.Locale;
import org.neurite.nn.History;

/**
 * What a search optimizes: a logged quantity ({@code val_loss}, {@code val_accuracy}, any metric) and its direction.
 * A trial's score is the best value over its epochs, as Keras Tuner scores a trial.
 */
public record Objective(String name, boolean maximize) {

    /** Checks the name. */
    public Objective {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Objective: a name is needed");
        }
    }

    public static Objective minimize(String name) {
        return new Objective(name, false);
    }

    public static Objective maximize(String name) {
        return new Objective(name, true);
    }

    /**
     * The direction inferred from the name, as Keras Tuner infers it: losses and errors are minimized; accuracy, AUC,
     * precision and recall maximized; anything else must be given with {@link #minimize} or {@link #maximize}.
     */
    public static Objective of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("loss") || n.contains("error")) {
            return minimize(name);
        }
        for (String better : List.of("accuracy", "auc", "precision", "recall")) {
            if (n.contains(better)) {
                return maximize(name);
            }
        }
        throw new IllegalArgumentException("Objective: cannot tell whether '" + name + "' is to be minimized or maximized;"
                + " use Objective.minimize or Objective.maximize");
    }

    /** The best value of this objective in {@code h}, or NaN when it was never logged or never finite. */
    public double best(History h) {
        if (!h.asMap().containsKey(name)) {
            throw new IllegalArgumentException("Objective: '" + name + "' is not in the history (it has "
                    + h.asMap().keySet() + ")");
        }
        double best = Double.NaN;
        for (double v : h.get(name)) {
            if (Double.isFinite(v) && (Double.isNaN(best) || (maximize ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    /** Whether score {@code a} is better than {@code b} (NaN is worse than anything). */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return maximize ? a > b : a < b;
    }
}
