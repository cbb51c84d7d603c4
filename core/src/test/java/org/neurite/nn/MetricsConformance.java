package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/**
 * Precision, recall, AUC and top-k accuracy with numbers worked out by hand from Keras's definitions, and a
 * custom metric that trains, evaluates, saves and loads. The model is the identity, so its outputs are the
 * predictions written here.
 */
public abstract class MetricsConformance extends ConformanceBase {
    // 4 samples x 2 labels; above 0.5: 0.9 (y 1, TP), 0.6 (y 0, FP), 0.8 (y 1, TP), 0.7 (y 0, FP); FN: 0.4, 0.3
    private static final float[] P = {0.9f, 0.2f, 0.6f, 0.4f, 0.3f, 0.8f, 0.1f, 0.7f};
    private static final float[] Y = {1, 0, 0, 1, 1, 1, 0, 0};

    /** The mean of the predictions: a custom metric as a user writes one. */
    static final class MeanPrediction implements Metric {
        @Override
        public String key() {
            return "mean_prediction";
        }

        @Override
        public Accumulator accumulator() {
            return new Accumulator() {
                private double sum;
                private long n;

                @Override
                public void update(float[] predicted, float[] target, int rows, int cols) {
                    for (float p : predicted) {
                        sum += p;
                    }
                    n += predicted.length;
                }

                @Override
                public double result() {
                    return sum / n;
                }
            };
        }
    }

    @Test
    void precisionRecallAndAucFollowKeras(@TempDir Path dir) {
        Metrics.register("mean_prediction", MeanPrediction::new);
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 1, new ActivationLayer("linear"))) {
            model.compile(Loss.binaryCrossEntropy(), new SequentialConformance.Frozen(), Metrics.precision(),
                    Metrics.recall(), Metrics.auc(),
                    new MeanPrediction());
            Tensor x = s.tensor(P, 4, 2);
            Tensor y = s.tensor(Y, 4, 2);
            for (int batch : new int[] {4, 3, 1}) {
                Map<String, Double> r = model.evaluate(x, y, batch);
                assertEquals(0.5, r.get("precision"), 1e-12, "batch " + batch);
                assertEquals(0.5, r.get("recall"), 1e-12);
                assertEquals(0.75, r.get("auc"), 1e-9, "12 of 16 positive-negative pairs ordered");
                assertEquals(0.5, r.get("mean_prediction"), 1e-6);
            }
            ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("best.neurite"), "mean_prediction", true);
            History h = model.fit(x, y, FitOptions.epochs(1).batchSize(2).shuffle(false).callbacks(checkpoint));
            assertEquals(0.75, h.last("auc"), 1e-9);
            assertEquals(0.5, h.last("mean_prediction"), 1e-6);
            assertEquals(1, checkpoint.saves(), "checkpointed on the custom metric");
            Path file = dir.resolve("m.neurite");
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                assertEquals(4, back.metrics().size());
                assertEquals(0.75, back.evaluate(x, y, 4).get("auc"), 1e-9);
                assertEquals(0.5, back.evaluate(x, y, 4).get("mean_prediction"), 1e-6);
            }
        }
    }

    @Test
    void topKAccuracyCountsTiesAsKerasInTopK() {
        float[] p = {0.1f, 0.5f, 0.3f, 0.1f, 0.4f, 0.3f, 0.2f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f};
        float[] labels = {2, 3, 0};   // hit (one higher), miss (three higher), hit (a four-way tie)
        float[] oneHot = {0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0};
        try (TensorScope s = new TensorScope(backend);
             Sequential sparse = new Sequential(backend, 4, 1, new ActivationLayer("linear"));
             Sequential dense = new Sequential(backend, 4, 1, new ActivationLayer("linear"))) {
            sparse.compile(Loss.sparseCategoricalCrossEntropy(), new SequentialConformance.Frozen(),
                    Metrics.topKCategoricalAccuracy(2));
            dense.compile(Loss.categoricalCrossEntropy(), new SequentialConformance.Frozen(), Metrics.topKCategoricalAccuracy(2));
            Tensor x = s.tensor(p, 3, 4);
            assertEquals(2.0 / 3, sparse.evaluate(x, s.tensor(labels, 3), 2).get("top_2_categorical_accuracy"), 1e-12);
            assertEquals(2.0 / 3, dense.evaluate(x, s.tensor(oneHot, 3, 4), 2).get("top_2_categorical_accuracy"), 1e-12);
            assertTrue(Metrics.topKCategoricalAccuracy(5).key().equals("top_k_categorical_accuracy"));
        }
    }
}
