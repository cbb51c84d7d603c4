package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** Dropout, Flatten, gradient clipping, checkpoints and the random search, on a backend. */
public abstract class LayersConformance extends ConformanceBase {

    private static float[] uniform(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Boston house prices (Harrison and Rubinfeld 1978), as Debian's python3-sklearn ships them. */
    private static float[][] boston() throws java.io.IOException {
        List<String> lines;
        try (java.io.InputStream in = LayersConformance.class.getResourceAsStream("/data/boston_house_prices.csv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
        }
        int n = lines.size() - 2;
        float[] x = new float[n * 13];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 2).split(",");
            for (int j = 0; j < 13; j++) {
                x[i * 13 + j] = Float.parseFloat(f[j]);
            }
            y[i] = Float.parseFloat(f[13]);
        }
        return new float[][] {x, y};
    }

    @Test
    void regressionMlpBeatsTheMeanPredictorAndNormalizationSurvivesSaving(@TempDir Path dir) throws Exception {
        float[][] data = boston();
        int n = data[1].length;
        assertEquals(506, n);
        // A seeded shuffle, then 400 for training and the rest for testing.
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int train = 400;
        float[] xTrain = new float[train * 13];
        float[] yTrain = new float[train];
        float[] xTest = new float[(n - train) * 13];
        float[] yTest = new float[n - train];
        for (int i = 0; i < n; i++) {
            int src = order[i];
            if (i < train) {
                System.arraycopy(data[0], src * 13, xTrain, i * 13, 13);
                yTrain[i] = data[1][src];
            } else {
                System.arraycopy(data[0], src * 13, xTest, (i - train) * 13, 13);
                yTest[i - train] = data[1][src];
            }
        }
        double mean = 0;
        for (float v : yTrain) {
            mean += v / train;
        }
        double baseline = 0;
        for (float v : yTest) {
            baseline += (v - mean) * (v - mean) / yTest.length;
        }
        baseline = Math.sqrt(baseline);
        Normalization norm = new Normalization();
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 13, 8, norm, new Dense(30, "relu"), new Dense(1, "linear"))) {
            Tensor tx = s.tensor(xTrain, train, 13);
            norm.adapt(tx);
            model.compile(Loss.meanSquaredError(), new Adam(0.01f), Metric.ROOT_MEAN_SQUARED_ERROR);
            model.fit(tx, s.tensor(yTrain, train, 1), FitOptions.epochs(100).batchSize(32));
            Tensor testX = s.tensor(xTest, n - train, 13);
            double rmse = model.evaluate(testX, s.tensor(yTest, n - train, 1), 64).get("rmse");
            assertTrue(rmse < 0.6 * baseline, "test RMSE " + rmse + " vs mean predictor " + baseline);
            Path file = dir.resolve("boston.neurite");
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                assertArrayEquals(model.predict(testX, 64), back.predict(testX, 64));
            }
        }
    }

    @Test
    void dropoutZeroesAFractionInTrainingAndNothingInInference() {
        Dropout d = new Dropout(0.3f);
        d.build(backend, 50, new SplittableRandom(1));
        try (TensorScope s = new TensorScope(backend)) {
            float[] ones = new float[200 * 50];
            java.util.Arrays.fill(ones, 1f);
            Tensor x = s.tensor(ones, 200, 50);
            assertArrayEquals(ones, d.forward(x, false).toFloatArray(), "inference must pass values through");
            float[] out = d.forward(x, true).toFloatArray();
            int zeros = 0;
            for (float v : out) {
                assertTrue(v == 0f || Math.abs(v - 1 / 0.7f) < 1e-6, "value " + v);
                zeros += v == 0f ? 1 : 0;
            }
            assertEquals(0.3, (double) zeros / out.length, 0.02);
            float[] back = d.backward(x).toFloatArray();
            assertArrayEquals(out, back, "backward must apply the same mask");
        } finally {
            d.close();
        }
    }

    @Test
    void flattenTakesImageBatches() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 64;
        float[] images = uniform(r, n * 2 * 3);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = images[i * 6] > 0 ? 1 : 0;
        }
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 6, 1, new Flatten(), new Dense(8, "relu"), new Dense(2, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.02f), Metric.ACCURACY);
            Tensor x = s.tensor(images, n, 2, 3);
            History h = model.fit(x, s.tensor(labels, n), FitOptions.epochs(40).batchSize(16));
            assertTrue(h.last("accuracy") > 0.9, "accuracy " + h.last("accuracy"));
            assertEquals(n * 2, model.predict(x, 10).length);
        }
    }

    @Test
    void gradientClippingBoundsTheGradients() {
        SplittableRandom r = new SplittableRandom(3);
        int rows = 16;
        try (TensorScope s = new TensorScope(backend)) {
            Tensor x = s.tensor(uniform(r, rows * 4), rows, 4);
            float[] big = uniform(r, rows * 2);
            for (int i = 0; i < big.length; i++) {
                big[i] *= 100;   // large errors, large gradients
            }
            Tensor y = s.tensor(big, rows, 2);
            for (int mode = 0; mode < 3; mode++) {
                try (Sequential model = new Sequential(backend, 4, 5, new Dense(6, "tanh"), new Dense(2, "linear"))) {
                    Optimizer frozen = new SequentialConformance.Frozen();
                    if (mode == 0) {
                        frozen.clipValue(0.01f);
                    } else if (mode == 1) {
                        frozen.clipNorm(0.1f);
                    } else {
                        frozen.globalClipNorm(0.1f);
                    }
                    model.compile(Loss.meanSquaredError(), frozen);
                    model.trainStep(x, y, s.zeros(1));
                    double total = 0;
                    for (Parameter p : model.parameters()) {
                        double sq = 0;
                        for (float g : p.gradient().toFloatArray()) {
                            if (mode == 0) {
                                assertTrue(Math.abs(g) <= 0.01f, p.name() + " gradient " + g);
                            }
                            sq += (double) g * g;
                        }
                        if (mode == 1) {
                            assertTrue(Math.sqrt(sq) <= 0.1 * (1 + 1e-5), p.name() + " norm " + Math.sqrt(sq));
                        }
                        total += sq;
                    }
                    if (mode == 2) {
                        assertEquals(0.1, Math.sqrt(total), 1e-5, "global norm");
                    }
                }
            }
        }
    }

    @Test
    void checkpointKeepsTheBestModelAndRandomSearchRanksTrials(@TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(4);
        int n = 160;
        float[] xs = uniform(r, n * 2);
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ys[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        Path file = dir.resolve("best.neurite");
        try (TensorScope s = new TensorScope(backend)) {
            Tensor x = s.tensor(xs, n, 2);
            Tensor y = s.tensor(ys, n);
            try (Sequential model = new Sequential(backend, 2, 6, new Dense(16, "relu"), new Dropout(0.1f),
                    new Dense(2, "softmax"))) {
                model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.02f), Metric.ACCURACY);
                ModelCheckpoint checkpoint = new ModelCheckpoint(file, "val_loss", true);
                History h = model.fit(x, y, FitOptions.epochs(20).validationSplit(0.25).callbacks(checkpoint));
                int improvements = 0;
                double best = Double.POSITIVE_INFINITY;
                for (double v : h.get("val_loss")) {
                    if (v < best) {
                        best = v;
                        improvements++;
                    }
                }
                assertEquals(improvements, checkpoint.saves());
                assertTrue(Files.exists(file));
                try (Model back = Model.load(file, backend)) {
                    assertEquals(List.of("dense", "dropout", "dense"), back.layers().stream()
                            .map(l -> l.name().replaceAll("_\\d+$", "")).toList());
                    double val = back.evaluate(List.of(s.tensor(java.util.Arrays.copyOfRange(xs, 240, 320), 40, 2)),
                            List.of(s.tensor(java.util.Arrays.copyOfRange(ys, 120, 160), 40)), 40).get("loss");
                    assertEquals(best, val, 1e-4, "the checkpoint is not the best epoch's model");
                }
            }
            List<RandomSearch.Trial> trials = new RandomSearch(backend, 2, 2, "softmax",
                    Loss.sparseCategoricalCrossEntropy()).hiddenLayers(1, 2).neurons(8, 16).batchSizes(16, 32)
                    .run(x, y, 4, 3, 0.25, 7);
            assertEquals(4, trials.size());
            for (int i = 1; i < trials.size(); i++) {
                assertTrue(trials.get(i - 1).bestValidationLoss() <= trials.get(i).bestValidationLoss());
            }
            assertEquals(List.of("hidden_layers", "neurons", "learning_rate", "optimizer", "batch_size", "activation"),
                    List.copyOf(trials.get(0).settings().keySet()));
        }
    }
}
