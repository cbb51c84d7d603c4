package org.neurite.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.neurite.classic.Perceptron;
import org.neurite.classic.ThresholdLogicUnit;
import org.neurite.examples.data.Csv;
import org.neurite.examples.data.SklearnData;
import org.neurite.nn.Adam;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The field's first models: threshold logic units computing AND, OR and AND-NOT; Rosenblatt's perceptron
 * separating iris setosa from the rest (petal length and width); its failure on XOR, and a two-layer MLP
 * trained by backpropagation that learns it.
 */
@Command(name = "perceptron", mixinStandardHelpOptions = true,
        description = "Threshold logic units, the perceptron on iris, and XOR (perceptron vs MLP).")
final class PerceptronCommand implements Callable<Integer> {
    private static final float[] TRUTH = {0, 0, 0, 1, 1, 0, 1, 1};
    private static final float[] XOR = {0, 1, 1, 0};

    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Csv.Table iris = Csv.read(SklearnData.locate(common.data, "iris.csv"), 1);
        try (Backend backend = common.open(out)) {
            out.println("threshold logic units on (0,0) (0,1) (1,0) (1,1):");
            out.println("  AND     " + Arrays.toString(ThresholdLogicUnit.and(2).apply(backend, TRUTH, 4)));
            out.println("  OR      " + Arrays.toString(ThresholdLogicUnit.or(2).apply(backend, TRUTH, 4)));
            out.println("  AND-NOT " + Arrays.toString(ThresholdLogicUnit.andNot().apply(backend, TRUTH, 4)));

            float[] x = iris.columns(2, 4);   // petal length and width
            float[] y = iris.column(4);
            for (int i = 0; i < y.length; i++) {
                y[i] = y[i] == 0 ? 1 : 0;      // setosa or not
            }
            Perceptron p = new Perceptron(2, Activation.heaviside(), common.learningRate(0.1f), common.seed);
            List<Integer> mistakes = p.fit(x, y, common.epochs(100));
            float[] predicted = p.predict(backend, x, y.length);
            int correct = 0;
            for (int i = 0; i < y.length; i++) {
                correct += predicted[i] == y[i] ? 1 : 0;
            }
            out.printf("perceptron on iris (setosa vs rest, %d flowers): mistakes per epoch %s; %d/%d correct%n",
                    y.length, mistakes, correct, y.length);

            Perceptron xor = new Perceptron(2, Activation.heaviside(), 0.1f, common.seed);
            List<Integer> xorMistakes = xor.fit(TRUTH, XOR, 100);
            out.printf("perceptron on XOR: still %d mistakes after %d epochs (XOR is not linearly separable)%n",
                    xorMistakes.get(xorMistakes.size() - 1), xorMistakes.size());
            try (Tensor tx = backend.tensor(TRUTH, 4, 2); Tensor ty = backend.tensor(XOR, 4, 1);
                 Sequential mlp = new Sequential(backend, 2, common.seed, new Dense(4, "tanh"), new Dense(1, "sigmoid"))) {
                mlp.compile(Loss.binaryCrossEntropy(), new Adam(0.05f));
                mlp.fit(tx, ty, FitOptions.epochs(400).batchSize(4));
                float[] out4 = mlp.predict(tx, 4);
                float[] rounded = new float[4];
                for (int i = 0; i < 4; i++) {
                    rounded[i] = out4[i] > 0.5f ? 1 : 0;
                }
                out.println("MLP 2-4-1 trained by backpropagation on XOR: " + Arrays.toString(rounded)
                        + (Arrays.equals(rounded, XOR) ? " (learned)" : " (not learned)"));
            }
            out.flush();
        }
        return 0;
    }
}
