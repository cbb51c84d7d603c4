package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/**
 * The book's subclassing API: Wide & Deep as a {@link Model} subclass whose forward pass is Java over layers held
 * in fields, with a block that contains layers; gradients (derived from the layers) match central differences,
 * and the model trains, checkpoints, saves and loads.
 */
public abstract class SubclassingConformance extends ConformanceBase {

    /** A layer of layers: two Dense layers applied in turn; their weights are the model's. */
    static final class DeepBlock {
        final Dense first;
        final Dense second;

        DeepBlock(int units) {
            first = new Dense(units, "relu");
            second = new Dense(units, "relu");
        }

        Node apply(Node x) {
            return second.apply(first.apply(x));
        }
    }

    /** Géron's WideAndDeepModel: a wide input straight to the output, a deep path, an auxiliary output. */
    static final class WideAndDeep extends Model {
        final DeepBlock deep = new DeepBlock(8);
        final Dense main = new Dense(1, "linear");
        final Dense aux = new Dense(1, "linear");

        WideAndDeep(Backend backend, long seed) {
            super(backend, seed, 2, 3);   // wide input of 2 features, deep input of 3
        }

        @Override
        protected List<Node> call(List<Node> inputs) {
            Node hidden = deep.apply(inputs.get(1));
            Node concat = new Concatenate().apply(inputs.get(0), hidden);
            return List.of(main.apply(concat), aux.apply(hidden));
        }
    }

    private static float[] target(float[] wide, float[] deep, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 0.5f * wide[2 * i] - wide[2 * i + 1] + (float) Math.tanh(deep[3 * i] * deep[3 * i + 2]) + deep[3 * i + 1];
        }
        return y;
    }

    @Test
    void gradientsOfASubclassedModelMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(16);
        try (TensorScope s = new TensorScope(backend); WideAndDeep model = new WideAndDeep(backend, 3)) {
            model.compile(List.of(Loss.meanSquaredError(), Loss.meanSquaredError()), List.of(0.9, 0.1),
                    new SequentialConformance.Frozen());
            Tensor y = s.tensor(uniform(r, 5, -1, 1), 5, 1);
            NumericalGradient.check(model, List.of(s.tensor(uniform(r, 10, -1, 1), 5, 2),
                    s.tensor(uniform(r, 15, -1, 1), 5, 3)), List.of(y, y));
            assertEquals(8, model.parameters().size(), "deep block (4), main (2), aux (2)");
        }
    }

    @Test
    void aSubclassedWideAndDeepTrainsCheckpointsSavesAndLoads(@TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(17);
        int n = 256;
        float[] wide = uniform(r, n * 2, -1, 1);
        float[] deep = uniform(r, n * 3, -1, 1);
        float[] y = target(wide, deep, n);
        Path best = dir.resolve("best.neurite");
        Path file = dir.resolve("wide-deep.neurite");
        try (TensorScope s = new TensorScope(backend); WideAndDeep model = new WideAndDeep(backend, 5)) {
            List<Tensor> xs = List.of(s.tensor(wide, n, 2), s.tensor(deep, n, 3));
            Tensor ty = s.tensor(y, n, 1);
            model.compile(List.of(Loss.meanSquaredError(), Loss.meanSquaredError()), List.of(0.9, 0.1),
                    new Adam(0.01f));
            ModelCheckpoint checkpoint = new ModelCheckpoint(best, "loss", true);
            History h = model.fit(xs, List.of(ty, ty), FitOptions.epochs(30).batchSize(32).callbacks(checkpoint));
            assertTrue(h.last("loss") < 0.2 * h.get("loss").get(0), "did not train: " + h.get("loss"));
            assertTrue(checkpoint.saves() > 0 && Files.exists(best));
            assertTrue(model.summary().contains("concatenate"), model.summary());
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                assertEquals(2, back.inputs().size());
                assertEquals(2, back.outputs().size());
                List<float[]> a = model.predictAll(xs, 64);
                List<float[]> b = back.predictAll(xs, 64);
                assertArrayEquals(a.get(0), b.get(0));
                assertArrayEquals(a.get(1), b.get(1));
            }
        }
    }

    @Test
    void aSubclassWithoutCallIsRefusedClearly() {
        try (Model m = new Model(backend, 1, 3) {
        }) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, m::parameters);
            assertTrue(e.getMessage().contains("must override call(inputs)"), e.getMessage());
        }
    }
}
