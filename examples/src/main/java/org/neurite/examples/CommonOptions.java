package org.neurite.examples;

import java.nio.file.Path;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The flags every example takes, each checked when set. Defaults of -1 mean "the example's own default". */
public final class CommonOptions {
    @Option(names = "--backend", paramLabel = "SPEC",
            description = "auto (default: -Dneurite.backend, NEURITE_BACKEND, else auto), cpu, cpu:threads=1, cpu:scalar,"
                    + " cuda, opencl, or a list such as cuda,cpu")
    String backend;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    int epochs = -1;
    int batchSize = -1;
    float learningRate = -1;

    @Option(names = "--epochs", paramLabel = "N", description = "training epochs")
    void setEpochs(int n) {
        epochs = Args.atLeast(spec, "--epochs", n, 1);
    }

    @Option(names = "--batch-size", paramLabel = "N", description = "samples per step")
    void setBatchSize(int n) {
        batchSize = Args.atLeast(spec, "--batch-size", n, 1);
    }

    @Option(names = "--learning-rate", paramLabel = "X", description = "optimizer learning rate")
    void setLearningRate(float x) {
        learningRate = Args.positive(spec, "--learning-rate", x);
    }

    @Option(names = "--seed", paramLabel = "N", description = "seed of initialization, shuffling and splits (default 42)")
    long seed = 42;

    @Option(names = "--data", paramLabel = "DIR", description = "where the data set is, if not where its package puts it")
    Path data;

    int epochs(int fallback) {
        return epochs > 0 ? epochs : fallback;
    }

    int batchSize(int fallback) {
        return batchSize > 0 ? batchSize : fallback;
    }

    float learningRate(float fallback) {
        return learningRate > 0 ? learningRate : fallback;
    }

    /** Creates the backend and prints it first, as every example does. */
    Backend open(java.io.PrintWriter out) {
        Backend b = Backends.create(backend != null ? backend : Backends.configuredSpec());
        out.println("backend: " + b.device());
        out.flush();
        return b;
    }
}
