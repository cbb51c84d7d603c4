package org.neurite.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** An MLP on the three-arm spiral written directly against the kernels (no nn layer). */
@Command(name = "spiral", mixinStandardHelpOptions = true,
        description = "Train a 2-hidden-3 MLP on the spiral data with the raw kernels.")
final class SpiralCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    int points = 200;
    int hidden = 64;

    @Option(names = "--points", description = "points per class (default 200)")
    void setPoints(int n) {
        points = Args.atLeast(spec, "--points", n, 1);
    }

    @Option(names = "--hidden", description = "hidden units (default 64)")
    void setHidden(int n) {
        hidden = Args.atLeast(spec, "--hidden", n, 1);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Spiral.Options d = Spiral.Options.defaults();
        Spiral.Options o = new Spiral.Options(points, hidden, common.epochs(d.epochs()), common.batchSize(d.batchSize()),
                common.learningRate(d.learningRate()), common.seed);
        try (Backend backend = common.open(out)) {
            out.printf(Locale.ROOT, "spiral: %d points, 3 classes, MLP 2-%d-3, %d epochs, batch %d, Adam lr %s%n",
                    3 * o.pointsPerClass(), o.hidden(), o.epochs(), o.batchSize(), o.learningRate());
            long start = System.nanoTime();
            Spiral.Result r = Spiral.train(backend, o, new PrintStream(new WriterStream(out), true));
            if (!Double.isFinite(r.finalLoss())) {
                spec.commandLine().getErr().println("error: training diverged: the final loss is " + r.finalLoss()
                        + " (try a smaller --learning-rate)");
                return 1;
            }
            out.printf(Locale.ROOT, "training accuracy %.1f%%, final loss %.4f, %.1f s; device memory %d bytes after "
                    + "epoch 1, %d at the end%n", 100 * r.accuracy(), r.finalLoss(), (System.nanoTime() - start) / 1e9,
                    r.liveBytesAfterFirstEpoch(), r.liveBytesAtEnd());
            out.flush();
        }
        return 0;
    }
}
