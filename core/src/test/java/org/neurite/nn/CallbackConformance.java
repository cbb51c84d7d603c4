package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.conformance.ConformanceBase;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/** Callbacks, schedules and the learning-rate range test, on a backend. */
public abstract class CallbackConformance extends ConformanceBase {
    private float[] x;
    private float[] y;
    private static final int N = 200;

    @BeforeAll
    void prepareData() {
        SplittableRandom r = new SplittableRandom(11);
        x = new float[N * 2];
        y = new float[N];
        for (int i = 0; i < N; i++) {
            x[2 * i] = (float) r.nextDouble(-1, 1);
            x[2 * i + 1] = (float) r.nextDouble(-1, 1);
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
    }

    private Sequential classifier() {
        return new Sequential(backend, 2, 3, new Dense(8, "relu"), new Dense(2, "softmax"));
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        try (TensorScope s = new TensorScope(backend); Sequential model = classifier()) {
            // A rate this high makes the validation loss bounce, so the best epoch is not the last one.
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(3f), Metric.ACCURACY);
            EarlyStopping stop = new EarlyStopping("val_loss", 3, 0, true);
            float[][] bestSeen = new float[1][];
            double[] bestLoss = {Double.POSITIVE_INFINITY};
            Callback recorder = new Callback() {
                @Override
                public void onEpochEnd(int epoch, java.util.Map<String, Double> logs, Model m) {
                    if (logs.get("val_loss") < bestLoss[0]) {
                        bestLoss[0] = logs.get("val_loss");
                        bestSeen[0] = m.parameters().get(0).value().toFloatArray();
                    }
                }
            };
            History h = model.fit(s.tensor(x, N, 2), s.tensor(y, N),
                    FitOptions.epochs(200).batchSize(8).validationSplit(0.25).callbacks(recorder, stop));
            assertTrue(stop.stoppedEpoch() >= 0 && h.epochs() < 200, "never stopped: " + h.epochs() + " epochs");
            assertEquals(stop.stoppedEpoch() + 1, h.epochs());
            assertEquals(stop.stoppedEpoch() - 3, stop.bestEpoch(), "patience 3: stopped 4 epochs after the best");
            assertArrayEquals(bestSeen[0], model.parameters().get(0).value().toFloatArray(), "best weights not restored");
        }
    }

    @Test
    void terminateOnNaNStopsTheFirstEpoch() {
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 3, new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(1e6f));   // diverges to inf, then NaN
            TerminateOnNaN nan = new TerminateOnNaN();
            History h = model.fit(s.tensor(x, N, 2), s.tensor(y, N, 1), FitOptions.epochs(50).batchSize(4).callbacks(nan));
            assertEquals(1, h.epochs());
            assertTrue(nan.stoppedAtStep() >= 0 && nan.stoppedAtStep() < N / 4, "step " + nan.stoppedAtStep());
        }
    }

    @Test
    void schedulesSetTheLearningRate() {
        LearningRateSchedule exp = LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, false);
        assertEquals(0.1, exp.rate(0), 1e-12);
        assertEquals(0.05, exp.rate(10), 1e-12);
        assertEquals(0.1 * Math.pow(0.5, 0.5), exp.rate(5), 1e-12);
        assertEquals(0.1, LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, true).rate(9), 1e-12);
        assertEquals(0.025, LearningRateSchedule.stepDecay(0.1, 5, 0.5).rate(10), 1e-12);
        LearningRateSchedule one = LearningRateSchedule.oneCycle(1.0, 100);
        assertEquals(0.1, one.rate(0), 1e-12);
        assertEquals(1.0, one.rate(45), 1e-12);
        assertEquals(0.1, one.rate(90), 1e-12);
        assertEquals(0.001, one.rate(100), 1e-12);
        try (TensorScope s = new TensorScope(backend); Sequential model = classifier()) {
            SGD sgd = new SGD(0.5f, 0.9f, false);
            model.compile(Loss.sparseCategoricalCrossEntropy(), sgd);
            List<Float> rates = new java.util.ArrayList<>();
            List<Float> momenta = new java.util.ArrayList<>();
            Callback spy = new Callback() {
                @Override
                public void onEpochBegin(int epoch, Model m) {
                    rates.add(m.optimizer().learningRate());
                    momenta.add(sgd.momentum());
                }
            };
            int steps = 4 * (N / 50);
            model.fit(s.tensor(x, N, 2), s.tensor(y, N),
                    FitOptions.epochs(4).batchSize(50).callbacks(new OneCycle(0.5, steps), spy));
            assertEquals(0.05f, rates.get(0), 1e-6);
            assertTrue(rates.get(2) > rates.get(0) && momenta.get(2) < momenta.get(0), rates + " " + momenta);
            model.fit(s.tensor(x, N, 2), s.tensor(y, N),
                    FitOptions.epochs(3).callbacks(LearningRateScheduler.perEpoch(e -> 0.1 / (e + 1)), spy));
            assertEquals(0.1f / 3, model.optimizer().learningRate(), 1e-7);
        }
    }

    @Test
    void csvLoggerWritesOneLinePerEpoch(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("log.csv");
        try (TensorScope s = new TensorScope(backend); Sequential model = classifier()) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.01f), Metric.ACCURACY);
            model.fit(s.tensor(x, N, 2), s.tensor(y, N),
                    FitOptions.epochs(3).validationSplit(0.1).callbacks(new CsvLogger(csv, false)));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(3).startsWith("2,"), lines.get(3));
    }

    @Test
    void rangeTestRecordsTheCurveAndLeavesTheModelAsItWas() {
        try (TensorScope s = new TensorScope(backend); Sequential model = classifier()) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
            Tensor tx = s.tensor(x, N, 2);
            Tensor ty = s.tensor(y, N);
            float[] before = model.parameters().get(0).value().toFloatArray();
            LearningRateFinder.Result r = LearningRateFinder.run(model, tx, ty, 1e-4, 100, 150, 16, 1);
            assertArrayEquals(before, model.parameters().get(0).value().toFloatArray(), "weights not restored");
            assertEquals(0.01f, model.optimizer().learningRate());
            assertEquals(0, model.optimizer().iterations());
            assertTrue(r.rates().length > 20 && r.rates()[1] > r.rates()[0], "curve too short: " + r.rates().length);
            assertTrue(r.suggestion() > 1e-4 && r.suggestion() < 10, "suggestion " + r.suggestion());
            // Training at the suggested rate works.
            model.optimizer().setLearningRate((float) r.suggestion());
            History h = model.fit(tx, ty, FitOptions.epochs(30).batchSize(16));
            assertTrue(h.last("accuracy") > 0.9, "accuracy at the suggested rate " + h.last("accuracy"));
        }
    }
}
