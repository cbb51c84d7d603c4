package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;
import org.neurite.tensor.conformance.ConformanceBase;

/**
 * A user layer with its own trainable weight, written against the public API only ({@link Layer#addWeight},
 * the kernels, {@link LayerRegistry}): its gradients match central differences, and it trains, checkpoints,
 * saves and loads like a built-in layer. A layer that cannot be saved is refused before training starts.
 */
public abstract class CustomLayerConformance extends ConformanceBase {

    /** y = x * w, one learned scale per feature (Keras users write this as a Layer subclass). */
    static class Scale extends Layer {
        static final String CLASS = "test.Scale";
        private Parameter w;
        private Tensor lastInput;

        Scale() {
            this(uniqueName("scale"));
        }

        Scale(String name) {
            super(name);
        }

        @Override
        public int outputFeatures(int inputFeatures) {
            return inputFeatures;
        }

        @Override
        public void build(Backend backend, int inputFeatures, SplittableRandom random) {
            super.build(backend, inputFeatures, random);
            w = addWeight("scale", Initializer.GLOROT_UNIFORM, inputFeatures);
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            lastInput = input;
            Tensor out = buffer("out", input.rows(), inputFeatures);
            backend.kernels().affineColumns(input, w.value(), zero(), out);
            return out;
        }

        @Override
        public Tensor backward(Tensor dy) {
            Kernels k = backend.kernels();
            Tensor product = buffer("product", dy.rows(), inputFeatures);
            k.multiply(dy, lastInput, product);
            k.sum(product, 0, w.gradient());   // dL/dw_j = sum over rows of dy * x
            if (!inputGradientNeeded) {
                return null;
            }
            Tensor dx = buffer("dx", dy.rows(), inputFeatures);
            k.affineColumns(dy, w.value(), zero(), dx);
            return dx;
        }

        private Tensor zero() {
            return buffer("zero", Shape.of(inputFeatures));   // never written: stays zero
        }

        @Override
        protected Map<String, Object> config() {
            return Map.of("class", CLASS, "name", name());
        }
    }

    private static void register() {
        LayerRegistry.register(Scale.CLASS, c -> new Scale((String) c.get("name")));
    }

    @Test
    void gradientsOfAUserLayerMatchCentralDifferences() {
        SplittableRandom r = new SplittableRandom(8);
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 3, 4, new Dense(4, "tanh"), new Scale(), new Dense(2, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SequentialConformance.Frozen());
            NumericalGradient.check(model, List.of(s.tensor(uniform(r, 15, -1, 1), 5, 3)),
                    List.of(s.tensor(uniform(r, 10, -1, 1), 5, 2)));
        }
    }

    @Test
    void aUserLayerTrainsCheckpointsSavesAndLoads(@TempDir Path dir) {
        register();
        SplittableRandom r = new SplittableRandom(9);
        int n = 64;
        float[] x = uniform(r, n * 2, -1, 1);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 3 * x[2 * i] - 0.5f * x[2 * i + 1];
        }
        Path best = dir.resolve("best.neurite");
        Path file = dir.resolve("scale.neurite");
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 5, new Scale(), new Dense(1, "linear"))) {
            Tensor tx = s.tensor(x, n, 2);
            Tensor ty = s.tensor(y, n, 1);
            model.compile(Loss.meanSquaredError(), new Adam(0.05f));
            ModelCheckpoint checkpoint = new ModelCheckpoint(best, "loss", true);
            History h = model.fit(tx, ty, FitOptions.epochs(40).batchSize(16).callbacks(checkpoint));
            assertTrue(h.last("loss") < 0.01 * h.get("loss").get(0), "the user layer did not train: " + h.get("loss"));
            assertTrue(checkpoint.saves() > 0 && Files.exists(best));
            assertEquals(2, model.layers().get(0).parameters().get(0).value().size());
            model.save(file);
            try (Model back = Model.load(file, backend)) {
                assertTrue(back.layers().get(0) instanceof Scale);
                assertArrayEquals(model.predict(tx, 32), back.predict(tx, 32));
                // training resumes with the optimizer state of the user layer's weight too
                back.fit(tx, ty, FitOptions.epochs(1).batchSize(16).shuffle(false));
                model.fit(tx, ty, FitOptions.epochs(1).batchSize(16).shuffle(false));
                assertArrayEquals(model.predict(tx, 32), back.predict(tx, 32), 1e-6f);
            }
        }
    }

    @Test
    void aLayerThatCannotBeSavedIsRefusedBeforeTraining(@TempDir Path dir) {
        Layer unregistered = new Scale() {
            @Override
            protected Map<String, Object> config() {
                return Map.of("class", "test.NeverRegistered", "name", name());
            }
        };
        try (TensorScope s = new TensorScope(backend);
             Sequential model = new Sequential(backend, 2, 5, unregistered, new Dense(1, "linear"))) {
            model.compile(Loss.meanSquaredError(), new SGD(0.1f));
            Tensor tx = s.zeros(8, 2);
            Tensor ty = s.zeros(8, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(tx, ty,
                    FitOptions.epochs(3).callbacks(new ModelCheckpoint(dir.resolve("m.neurite"), "loss", false))));
            assertTrue(e.getMessage().startsWith("ModelCheckpoint: layer " + unregistered.name())
                    && e.getMessage().contains("test.NeverRegistered is not registered"), e.getMessage());
            assertEquals(0, model.optimizer().iterations(), "trained before refusing");
            e = assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("m.neurite")));
            assertTrue(e.getMessage().startsWith("save: layer"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LayerRegistry.register("Dense", c -> null));
    }
}
