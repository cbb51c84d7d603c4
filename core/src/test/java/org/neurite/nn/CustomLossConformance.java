package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/** A custom loss written against the kernels: its value, its gradient (numerically), training, save and load. */
public abstract class CustomLossConformance extends ConformanceBase {

    /** mean over elements of c_j (p - t)^2: a squared error weighted per output column. */
    static final class WeightedSquaredError extends Loss {
        static final String NAME = "test.weighted_squared_error";
        private final float[] weights;

        WeightedSquaredError(float... weights) {
            super(NAME);
            this.weights = weights.clone();
        }

        private Tensor difference(Kernels k, Tensor p, Tensor t) {
            Tensor d = buffer(p.backend(), "d", p.shape());
            k.copy(p, d);
            k.axpy(-1f, t, d);
            return d;
        }

        private Tensor weights(Backend b) {
            Tensor w = buffer(b, "w", Shape.of(weights.length));
            w.copyFrom(weights);
            return w;
        }

        @Override
        public void value(Kernels k, Tensor p, Tensor t, Tensor out) {
            Backend b = p.backend();
            Tensor d = difference(k, p, t);
            Tensor squared = buffer(b, "squared", p.shape());
            Tensor weighted = buffer(b, "weighted", p.shape());
            k.multiply(d, d, squared);
            k.affineColumns(squared, weights(b), buffer(b, "zero", Shape.of(weights.length)), weighted);
            k.sumAll(weighted, out);
            k.scale(1f / p.size(), out);
        }

        @Override
        public void gradient(Kernels k, Tensor p, Tensor t, Tensor g) {
            Backend b = p.backend();
            k.affineColumns(difference(k, p, t), weights(b), buffer(b, "zero", Shape.of(weights.length)), g);
            k.scale(2f / p.size(), g);
        }
    }

    @Test
    void aCustomLossHasTheRightValueAndGradient() {
        SplittableRandom r = new SplittableRandom(14);
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 2, new Dense(4, "tanh"), new Dense(2, "linear"))) {
            WeightedSquaredError loss = new WeightedSquaredError(0.5f, 3f);
            model.compile(loss, new SequentialConformance.Frozen());
            Tensor x = s.tensor(uniform(r, 15, -1, 1), 5, 3);
            Tensor y = s.tensor(uniform(r, 10, -1, 1), 5, 2);
            NumericalGradient.check(model, List.of(x), List.of(y));
            float[] p = model.predict(x, 5);
            float[] t = y.toFloatArray();
            double expected = 0;
            for (int i = 0; i < p.length; i++) {
                expected += (i % 2 == 0 ? 0.5 : 3) * (p[i] - t[i]) * (p[i] - t[i]);
            }
            assertEquals(expected / p.length, model.evaluate(x, y, 5).get("loss"), 1e-5);
        }
    }

    @Test
    void aCustomLossTrainsSavesAndLoads(@TempDir Path dir) {
        Loss.register(WeightedSquaredError.NAME, () -> new WeightedSquaredError(0.5f, 3f));
        SplittableRandom r = new SplittableRandom(15);
        int n = 64;
        float[] xs = uniform(r, n * 2, -1, 1);
        float[] ys = new float[n * 2];
        for (int i = 0; i < n; i++) {
            ys[2 * i] = xs[2 * i] + xs[2 * i + 1];
            ys[2 * i + 1] = xs[2 * i] - 2 * xs[2 * i + 1];
        }
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 3, new Dense(2, "linear"))) {
            model.compile(new WeightedSquaredError(0.5f, 3f), new Adam(0.05f));
            Tensor x = s.tensor(xs, n, 2);
            Tensor y = s.tensor(ys, n, 2);
            ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("best.neurite"), "loss", true);
            History h = model.fit(x, y, FitOptions.epochs(60).batchSize(16).callbacks(checkpoint));
            assertTrue(checkpoint.saves() > 0);
            try (Model best = Model.load(dir.resolve("best.neurite"), backend)) {
                assertEquals(WeightedSquaredError.NAME, best.loss().customName());
            }
            assertTrue(h.last("loss") < 0.01 * h.get("loss").get(0), "did not train: " + h.get("loss"));
            Path file = dir.resolve("m.neurite");
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                assertEquals(WeightedSquaredError.NAME, back.loss().customName());
                assertEquals(model.evaluate(x, y, 16).get("loss"), back.evaluate(x, y, 16).get("loss"), 1e-7);
                assertArrayEquals(model.predict(x, 16), back.predict(x, 16));
            }
        }
    }
}
