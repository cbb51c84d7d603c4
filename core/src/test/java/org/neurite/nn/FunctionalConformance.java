package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** The functional API: Wide & Deep with two inputs, a concatenation and an auxiliary output. */
public abstract class FunctionalConformance extends ConformanceBase {

    /** Wide & Deep (Cheng et al. 2016), in a few lines. */
    private Model wideAndDeep(int wideFeatures, int deepFeatures, int hidden, long seed) {
        Node wide = Node.input("wide", wideFeatures);
        Node deep = Node.input("deep", deepFeatures);
        Node h1 = new Dense(hidden, "tanh").apply(deep);
        Node h2 = new Dense(hidden, "elu").apply(h1);
        Node main = new Dense(1, "linear").apply(new Concatenate().apply(wide, h2));
        Node aux = new Dense(1, "linear").apply(h2);
        return new Model(backend, seed, List.of(wide, deep), List.of(main, aux));
    }

    private static float[] uniform(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void gradientsThroughConcatenateAndTwoWeightedOutputsMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(1);
        int rows = 5;
        try (TensorScope s = new TensorScope(backend); Model model = wideAndDeep(2, 3, 4, 3)) {
            model.compile(List.of(Loss.meanSquaredError(), Loss.huber(0.7f)), List.of(0.9, 0.1),
                    new SequentialConformance.Frozen());
            List<Tensor> xs = List.of(s.tensor(uniform(r, rows * 2), rows, 2), s.tensor(uniform(r, rows * 3), rows, 3));
            List<Tensor> ys = List.of(s.tensor(uniform(r, rows), rows, 1), s.tensor(uniform(r, rows), rows, 1));
            NumericalGradient.check(model, xs, ys);
        }
    }

    @Test
    void wideAndDeepLearnsALinearPlusNonlinearTarget(@TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(2);
        int n = 600;
        float[] wide = uniform(r, n * 2);
        float[] deep = uniform(r, n * 3);
        float[] y = new float[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            y[i] = (float) (2 * wide[2 * i] - wide[2 * i + 1] + Math.sin(3 * deep[3 * i]) * deep[3 * i + 1]);
            mean += y[i] / n;
        }
        double variance = 0;
        for (float v : y) {
            variance += (v - mean) * (v - mean) / n;
        }
        try (TensorScope s = new TensorScope(backend); Model model = wideAndDeep(2, 3, 24, 4)) {
            model.compile(List.of(Loss.meanSquaredError(), Loss.meanSquaredError()), List.of(0.9, 0.1),
                    new Adam(0.01f), Metric.MEAN_ABSOLUTE_ERROR);
            List<Tensor> xs = List.of(s.tensor(wide, n, 2), s.tensor(deep, n, 3));
            Tensor ty = s.tensor(y, n, 1);
            History h = model.fit(xs, List.of(ty, ty), FitOptions.epochs(60).batchSize(32).validationSplit(0.2));
            assertTrue(h.asMap().containsKey("loss") && h.asMap().containsKey("val_loss"), h.asMap().keySet().toString());
            String mainOut = model.outputs().get(0).name();
            assertTrue(h.asMap().containsKey(mainOut + "_loss") && h.asMap().containsKey("val_" + mainOut + "_mae"),
                    h.asMap().keySet().toString());
            double valMain = h.last("val_" + mainOut + "_loss");
            assertTrue(valMain < 0.1 * variance, "validation MSE " + valMain + " vs variance " + variance);

            Path file = dir.resolve("wide-deep.neurite");
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                List<float[]> a = model.predictAll(xs, 128);
                List<float[]> b = back.predictAll(xs, 128);
                assertArrayEquals(a.get(0), b.get(0));
                assertArrayEquals(a.get(1), b.get(1));
                Map<String, Double> e1 = model.evaluate(xs, List.of(ty, ty), 100);
                Map<String, Double> e2 = back.evaluate(xs, List.of(ty, ty), 100);
                assertEquals(e1, e2);
            }
            String summary = model.summary();
            assertTrue(summary.contains("Concatenate") && summary.contains("wide (Input)"), summary);
        }
    }

    @Test
    void graphMistakesAreRefused() {
        Node in = Node.input(3);
        Dense d = new Dense(2, "relu");
        Node out = d.apply(in);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> d.apply(in));
        assertTrue(twice.getMessage().contains("already applied"), twice.getMessage());
        Node stray = Node.input(3);
        Node joined = new Concatenate().apply(out, stray);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Model(backend, 1, List.of(in), List.of(joined)));
        assertTrue(e.getMessage().contains("not among the model's inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Concatenate().apply(Node.input(2)));
        try (Model model = wideAndDeep(2, 3, 4, 1); Tensor x = backend.zeros(Shape.of(4, 2))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.1f));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> model.fit(List.of(x), List.of(x, x), FitOptions.epochs(1)));
            assertTrue(bad.getMessage().contains("2 inputs"), bad.getMessage());
        }
    }
}
