package org.neurite.nn;

import java.io.PrintStream;

/**
 * The optional arguments of {@link Model#fit}, with Keras's defaults.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(30).batchSize(32).validationSplit(0.1).seed(42));
 * }</pre>
 */
public final class FitOptions {
    int epochs = 1;
    int batchSize = 32;
    double validationSplit;
    java.util.List<org.neurite.tensor.Tensor> validationX;
    java.util.List<org.neurite.tensor.Tensor> validationY;
    boolean shuffle = true;
    long seed = 42;
    PrintStream out;
    java.util.List<Callback> callbacks = java.util.List.of();

    private FitOptions() {
    }

    /** Start here: the number of epochs. */
    public static FitOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("fit: epochs must be at least 1, got " + epochs);
        }
        FitOptions o = new FitOptions();
        o.epochs = epochs;
        return o;
    }

    /** Samples per gradient step (default 32); the last batch of an epoch may be shorter. */
    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The fraction of samples, taken from the end before any shuffling as Keras does, held out for validation. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fit: validationSplit must be in [0, 1), got " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** Shuffle the training samples every epoch (default true). */
    /**
     * Data to evaluate at the end of every epoch instead of a split of the training data (Keras's
     * {@code validation_data}); reported as {@code val_loss} and {@code val_<metric>}. The tensors stay the
     * caller's. Not together with {@link #validationSplit}.
     */
    public FitOptions validationData(org.neurite.tensor.Tensor x, org.neurite.tensor.Tensor y) {
        return validationData(java.util.List.of(x), java.util.List.of(y));
    }

    /** {@link #validationData(org.neurite.tensor.Tensor, org.neurite.tensor.Tensor)} for several inputs or outputs. */
    public FitOptions validationData(java.util.List<org.neurite.tensor.Tensor> xs,
                                     java.util.List<org.neurite.tensor.Tensor> ys) {
        this.validationX = java.util.List.copyOf(xs);
        this.validationY = java.util.List.copyOf(ys);
        return this;
    }

    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Seed of the shuffling (default 42). */
    public FitOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Callbacks, called in this order. */
    public FitOptions callbacks(Callback... callbacks) {
        this.callbacks = java.util.List.of(callbacks);
        return this;
    }

    /** Print a Keras-style progress bar and epoch lines to {@code out} (default: silent). */
    public FitOptions verbose(PrintStream out) {
        this.out = out;
        return this;
    }
}
