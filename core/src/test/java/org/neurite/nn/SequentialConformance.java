package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * The nn stack on a backend: numerical gradient checks through whole models, known results (XOR, a linear
 * regression), flat device memory, and errors. Backend modules extend it with one line, as they do the
 * kernel conformance suite.
 */
public abstract class SequentialConformance extends ConformanceBase {

    /** An optimizer that leaves parameters alone, so that one step only computes gradients. */
    static final class Frozen extends Optimizer {
        Frozen() {
            super(1f);
        }

        @Override
        protected int stateCount() {
            return 0;
        }

        @Override
        protected void update(org.neurite.tensor.Kernels k, Parameter p, Tensor[] state) {
        }
    }

    /** Builds the model, then {@link NumericalGradient#check}s it on one batch. */
    private void gradientCheck(Supplier<Layer[]> layers, Loss loss, float[] x, float[] y, int rows, int inputs,
                               boolean sparse) {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, inputs, 7, layers.get())) {
            model.compile(loss, new Frozen());
            Tensor tx = s.tensor(x, rows, inputs);
            Tensor ty = sparse ? s.tensor(y, rows) : s.tensor(y, rows, y.length / rows);
            NumericalGradient.check(model, List.of(tx), List.of(ty));
        }
    }

    @Test
    void regularizedGradientsMatchCentralDifferencesAndTheLossIncludesThePenalty() {
        SplittableRandom r = new SplittableRandom(9);
        int rows = 5;
        float[] x = uniform(r, rows * 3, -1, 1);
        float[] y = uniform(r, rows * 2, -1, 1);
        gradientCheck(() -> new Layer[] {new Dense(4, "tanh").regularize(0.01f, 0.05f),
            new Dense(2, "linear").regularize(0f, 0.1f)}, Loss.meanSquaredError(), x, y, rows, 3, false);
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 2, new Dense(2, "linear").regularize(0.5f, 0.5f))) {
            model.compile(Loss.meanSquaredError(), new Frozen());
            Tensor tx = s.tensor(x, rows, 3);
            Tensor ty = s.tensor(y, rows, 2);
            Tensor sum = s.zeros(1);
            double before = NumericalGradient.penalty(model);
            model.trainStep(tx, ty, sum);
            Tensor plain = s.zeros(1);
            backend.kernels().loss(Loss.meanSquaredError().function(), model.forward(tx, false), ty, plain);
            assertEquals(plain.item() + before, sum.item() / rows, 1e-4, "reported loss must include the penalty");
        }
    }

    @Test
    void gradientsOfASoftmaxClassifierMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(1);
        int rows = 6;
        float[] x = uniform(r, rows * 4, -1, 1);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(3);
        }
        Supplier<Layer[]> layers = () -> new Layer[] {new Dense(5, "tanh"), new Dense(4, "sigmoid"), new Dense(3, "softmax")};
        gradientCheck(layers, Loss.sparseCategoricalCrossEntropy(), x, y, rows, 4, true);
        float[] oneHot = new float[rows * 3];
        for (int i = 0; i < rows; i++) {
            oneHot[i * 3 + (int) y[i]] = 1;
        }
        gradientCheck(layers, Loss.categoricalCrossEntropy(), x, oneHot, rows, 4, false);
    }

    @Test
    void gradientsOfRegressionModelsMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(2);
        int rows = 5;
        float[] x = uniform(r, rows * 3, -1, 1);
        float[] y = uniform(r, rows * 2, -1, 1);
        for (String act : List.of("elu", "selu", "softplus", "leaky_relu", "relu", "linear")) {
            gradientCheck(() -> new Layer[] {new Dense(6, act), new Dense(2, "linear")}, Loss.meanSquaredError(), x, y,
                    rows, 3, false);
        }
        gradientCheck(() -> new Layer[] {new Dense(4, "tanh"), new Dense(2, "linear")}, Loss.huber(0.5f), x, y, rows, 3,
                false);
        float[] labels = new float[rows * 2];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(2);
        }
        gradientCheck(() -> new Layer[] {new Dense(4, "relu"), new Dense(2, "sigmoid")}, Loss.binaryCrossEntropy(), x,
                labels, rows, 3, false);
    }

    @Test
    void gradientsThroughActivationLayerFlattenAndInferenceDropoutMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int rows = 4;
        float[] x = uniform(r, rows * 3, -1, 1);
        float[] y = uniform(r, rows * 2, -1, 1);
        gradientCheck(() -> new Layer[] {new Flatten(), new Dense(5, "linear"), new ActivationLayer("tanh"),
            new Dense(4, "linear"), new ActivationLayer("softplus"), new Dense(2, "linear")}, Loss.meanSquaredError(),
                x, y, rows, 3, false);
    }

    @Test
    void xorIsLearnedByATwoLayerNetwork() {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 3, new Dense(8, "tanh"), new Dense(1, "sigmoid"))) {
            model.compile(Loss.binaryCrossEntropy(), new Adam(0.05f), Metric.ACCURACY);
            Tensor x = s.tensor(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
            Tensor y = s.tensor(new float[] {0, 1, 1, 0}, 4, 1);
            History h = model.fit(x, y, FitOptions.epochs(300).batchSize(4));
            assertEquals(1.0, h.last("accuracy"), "XOR accuracy; history " + h.get("loss").subList(290, 300));
            assertTrue(h.last("loss") < 0.1, "loss " + h.last("loss"));
            float[] p = model.predict(x, 4);
            assertTrue(p[0] < 0.5f && p[1] > 0.5f && p[2] > 0.5f && p[3] < 0.5f, java.util.Arrays.toString(p));
        }
    }

    /** A model of three dense layers, the middle one with an L1 penalty, trained {@code steps} batches. */
    private List<float[]> trainMlp(Optimizer optimizer, int steps, List<float[]> gradients) {
        SplittableRandom r = new SplittableRandom(12);
        int rows = 16;
        Dense first = new Dense(24, "relu").regularize(0f, 0.01f);
        Dense middle = new Dense(12, "tanh").regularize(0.001f, 0f);
        Dense last = new Dense(3, "softmax");
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 20, 3, first, middle, last)) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), optimizer);
            for (int step = 0; step < steps; step++) {
                float[] y = new float[rows];
                for (int i = 0; i < rows; i++) {
                    y[i] = r.nextInt(3);
                }
                model.trainOnBatch(s.tensor(uniform(r, rows * 20, -1, 1), rows, 20), s.tensor(y, rows));
            }
            List<float[]> values = new java.util.ArrayList<>();
            for (Parameter p : model.parameters()) {
                values.add(p.value().toFloatArray());
            }
            for (Dense d : new Dense[] {first, middle, last}) {
                gradients.add(d.kernel().gradient().toFloatArray());
            }
            return values;
        }
    }

    @Test
    void plainSgdStepsInTheBackwardPassAsAfterIt() {
        List<float[]> gradientsAfter = new java.util.ArrayList<>();
        List<float[]> after = trainMlp(new SGD(0.1f).updateInBackward(false), 25, gradientsAfter);
        List<float[]> gradientsIn = new java.util.ArrayList<>();
        List<float[]> in = trainMlp(new SGD(0.1f), 25, gradientsIn);
        for (int i = 0; i < after.size(); i++) {
            float[] a = after.get(i);
            float[] b = in.get(i);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-5 + 1e-4 * Math.abs(a[j]), "parameter " + i + " element " + j);
            }
        }
        // Stepped in the backward pass: the first and last kernels' gradients were never written; the middle
        // layer's L1 penalty keeps its step in the optimizer, so its gradient is there, as with the switch off.
        assertTrue(allZero(gradientsIn.get(0)) && allZero(gradientsIn.get(2)), "gradients of stepped kernels written");
        assertArrayEquals(gradientsAfter.get(1), gradientsIn.get(1), 1e-5f);
        for (float[] g : gradientsAfter) {
            assertFalse(allZero(g), "updateInBackward(false) must write every gradient");
        }
        // Whatever reads the gradients first turns it off: clipping, a gradient hook, momentum.
        List<Supplier<Optimizer>> readers = List.of(() -> new SGD(0.1f).clipNorm(1e6f),
                () -> new SGD(0.1f).clipValue(1e6f), () -> new SGD(0.1f).gradientHook(ps -> { }),
                () -> new SGD(0.1f, 0.5f, false));
        for (Supplier<Optimizer> make : readers) {
            List<float[]> gradients = new java.util.ArrayList<>();
            trainMlp(make.get(), 2, gradients);
            for (float[] g : gradients) {
                assertFalse(allZero(g), "a gradient not written although the optimizer reads it");
            }
        }
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyOptimizerFitsALinearRegression() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 256;
        float[] x = uniform(r, n * 2, -1, 1);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 3 * x[2 * i] - 2 * x[2 * i + 1] + 1;
        }
        List<Supplier<Optimizer>> optimizers = List.of(() -> new SGD(0.1f), () -> new SGD(0.05f, 0.9f, false),
                () -> new SGD(0.05f, 0.9f, true), () -> new Adam(0.05f), () -> Adam.adamW(0.05f, 0.001f),
                () -> new RMSprop(0.01f), () -> new Adagrad(0.5f), () -> new Nadam(0.05f));
        for (Supplier<Optimizer> make : optimizers) {
            try (TensorScope s = new TensorScope(backend);
                 Sequential model = new Sequential(backend, 2, 5, new Dense(1, "linear"))) {
                Optimizer opt = make.get();
                model.compile(Loss.meanSquaredError(), opt, Metric.MEAN_ABSOLUTE_ERROR);
                History h = model.fit(s.tensor(x, n, 2), s.tensor(y, n, 1), FitOptions.epochs(60).batchSize(16));
                assertTrue(h.last("loss") < 1e-2, opt.getClass().getSimpleName() + " loss " + h.last("loss"));
            }
        }
    }

    @Test
    void validationSplitEvaluateAndProgressBar() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 200;
        float[] x = uniform(r, n * 2, -1, 1);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;   // quadrants: not linearly separable
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 6, new Dense(16, "relu"), new Dense(2, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.02f), Metric.ACCURACY);
            Tensor tx = s.tensor(x, n, 2);
            Tensor ty = s.tensor(y, n);
            History h = model.fit(tx, ty, FitOptions.epochs(80).batchSize(16).validationSplit(0.2)
                    .verbose(new PrintStream(buf, true, StandardCharsets.UTF_8)));
            assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), List.copyOf(h.asMap().keySet()));
            assertEquals(80, h.epochs());
            assertTrue(h.last("val_accuracy") > 0.85, "val_accuracy " + h.last("val_accuracy"));
            Map<String, Double> all = model.evaluate(tx, ty, 64);
            assertTrue(all.get("accuracy") > 0.85, all.toString());
            String log = buf.toString(StandardCharsets.UTF_8);
            // Not a terminal: one line per epoch, as Keras's verbose=2, and no carriage return anywhere.
            assertTrue(log.contains("Epoch 80/80\n10/10 - ") && log.contains("val_accuracy"),
                    log.substring(0, Math.min(400, log.length())));
            assertFalse(log.contains("\r") || log.contains("["), log.substring(0, Math.min(400, log.length())));
            assertEquals(160, log.lines().count(), "two lines per epoch");
        }
        ByteArrayOutputStream barBuf = new ByteArrayOutputStream();
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 6, new Dense(16, "relu"), new Dense(2, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.02f), Metric.ACCURACY);
            model.fit(s.tensor(x, n, 2), s.tensor(y, n), FitOptions.epochs(2).batchSize(16).validationSplit(0.2)
                    .verbose(new PrintStream(barBuf, true, StandardCharsets.UTF_8), 1));
            String log = barBuf.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("Epoch 2/2") && log.contains("\r10/10 [==============================]")
                    && log.contains("val_accuracy"), log);
        }
    }

    @Test
    void progressBarRedrawsShowTheRunningLoss() {
        // A clock that moves 150 ms per reading: a redraw is due on every second reading, so a caller that
        // asks twice per step (once for the loss, once for the redraw) would draw a loss it never read.
        long[] now = {0};
        ProgressBar.clock = () -> now[0] += 150_000_000L;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SplittableRandom r = new SplittableRandom(8);
        int n = 64;
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 9, new Dense(4, "relu"), new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.01f));
            model.fit(s.tensor(uniform(r, n * 2, -1, 1), n, 2), s.tensor(uniform(r, n, -1, 1), n, 1),
                    FitOptions.epochs(3).batchSize(4).verbose(new PrintStream(buf, true, StandardCharsets.UTF_8), 1));
        } finally {
            ProgressBar.clock = System::nanoTime;
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains(" 8/16 [") || log.contains(" 9/16 ["), log);
        assertFalse(log.contains("NaN"), log);
    }

    @Test
    void metricsSummedOnTheBackendMatchTheHostDefinitions() {
        SplittableRandom r = new SplittableRandom(12);
        int n = 61;   // batches of 7: a short last batch
        float[] x = uniform(r, n * 4, -1, 1);
        float[] labels = new float[n];
        float[] oneHot = new float[n * 3];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            oneHot[i * 3 + (int) labels[i]] = 1f;
            values[i] = (float) r.nextDouble(-2, 2);
        }
        try (TensorScope s = new TensorScope(backend);
             Sequential sparse = new Sequential(backend, 4, 13, new Dense(5, "tanh"), new Dense(3, "softmax"));
             Sequential dense = new Sequential(backend, 4, 13, new Dense(5, "tanh"), new Dense(3, "softmax"));
             Sequential regression = new Sequential(backend, 4, 13, new Dense(5, "tanh"), new Dense(1, "linear"))) {
            Tensor tx = s.tensor(x, n, 4);
            sparse.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
            dense.compile(Loss.categoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
            regression.compile(Loss.meanSquaredError(), new SGD(0.01f), Metric.MEAN_ABSOLUTE_ERROR,
                    Metric.MEAN_SQUARED_ERROR, Metric.ROOT_MEAN_SQUARED_ERROR);
            for (Sequential m : List.of(sparse, dense)) {
                float[] p = m.predict(tx, 16);
                int right = 0;
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int j = 1; j < 3; j++) {
                        if (p[i * 3 + j] > p[i * 3 + best]) {
                            best = j;
                        }
                    }
                    right += best == labels[i] ? 1 : 0;
                }
                if (m == sparse) {   // labels as [n] and as [n, 1]
                    assertEquals((double) right / n, m.evaluate(tx, s.tensor(labels, n), 7).get("accuracy"), 1e-9);
                    assertEquals((double) right / n, m.evaluate(tx, s.tensor(labels, n, 1), 7).get("accuracy"), 1e-9);
                } else {
                    assertEquals((double) right / n, m.evaluate(tx, s.tensor(oneHot, n, 3), 7).get("accuracy"), 1e-9);
                }
            }
            float[] p = regression.predict(tx, 16);
            double mae = 0;
            double mse = 0;
            for (int i = 0; i < n; i++) {
                mae += Math.abs(p[i] - values[i]);
                mse += (p[i] - values[i]) * (double) (p[i] - values[i]);
            }
            Map<String, Double> got = regression.evaluate(tx, s.tensor(values, n, 1), 7);
            assertEquals(mae / n, got.get("mae"), 1e-5 * (1 + mae / n));
            assertEquals(mse / n, got.get("mse"), 1e-5 * (1 + mse / n));
            assertEquals(Math.sqrt(mse / n), got.get("rmse"), 1e-5 * (1 + Math.sqrt(mse / n)));
            assertEquals(mse / n, got.get("loss"), 1e-5 * (1 + mse / n));
        }
    }

    @Test
    void deviceMemoryStaysFlatOverManySteps() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 100;
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 8, new Dense(8, "relu"), new Dense(3, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.01f), Metric.ACCURACY);
            Tensor x = s.tensor(uniform(r, n * 3, -1, 1), n, 3);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(3);
            }
            Tensor y = s.tensor(labels, n);
            model.fit(x, y, FitOptions.epochs(1).batchSize(32).validationSplit(0.1));
            long after1 = backend.liveBytes();
            model.fit(x, y, FitOptions.epochs(50).batchSize(32).validationSplit(0.1));   // 200 more steps
            assertEquals(after1, backend.liveBytes(), "device memory grew while training");
        }
    }

    @Test
    void summaryCountsParametersLikeKeras() {
        try (Sequential model = new Sequential(backend, 784, 1, new Dense(300, "relu"), new Dense(100, "relu"),
                new Dense(10, "softmax"))) {
            String summary = model.summary();
            assertTrue(summary.contains("235,500") && summary.contains("30,100") && summary.contains("1,010")
                    && summary.contains("Total params: 266,610"), summary);
        }
    }

    @Test
    void misuseFailsWithClearMessages() {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 1, new Dense(3, "softmax"))) {
            Tensor x = s.zeros(4, 2);
            Tensor y = s.zeros(4);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.fit(x, y, FitOptions.epochs(1)));
            assertTrue(e.getMessage().contains("compile"), e.getMessage());
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.1f));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> model.fit(s.zeros(4, 5), y, FitOptions.epochs(1)));
            assertTrue(bad.getMessage().contains("[4, 5]"), bad.getMessage());
            bad = assertThrows(IllegalArgumentException.class, () -> model.fit(x, s.zeros(3), FitOptions.epochs(1)));
            assertTrue(bad.getMessage().contains("number of samples"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Dense(3, "swish"));
            assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).validationSplit(1.0));
        }
    }

    @Test
    void shapesOfTheInputAreChecked() {
        try (Sequential model = new Sequential(backend, 2, 1, new Dense(3, "relu"));
             Tensor wrong = backend.zeros(Shape.of(2, 7))) {
            assertThrows(IllegalArgumentException.class, () -> model.predict(wrong, 2));
        }
    }

    @Test
    void emptyDataAndZeroBatchesAreRefusedInsteadOfSpinning() {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 1, new Dense(3, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.1f), Metric.ACCURACY);
            Tensor x = s.zeros(4, 2);
            Tensor y = s.zeros(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(x, 0));
            assertTrue(e.getMessage().contains("predict: batchSize must be at least 1, got 0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(x, y, 0));
            assertTrue(e.getMessage().contains("evaluate: batchSize"), e.getMessage());
            Tensor none = s.zeros(0, 2);
            Tensor noY = s.zeros(0);
            e = assertThrows(IllegalArgumentException.class, () -> model.fit(none, noY, FitOptions.epochs(1)));
            assertTrue(e.getMessage().contains("fit: no samples"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(none, noY, 8));
            assertTrue(e.getMessage().contains("evaluate: no samples"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.trainOnBatch(none, noY));
            assertTrue(e.getMessage().contains("trainOnBatch: no samples"), e.getMessage());
            assertEquals(0, model.predict(none, 8).length);
        }
    }

    @Test
    void interruptStopsTrainingBeforeTheNextStepAndLeavesAUsableModel() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 64;
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 1, new Dense(4, "relu"), new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.01f));
            Tensor x = s.tensor(uniform(r, n * 3, -1, 1), n, 3);
            Tensor y = s.tensor(uniform(r, n, -1, 1), n, 1);
            int[] steps = {0};
            Callback interruptAfterFive = new Callback() {
                @Override
                public boolean needsBatchLoss() {
                    return false;
                }

                @Override
                public void onBatchEnd(int batch, double loss, Model m) {
                    if (++steps[0] == 5) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            History h;
            try {
                h = model.fit(x, y, FitOptions.epochs(100).batchSize(4).callbacks(interruptAfterFive));
            } finally {
                assertTrue(Thread.interrupted(), "fit must leave the interrupt status set");   // and clears it
            }
            assertTrue(h.interrupted());
            assertEquals(5, steps[0], "training went on after the interrupt");
            assertEquals(0, h.epochs(), "a partial epoch was recorded");
            assertEquals(5, model.optimizer().iterations());
            // usable and consistent: predicts, evaluates and trains on
            assertEquals(n, model.predict(x, 16).length);
            assertTrue(Double.isFinite(model.evaluate(x, y, 16).get("loss")));
            assertFalse(model.fit(x, y, FitOptions.epochs(1)).interrupted());
        }
    }

    @Test
    void aLossThatTurnsNanIsReported() {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 1, new Dense(3, "relu"), new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.01f));
            float[] xs = new float[16];
            xs[5] = Float.NaN;
            Tensor x = s.tensor(xs, 8, 2);
            Tensor y = s.zeros(8, 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            History h = model.fit(x, y, FitOptions.epochs(2).batchSize(4)
                    .verbose(new PrintStream(out, true, StandardCharsets.UTF_8)));
            assertEquals(0, h.nonFiniteLossEpoch());
            assertTrue(Double.isNaN(h.last("loss")), "NaN hidden: " + h);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("the loss became NaN in epoch 1"), out.toString());
        }
    }

    /** Keras's get_weights/set_weights, validation_data, predict on host rows, and models through streams. */
    @Test
    void kerasConveniences() throws java.io.IOException {
        SplittableRandom r = new SplittableRandom(12);
        int n = 40;
        float[] xs = uniform(r, n * 3, -1, 1);
        float[] ys = uniform(r, n * 2, -1, 1);
        float[] xv = uniform(r, 10 * 3, -1, 1);
        float[] yv = uniform(r, 10 * 2, -1, 1);
        try (TensorScope s = new TensorScope(backend);
             Sequential a = new Sequential(backend, 3, 1, new Dense(4, "tanh"), new Dense(2, "linear"));
             Sequential b = new Sequential(backend, 3, 2, new Dense(4, "tanh"), new Dense(2, "linear"))) {
            Tensor x = s.tensor(xs, n, 3);
            Tensor y = s.tensor(ys, n, 2);
            Tensor vx = s.tensor(xv, 10, 3);
            Tensor vy = s.tensor(yv, 10, 2);
            a.compile(Loss.meanSquaredError(), new Adam(0.01f), Metric.MEAN_ABSOLUTE_ERROR);
            History h = a.fit(x, y, FitOptions.epochs(3).batchSize(8).validationData(vx, vy));
            Map<String, Double> eval = a.evaluate(vx, vy, 4);
            assertEquals(eval.get("loss"), h.last("val_loss"), 1e-6, "val_loss is the loss on the validation data");
            assertEquals(eval.get("mae"), h.last("val_mae"), 1e-6);
            assertThrows(IllegalArgumentException.class, () -> a.fit(x, y,
                    FitOptions.epochs(1).validationSplit(0.2).validationData(vx, vy)));

            List<float[]> w = a.getWeights();
            assertEquals(4, w.size());
            assertEquals(12, w.get(0).length);   // kernel [3, 4]
            b.setWeights(w);
            assertArrayEquals(a.predict(x, 16), b.predict(x, 16));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.setWeights(List.of(new float[12], new float[4], new float[8], new float[3])));
            assertTrue(e.getMessage().contains("weight 3") && e.getMessage().contains("needs 2 values, got 3"),
                    e.getMessage());

            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(xs, 3 * i, 3 * i + 3);
            }
            float[][] out = a.predict(rows);
            float[] flat = a.predict(x, 16);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(flat, 2 * i, 2 * i + 2), out[i]);
            }

            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            a.save(bytes);
            try (Model back = Model.load(new java.io.ByteArrayInputStream(bytes.toByteArray()), backend)) {
                assertArrayEquals(flat, back.predict(x, 16));
            }
            byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
            ModelFileException bad = assertThrows(ModelFileException.class,
                    () -> Model.load(new java.io.ByteArrayInputStream(cut), backend));
            assertTrue(bad.getMessage().startsWith("load: <stream>: "), bad.getMessage());
        }
    }
}
