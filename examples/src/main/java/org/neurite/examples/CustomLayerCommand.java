package org.neurite.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.neurite.nn.Adam;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The subclassing API (Géron, ch. 10): Wide & Deep as a {@link Model} subclass whose forward pass is Java over
 * layers held in fields, one of them a user layer with its own weight ({@link Scale}), trained on synthetic
 * data (a linear wide part plus a non-linear deep part), saved, loaded back and checked.
 */
@Command(name = "custom-layer", mixinStandardHelpOptions = true,
        description = "Wide & Deep written with the subclassing API and a user layer; trains, saves and reloads it.")
final class CustomLayerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    int samples = 4000;
    Path save;

    @Option(names = "--samples", paramLabel = "N", description = "synthetic samples (default 4000; a fifth for the test)")
    void setSamples(int n) {
        samples = Args.atLeast(spec, "--samples", n, 20);
    }

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model here (default: a temporary file)")
    void setSave(Path file) {
        save = Args.writable(spec, "--save", file);
    }

    /** Géron's WideAndDeepModel, in Java. */
    static final class WideAndDeep extends Model {
        final Scale wideScale = new Scale();           // the user layer: a learned weight per wide feature
        final Dense hidden1 = new Dense(30, "relu");
        final Dense hidden2 = new Dense(30, "relu");
        final Dense main = new Dense(1, "linear");
        final Dense aux = new Dense(1, "linear");

        WideAndDeep(Backend backend, long seed) {
            super(backend, seed, 4, 6);   // a wide input of 4 features, a deep one of 6
        }

        @Override
        protected List<Node> call(List<Node> inputs) {
            Node wide = wideScale.apply(inputs.get(0));
            Node deep = hidden2.apply(hidden1.apply(inputs.get(1)));
            return List.of(main.apply(new Concatenate().apply(wide, deep)), aux.apply(deep));
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Scale.register();
        int n = samples;
        int test = n / 5;
        int train = n - test;
        SplittableRandom r = new SplittableRandom(common.seed);
        float[] wide = new float[n * 4];
        float[] deep = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                wide[4 * i + j] = (float) r.nextDouble(-1, 1);
            }
            for (int j = 0; j < 6; j++) {
                deep[6 * i + j] = (float) r.nextDouble(-1, 1);
            }
            double w = 2 * wide[4 * i] - wide[4 * i + 1] + 0.5 * wide[4 * i + 2];
            double d = Math.sin(3 * deep[6 * i] * deep[6 * i + 1]) + deep[6 * i + 2] * deep[6 * i + 2]
                    - 0.5 * deep[6 * i + 3] * Math.tanh(2 * deep[6 * i + 4]);
            y[i] = (float) (w + d + 0.05 * r.nextDouble(-1, 1));
        }
        Path file = save != null ? save : Files.createTempFile("wide-deep", ".neurite");
        try (Backend backend = common.open(out);
             TensorScope s = new TensorScope(backend);
             WideAndDeep model = new WideAndDeep(backend, common.seed)) {
            List<Tensor> xTrain = List.of(s.tensor(java.util.Arrays.copyOf(wide, train * 4), train, 4),
                    s.tensor(java.util.Arrays.copyOf(deep, train * 6), train, 6));
            Tensor yTrain = s.tensor(java.util.Arrays.copyOf(y, train), train, 1);
            List<Tensor> xTest = List.of(s.tensor(java.util.Arrays.copyOfRange(wide, train * 4, n * 4), test, 4),
                    s.tensor(java.util.Arrays.copyOfRange(deep, train * 6, n * 6), test, 6));
            Tensor yTest = s.tensor(java.util.Arrays.copyOfRange(y, train, n), test, 1);
            float rate = common.learningRate(1e-3f);
            model.compile(List.of(Loss.meanSquaredError(), Loss.meanSquaredError()), List.of(0.9, 0.1), new Adam(rate),
                    Metric.ROOT_MEAN_SQUARED_ERROR);
            out.printf(Locale.ROOT, "custom-layer: Wide & Deep as a Model subclass with a user Scale layer; %d training "
                    + "samples, %d test; Adam %s%n", train, test, rate);
            out.print(model.summary());
            out.flush();
            History h = model.fit(xTrain, List.of(yTrain, yTrain), FitOptions.epochs(common.epochs(40))
                    .batchSize(common.batchSize(32)).seed(common.seed).validationData(xTest, List.of(yTest, yTest))
                    .verbose(new PrintStream(new WriterStream(out), true), FitOptions.stdoutIsTerminal() ? 1 : 2));
            if (Args.diverged(spec, h)) {
                return 1;
            }
            Map<String, Double> result = model.evaluate(xTest, List.of(yTest, yTest), 256);
            String key = model.outputs().get(0).name() + "_rmse";
            double mean = 0;
            for (int i = train; i < n; i++) {
                mean += y[i];
            }
            mean /= test;
            double baseline = 0;
            for (int i = train; i < n; i++) {
                baseline += (y[i] - mean) * (y[i] - mean);
            }
            baseline = Math.sqrt(baseline / test);
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                boolean same = java.util.Arrays.equals(model.predictAll(xTest, 256).get(0), back.predictAll(xTest, 256).get(0));
                float[] scales = model.wideScale.parameters().get(0).value().toFloatArray();
                out.printf(Locale.ROOT, "test RMSE %.4f (mean predictor %.4f); learned wide scales %s; saved to %s and "
                        + "reloaded: %s%n", result.get(key), baseline, java.util.Arrays.toString(scales), file,
                        same ? "identical predictions" : "PREDICTIONS DIFFER");
                out.flush();
                return same ? 0 : 1;
            }
        } finally {
            if (save == null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
