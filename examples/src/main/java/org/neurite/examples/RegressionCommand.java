package org.neurite.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.nn.Adam;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A regression MLP on Boston house prices, reporting test RMSE next to the mean predictor's. */
@Command(name = "regression", mixinStandardHelpOptions = true,
        description = "Regression MLP on the Boston house prices table (python3-sklearn's CSV).")
final class RegressionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--loss", description = "mse (default), huber or mae")
    String loss = "mse";

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Tables.Regression d = Tables.boston(common.data, common.seed);
        Loss l = switch (loss) {
            case "mse" -> Loss.meanSquaredError();
            case "huber" -> Loss.huber(1f);
            case "mae" -> Loss.meanAbsoluteError();
            default -> throw new IllegalArgumentException("--loss must be mse, huber or mae, got '" + loss + "'");
        };
        try (Backend backend = common.open(out);
             Tensor x = backend.tensor(d.xTrain(), d.trainRows(), d.features());
             Tensor y = backend.tensor(d.yTrain(), d.trainRows(), 1);
             Tensor xTest = backend.tensor(d.xTest(), d.testRows(), d.features());
             Tensor yTest = backend.tensor(d.yTest(), d.testRows(), 1);
             Sequential model = new Sequential(backend, d.features(), common.seed, new Dense(30, "relu"),
                     new Dense(1, "linear"))) {
            model.compile(l, new Adam(common.learningRate(0.01f)), Metric.ROOT_MEAN_SQUARED_ERROR);
            org.neurite.nn.History history = model.fit(x, y,
                    FitOptions.epochs(common.epochs(100)).batchSize(common.batchSize(32)).seed(common.seed));
            if (Args.diverged(spec, history)) {
                return 1;
            }
            Map<String, Double> r = model.evaluate(xTest, yTest, 128);
            out.printf(Locale.ROOT, "regression (%s loss): test RMSE %.3f, mean predictor %.3f (in $1000s)%n", loss,
                    r.get("rmse"), d.baselineRmse());
            out.flush();
        }
        return 0;
    }
}
