package org.neurite.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.examples.data.FashionMnist;
import org.neurite.nn.Adam;
import org.neurite.nn.Dense;
import org.neurite.nn.EarlyStopping;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Layer;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Model;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import org.neurite.tuning.HyperParameters;
import org.neurite.tuning.Hyperband;
import org.neurite.tuning.Objective;
import org.neurite.tuning.RandomSearch;
import org.neurite.tuning.Trial;
import org.neurite.tuning.Tuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The book's search space on Fashion-MNIST (Géron, ch. 10 and 19): 0 to 8 hidden layers of 16 to 256 ReLU units,
 * learning rate 1e-4 to 1e-2 (log-uniform), SGD or Adam; scored by validation accuracy; random search or Hyperband,
 * resumable from its directory.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search hidden layers, neurons, learning rate and optimizer for Fashion-MNIST.")
final class TuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "random (default) or hyperband")
    String algorithm = "random";

    int maxTrials = 10;

    @Option(names = "--max-trials", paramLabel = "N", description = "at most N trials (default 10; hyperband: its schedule)")
    void setMaxTrials(int n) {
        maxTrials = Args.atLeast(spec, "--max-trials", n, 1);
        maxTrialsGiven = true;
    }

    boolean maxTrialsGiven;

    int limit = 12000;

    @Option(names = "--limit", paramLabel = "N", description = "training images used, a sixth of them to validate"
            + " (default 12,000; all: 60000)")
    void setLimit(int n) {
        limit = Args.atLeast(spec, "--limit", n, 12);
    }

    @Option(names = "--directory", paramLabel = "DIR", description = "where trials are written and resumed from"
            + " (default: fashion-mnist-tuning/ALGORITHM)")
    Path directory;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!algorithm.equals("random") && !algorithm.equals("hyperband")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--algorithm must be random or hyperband,"
                    + " not " + algorithm);
        }
        Path dir = directory != null ? directory : Path.of("fashion-mnist-tuning", algorithm);
        FashionMnist.Part all = FashionMnist.train(common.data != null ? common.data : FashionMnist.DEFAULT_DIR);
        int n = Math.min(limit, all.count());
        int valid = n / 6;
        int train = n - valid;
        int batch = common.batchSize(32);
        try (Backend backend = common.open(out);
             Tensor x = backend.tensor(java.util.Arrays.copyOfRange(all.images(), valid * 784, n * 784), train, 784);
             Tensor y = backend.tensor(java.util.Arrays.copyOfRange(all.labels(), valid, n), train);
             Tensor xv = backend.tensor(java.util.Arrays.copyOfRange(all.images(), 0, valid * 784), valid, 784);
             Tensor yv = backend.tensor(java.util.Arrays.copyOfRange(all.labels(), 0, valid), valid)) {
            Tuner.Builder build = hp -> build(backend, hp);
            Tuner.Fitter fit = (m, epochs) -> m.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).seed(common.seed)
                    .validationData(xv, yv).callbacks(new EarlyStopping("val_loss", 3, 0, true)));
            Objective objective = Objective.maximize("val_accuracy");
            List<Trial> ranked;
            Tuner tuner;
            out.printf(Locale.ROOT, "tune (%s): %d training images, %d for validation; trials in %s%n", algorithm, train,
                    valid, dir);
            out.flush();
            if (algorithm.equals("random")) {
                RandomSearch rs = new RandomSearch(build, objective);
                rs.maxTrials(maxTrials).seed(common.seed).directory(dir).verbose(new java.io.PrintStream(new WriterStream(out),
                        true));
                tuner = rs;
                ranked = rs.search(fit, common.epochs(5));
            } else {
                Hyperband hb = new Hyperband(build, objective, common.epochs(9), 3);
                hb.seed(common.seed).directory(dir).verbose(new java.io.PrintStream(new WriterStream(out), true));
                if (maxTrialsGiven) {
                    hb.maxTrials(maxTrials);
                }
                tuner = hb;
                ranked = hb.search(fit);
            }
            out.print(tuner.summary(5));
            Trial best = ranked.get(0);
            out.printf(Locale.ROOT, "best: %s; validation accuracy %.2f%% (trial %d, %d epochs; %d trials, %d trained"
                    + " now)%n", HyperParameters.of(best.hyperParameters()), 100 * best.score(), best.id(), best.epochs(),
                    ranked.size(), tuner.trainedTrials().size());
        }
        out.flush();
        return 0;
    }

    static Model build(Backend backend, HyperParameters hp) {
        int layers = hp.intRange("hidden_layers", 0, 8);
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            ls.add(new Dense(hp.intRange("neurons_" + i, 16, 256), "relu"));
        }
        ls.add(new Dense(10, "softmax"));
        Sequential m = new Sequential(backend, 784, 42 + hp.executionSeed(), ls.toArray(Layer[]::new));
        float rate = (float) hp.floatRange("learning_rate", 1e-4, 1e-2, HyperParameters.Sampling.LOG);
        m.compile(Loss.sparseCategoricalCrossEntropy(), hp.choice("optimizer", "sgd", "adam").equals("sgd")
                ? new SGD(rate) : new Adam(rate), Metric.ACCURACY);
        return m;
    }
}
