package org.neurite.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.examples.data.FashionMnist;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.LearningRateFinder;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.OneCycle;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.charts.LineChart;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The learning-rate range test on Fashion-MNIST: sweep the rate exponentially over a few hundred steps,
 * write the (rate, loss) curve as CSV, print the suggestion; {@code --one-cycle} then trains with 1cycle
 * up to that rate.
 */
@Command(name = "lr-finder", mixinStandardHelpOptions = true, description = "LR range test on Fashion-MNIST (and 1cycle).")
final class LrFinderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    int steps = 300;
    int limit = -1;

    @Option(names = "--steps", description = "steps of the sweep (default 300)")
    void setSteps(int n) {
        steps = Args.atLeast(spec, "--steps", n, 2);
    }

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training images")
    void setLimit(int n) {
        limit = Args.atLeast(spec, "--limit", n, 12);
    }

    @Option(names = "--curve", paramLabel = "FILE", description = "the (rate, loss) curve as CSV (default lr-finder.csv)")
    Path curve = Path.of("lr-finder.csv");

    @Option(names = "--plot", paramLabel = "FILE", description = "loss versus rate PNG (default lr-finder.png)")
    Path plot = Path.of("lr-finder.png");

    @Option(names = "--one-cycle", description = "then train with 1cycle up to the suggested rate")
    boolean oneCycle;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Args.outputs(spec, "--curve", curve, "--plot", plot);
        Path dir = common.data != null ? common.data : FashionMnist.DEFAULT_DIR;
        FashionMnist.Part train = FashionMnist.train(dir);
        int n = limit > 0 ? Math.min(limit, train.count()) : train.count();
        int batch = common.batchSize(32);
        try (Backend backend = common.open(out);
             Tensor x = backend.tensor(java.util.Arrays.copyOf(train.images(), n * 784), n, 784);
             Tensor y = backend.tensor(java.util.Arrays.copyOf(train.labels(), n), n);
             Sequential model = new Sequential(backend, 784, common.seed, new Dense(300, "relu"), new Dense(100, "relu"),
                     new Dense(10, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f, 0.9f, false), Metric.ACCURACY);
            LearningRateFinder.Result r = LearningRateFinder.run(model, x, y, 1e-5, 10, steps, batch, common.seed);
            StringBuilder csv = new StringBuilder("rate,loss,smoothed\n");
            for (int i = 0; i < r.rates().length; i++) {
                csv.append(String.format(Locale.ROOT, "%g,%g,%g%n", r.rates()[i], r.losses()[i], r.smoothed()[i]));
            }
            Files.writeString(curve, csv, StandardCharsets.UTF_8);
            LineChart.write(plot, new LineChart("LR range test (suggested " + String.format(Locale.ROOT, "%.3g",
                    r.suggestion()) + ")", "learning rate (log)", true)
                    .series("loss", r.rates(), r.losses(), true, "raw")
                    .series("smoothed", r.rates(), r.smoothed(), false, "smoothed"));
            out.printf(Locale.ROOT,
                    "lr-finder: %d steps from 1e-5 to 10 (stopped at %.3g); suggested rate %.4g; curve in %s and %s%n",
                    r.rates().length, r.rates()[r.rates().length - 1], r.suggestion(), curve, plot);
            if (oneCycle) {
                int epochs = common.epochs(5);
                int total = epochs * ((n - n / 12 + batch - 1) / batch);
                var h = model.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).validationSplit(1.0 / 12)
                        .seed(common.seed).verbose(new PrintStream(new WriterStream(out), true),
                                FitOptions.stdoutIsTerminal() ? 1 : 2)
                        .callbacks(new OneCycle(r.suggestion(), total)));
                if (Args.diverged(spec, h)) {
                    return 1;
                }
                Map<String, java.util.List<Double>> m = h.asMap();
                out.printf(Locale.ROOT, "1cycle up to %.4g: validation accuracy %.2f%%%n", r.suggestion(),
                        100 * m.get("val_accuracy").get(m.get("val_accuracy").size() - 1));
            }
            out.flush();
        }
        return 0;
    }
}
