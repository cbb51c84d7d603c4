package org.neurite.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.examples.data.FashionMnist;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.charts.TrainingCurves;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import org.neurite.tensorboard.TensorBoard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The textbook classifier (Géron, ch. 10): Flatten → Dense(300, ReLU) → Dense(100, ReLU) → Dense(10, softmax),
 * sparse categorical cross-entropy, SGD at 0.01, batch 32, 30 epochs; the first 5,000 training images validate
 * and the other 55,000 train, as in the book.
 */
@Command(name = "fashion-mnist", mixinStandardHelpOptions = true,
        description = "Train the textbook MLP on Fashion-MNIST and report the test accuracy.")
final class FashionMnistCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    int limit = -1;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training images (default: all 60,000)")
    void setLimit(int n) {
        limit = Args.atLeast(spec, "--limit", n, 12);   // a twelfth of them is held out for validation
    }

    @Option(names = "--step-times", description = "also print the percentiles of the training steps' times after the"
            + " first epoch")
    boolean stepTimes;

    @Option(names = "--plot", paramLabel = "FILE", description = "training curves PNG (default: fashion-mnist-curves.png)")
    Path plot = Path.of("fashion-mnist-curves.png");

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model here")
    Path save;

    @Option(names = "--stream", description = "train from the IDX files through a prefetching data pipeline instead of"
            + " loading them whole")
    boolean stream;

    @Option(names = "--tensorboard", paramLabel = "DIR",
            description = "write TensorBoard logs here (train/ and validation/ runs, weight histograms every epoch)")
    Path tensorboard;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Args.outputs(spec, "--plot", plot, "--save", save);
        Path dir = common.data != null ? common.data : FashionMnist.DEFAULT_DIR;
        if (stream) {
            return streamed(out, dir);
        }
        FashionMnist.Part train = FashionMnist.train(dir);
        FashionMnist.Part test = FashionMnist.test(dir);
        int n = limit > 0 ? Math.min(limit, train.count()) : train.count();
        int epochs = common.epochs(30);
        int batch = common.batchSize(32);
        float rate = common.learningRate(0.01f);
        // Géron holds out the first images for validation; fit's validationSplit takes the last ones, so the
        // first n/12 images move to the end.
        int held = n / 12;
        float[] images = rotate(train.images(), n, held, 784);
        float[] labels = rotate(train.labels(), n, held, 1);
        try (Backend backend = common.open(out);
             Tensor x = backend.tensor(images, n, 784);
             Tensor y = backend.tensor(labels, n);
             Tensor xTest = backend.tensor(test.images(), test.count(), 784);
             Tensor yTest = backend.tensor(test.labels(), test.count());
             Sequential model = new Sequential(backend, 784, common.seed, new Dense(300, "relu"), new Dense(100, "relu"),
                     new Dense(10, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(rate), Metric.ACCURACY);
            out.printf(Locale.ROOT, "fashion-mnist: %d training images (%d for validation), %d test; %d epochs, batch %d, "
                    + "SGD %s%n", n, n / 12, test.count(), epochs, batch, rate);
            out.print(model.summary());
            out.flush();
            EpochTimer timer = new EpochTimer();
            // The timer first: its epoch ends before the chart is redrawn (a PNG per epoch, JIT-compiled during the
            // first epochs: not training, and PyTorch's script draws none).
            java.util.List<org.neurite.nn.Callback> callbacks = new java.util.ArrayList<>(
                    java.util.List.of(timer, new TrainingCurves(plot)));
            if (tensorboard != null) {
                callbacks.add(new TensorBoard(tensorboard).histogramFreq(1));
            }
            History history = model.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).validationSplit(1.0 / 12)
                    .seed(common.seed).verbose(new PrintStream(new WriterStream(out), true),
                            FitOptions.stdoutIsTerminal() ? 1 : 2)
                    .callbacks(callbacks.toArray(org.neurite.nn.Callback[]::new)));
            if (Args.diverged(spec, history)) {
                return 1;
            }
            report(out, model.evaluate(xTest, yTest, 1000), timer, model);
        }
        return 0;
    }

    /** The test result, the epoch (and step) times, then the model saved and where the logs went, as asked. */
    private void report(PrintWriter out, Map<String, Double> result, EpochTimer timer, Sequential model) {
        out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f); epoch time %s; curves in %s%n",
                100 * result.get("accuracy"), result.get("loss"), timer, plot);
        if (stepTimes) {
            out.println("step times: " + timer.stepTimes());
        }
        if (save != null) {
            model.save(save);
            out.println("model saved to " + save);
        }
        if (tensorboard != null) {
            out.println("TensorBoard logs in " + tensorboard + " (tensorboard --logdir " + tensorboard + ")");
        }
        out.flush();
    }

    /**
     * The same training from the IDX files through a data pipeline: nothing loaded whole, batches read, scaled and
     * prepared by a background thread while the previous one trains. The first n/12 images validate, as above.
     */
    private int streamed(PrintWriter out, Path dir) throws IOException {
        int epochs = common.epochs(30);
        int batch = common.batchSize(32);
        float rate = common.learningRate(0.01f);
        try (org.neurite.data.Dataset all = FashionMnist.stream(dir, "train");
             org.neurite.data.Dataset test = FashionMnist.stream(dir, "t10k");
             Backend backend = common.open(out);
             Sequential model = new Sequential(backend, 784, common.seed, new Dense(300, "relu"), new Dense(100, "relu"),
                     new Dense(10, "softmax"))) {
            int n = limit > 0 ? Math.min(limit, all.size()) : all.size();
            int held = n / 12;
            org.neurite.data.Dataset validation = all.slice(0, held);
            org.neurite.data.Dataset train = all.slice(held, n);
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(rate), Metric.ACCURACY);
            out.printf(Locale.ROOT, "fashion-mnist (streamed from %s): %d training images (%d for validation), %d test; %d"
                    + " epochs, batch %d, SGD %s%n", dir, n, held, test.size(), epochs, batch, rate);
            out.print(model.summary());
            out.flush();
            EpochTimer timer = new EpochTimer();
            // The timer first: its epoch ends before the chart is redrawn (a PNG per epoch, JIT-compiled during the
            // first epochs: not training, and PyTorch's script draws none).
            java.util.List<org.neurite.nn.Callback> callbacks = new java.util.ArrayList<>(
                    java.util.List.of(timer, new TrainingCurves(plot)));
            if (tensorboard != null) {
                callbacks.add(new TensorBoard(tensorboard).histogramFreq(1));
            }
            History history = model.fit(train, FitOptions.epochs(epochs).batchSize(batch).seed(common.seed)
                    .validationData(validation).verbose(new PrintStream(new WriterStream(out), true),
                            FitOptions.stdoutIsTerminal() ? 1 : 2)
                    .callbacks(callbacks.toArray(org.neurite.nn.Callback[]::new)));
            if (Args.diverged(spec, history)) {
                return 1;
            }
            report(out, model.evaluate(test, 1000), timer, model);
        }
        return 0;
    }

    /** The first {@code n} rows with the first {@code head} of them moved to the end. */
    static float[] rotate(float[] data, int n, int head, int width) {
        float[] out = new float[n * width];
        System.arraycopy(data, head * width, out, 0, (n - head) * width);
        System.arraycopy(data, 0, out, (n - head) * width, head * width);
        return out;
    }
}
