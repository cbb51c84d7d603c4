package org.neurite.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.nn.Adam;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Wide & Deep (Cheng et al. 2016) on the Boston table: features 0-6 take the wide path straight to the
 * output, features 4-12 the deep path of two Dense layers; {@code --aux} adds an auxiliary output on the
 * deep path with loss weight 0.1 (the main output keeps 0.9), as in Géron's chapter 10.
 */
@Command(name = "wide-deep", mixinStandardHelpOptions = true, description = "Wide & Deep regression with two inputs.")
final class WideDeepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--aux", description = "add an auxiliary output on the deep path (loss weight 0.1)")
    boolean aux;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Tables.Regression d = Tables.boston(common.data, common.seed);
        Node wide = Node.input("wide", 7);
        Node deep = Node.input("deep", 9);
        Node h1 = new Dense(30, "relu").apply(deep);
        Node h2 = new Dense(30, "relu").apply(h1);
        Node main = new Dense(1, "linear").apply(new Concatenate().apply(wide, h2));
        List<Node> outputs = aux ? List.of(main, new Dense(1, "linear").apply(h2)) : List.of(main);
        try (Backend backend = common.open(out);
             Tensor xw = backend.tensor(columns(d.xTrain(), d.features(), 0, 7), d.trainRows(), 7);
             Tensor xd = backend.tensor(columns(d.xTrain(), d.features(), 4, 13), d.trainRows(), 9);
             Tensor y = backend.tensor(d.yTrain(), d.trainRows(), 1);
             Tensor tw = backend.tensor(columns(d.xTest(), d.features(), 0, 7), d.testRows(), 7);
             Tensor td = backend.tensor(columns(d.xTest(), d.features(), 4, 13), d.testRows(), 9);
             Tensor ty = backend.tensor(d.yTest(), d.testRows(), 1);
             Model model = new Model(backend, common.seed, List.of(wide, deep), outputs)) {
            List<Loss> losses = aux
                    ? List.of(Loss.meanSquaredError(), Loss.meanSquaredError())
                    : List.of(Loss.meanSquaredError());
            List<Double> weights = aux ? List.of(0.9, 0.1) : List.of(1.0);
            model.compile(losses, weights, new Adam(common.learningRate(0.01f)), Metric.ROOT_MEAN_SQUARED_ERROR);
            out.print(model.summary());
            List<Tensor> ys = aux ? List.of(y, y) : List.of(y);
            org.neurite.nn.History history = model.fit(List.of(xw, xd), ys,
                    FitOptions.epochs(common.epochs(100)).batchSize(common.batchSize(32))
                    .seed(common.seed));
            if (Args.diverged(spec, history)) {
                return 1;
            }
            Map<String, Double> r = model.evaluate(List.of(tw, td), aux ? List.of(ty, ty) : List.of(ty), 128);
            String key = aux ? main.name() + "_rmse" : "rmse";
            out.printf(Locale.ROOT, "wide-deep%s: test RMSE %.3f (main output), mean predictor %.3f%n",
                    aux ? " with auxiliary output" : "", r.get(key), d.baselineRmse());
            out.flush();
        }
        return 0;
    }

    /** Columns {@code [from, to)} of a row-major table {@code width} wide. */
    private static float[] columns(float[] x, int width, int from, int to) {
        int rows = x.length / width;
        float[] out = new float[rows * (to - from)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * width + from, out, r * (to - from), to - from);
        }
        return out;
    }
}
