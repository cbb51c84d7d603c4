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
    org.neurite.data.Dataset validationDataset;
    int prefetch = 2;
    long seed = 42;
    PrintStream out;
    boolean progressBar;
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

    /**
     * A data set to evaluate at the end of every epoch (Keras's {@code validation_data}); it stays the caller's (not
     * closed). Not together with {@link #validationSplit}.
     */
    public FitOptions validationData(org.neurite.data.Dataset data) {
        this.validationDataset = data;
        return this;
    }

    /**
     * With a {@link org.neurite.data.Dataset}: batches prepared ahead on a background thread while the model trains
     * (default 2; 0 reads each batch when needed).
     */
    public FitOptions prefetch(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("fit: prefetch must be >= 0, got " + batches);
        }
        this.prefetch = batches;
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

    /**
     * Report progress to {@code out} (default: silent), as Keras's {@code verbose="auto"}: a progress bar redrawn
     * in place when {@code out} is {@code System.out} and that is a terminal, otherwise one line per epoch
     * ({@code verbose=2}), so that logs written to a file or a pipe hold no carriage returns.
     */
    public FitOptions verbose(PrintStream out) {
        return verbose(out, out == System.out && stdoutIsTerminal() ? 1 : 2);
    }

    /**
     * Whether the JVM's standard output is a terminal, for callers that print to it through a stream of their own
     * and choose the level of {@link #verbose(PrintStream, int)} as {@code "auto"} would.
     */
    public static boolean stdoutIsTerminal() {
        return ProgressBar.stdoutIsTerminal();
    }

    /**
     * Report progress to {@code out} at Keras's verbosity {@code level}: 0 silent, 1 a progress bar redrawn in
     * place (with carriage returns), 2 one line per epoch.
     *
     * @throws IllegalArgumentException for another level
     */
    public FitOptions verbose(PrintStream out, int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("verbose: level must be 0 (silent), 1 (progress bar) or 2 (one line per"
                    + " epoch), not " + level);
        }
        this.out = level == 0 ? null : out;
        this.progressBar = level == 1;
        return this;
    }
}
