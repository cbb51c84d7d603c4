package org.neurite.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.interop.InteropTestSupport.assertClose;
import static org.neurite.interop.InteropTestSupport.fixture;
import static org.neurite.interop.InteropTestSupport.matchesProducer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.io.Npy;
import org.neurite.nn.ActivationLayer;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.Dropout;
import org.neurite.nn.Flatten;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.nn.Normalization;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

/** ONNX in (PyTorch's export, onnx.helper graphs) and out (every export run by ONNX Runtime). */
class OnnxTest {
    @TempDir
    Path tmp;

    static List<String> backends() {
        return InteropTestSupport.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pytorchsExportAndAnOperatorZooPredictWhatOnnxRuntimePredicted(String backendName) {
        try (Backend backend = Backends.create(backendName)) {
            for (String name : List.of("torch_mlp", "ops")) {
                try (Model m = Onnx.load(fixture(name + ".onnx"), backend)) {
                    matchesProducer(name, m);
                }
            }
        }
    }

    @Test
    void unsupportedOperatorsAreRefusedByName() {
        try (Backend backend = Backends.create("cpu")) {
            InteropException e = assertThrows(InteropException.class,
                    () -> Onnx.load(fixture("unsupported_op.onnx"), backend));
            assertTrue(e.getMessage().contains("unsupported_op.onnx") && e.getMessage().contains("operator Conv (node 'conv1')"),
                    e.getMessage());
            InteropException notOnnx = assertThrows(InteropException.class,
                    () -> Onnx.load(fixture("fashion_mlp.in0.npy"), backend));
            assertTrue(notOnnx.getMessage().contains("not an ONNX model"), notOnnx.getMessage());
        }
    }

    @Test
    void everyImportedKerasModelExportsToWhatOnnxRuntimeRunsAlike() throws Exception {
        try (Backend backend = Backends.create("cpu")) {
            for (String name : List.of("fashion_mlp", "wide_deep", "activations", "layers")) {
                try (Model m = Keras.load(fixture(name + ".keras"), backend)) {
                    List<Npy.Array> in = InteropTestSupport.arrays(name, "in");
                    exportRunAndCompare(name, m, in);
                }
            }
        }
    }

    @Test
    void everyLayerAndActivationExportsAndRoundTrips() throws Exception {
        List<Activation> activations = List.of(Activation.identity(), Activation.relu(), Activation.sigmoid(),
                Activation.tanh(), Activation.leakyRelu(0.3f), Activation.elu(0.7f), Activation.selu(),
                Activation.softplus(), Activation.sign());
        SplittableRandom r = new SplittableRandom(5);
        try (Backend backend = Backends.create("cpu")) {
            Node a = Node.input("a", 3);
            Node b = Node.input("b", 4);
            Node na = new Normalization(new float[] {1, -2, 0.5f}, new float[] {4, 0.25f, 0}).named("norm").apply(a);
            Node fb = new Flatten().named("flat").apply(b);
            Node h = new Concatenate().named("cat").apply(na, fb);
            for (int i = 0; i < activations.size(); i++) {
                h = (i % 2 == 0 ? new Dense(6, activations.get(i), i % 4 != 0, org.neurite.nn.Initializer.GLOROT_UNIFORM)
                        : new ActivationLayer(activations.get(i))).named("l" + i).apply(h);
                if (i == 3) {
                    h = new Dropout(0.4f).named("drop").apply(h);
                }
            }
            Node probs = new Dense(3, "softmax").named("probs").apply(h);
            Node reg = new Dense(2, "linear").named("reg").apply(h);
            try (Model m = new Model(backend, 9, List.of(a, b), List.of(probs, reg))) {
                List<Npy.Array> in = List.of(random(r, 7, 3), random(r, 7, 4));
                exportRunAndCompare("zoo", m, in);
                Path file = tmp.resolve("zoo.onnx");
                try (Model back = Onnx.load(file, backend)) {
                    assertEquals(List.of("a", "b"), back.inputs().stream().map(Node::name).toList());
                    List<float[]> expected = InteropTestSupport.predict(m, in);
                    List<float[]> actual = InteropTestSupport.predict(back, in);
                    for (int k = 0; k < expected.size(); k++) {
                        assertClose("round trip output " + k, expected.get(k), actual.get(k));
                    }
                }
            }
        }
    }

    @Test
    void aLayerWithoutAnOnnxOperatorIsRefusedByName() {
        try (Backend backend = Backends.create("cpu")) {
            Node x = Node.input("x", 2);
            Node y = new ActivationLayer(Activation.heaviside()).named("step").apply(x);
            try (Model m = new Model(backend, 1, List.of(x), List.of(y))) {
                InteropException e = assertThrows(InteropException.class, () -> Onnx.save(m, tmp.resolve("h.onnx")));
                assertTrue(e.getMessage().contains("layer 'step'") && e.getMessage().contains("no ONNX operator"),
                        e.getMessage());
            }
        }
    }

    private static Npy.Array random(SplittableRandom r, int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-2, 2);
        }
        return new Npy.Array(new int[] {rows, cols}, d);
    }

    /** Exports {@code m}, runs the file in ONNX Runtime on {@code in}, and compares with Neurite's outputs. */
    private void exportRunAndCompare(String name, Model m, List<Npy.Array> in) throws OrtException {
        Path file = tmp.resolve(name + ".onnx");
        Onnx.save(m, file);
        List<float[]> expected = InteropTestSupport.predict(m, in);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(s.getInputNames());
            assertEquals(m.inputs().stream().map(Node::name).toList(), names, name + ": input names");
            try {
                for (int i = 0; i < in.size(); i++) {
                    Npy.Array a = in.get(i);
                    int rows = a.shape()[0];
                    feeds.put(m.inputs().get(i).name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(a.data()),
                            new long[] {rows, a.data().length / rows}));
                }
                try (OrtSession.Result result = s.run(feeds)) {
                    assertEquals(expected.size(), result.size(), name + ": outputs");
                    for (int k = 0; k < expected.size(); k++) {
                        float[][] out = (float[][]) result.get(k).getValue();
                        float[] flat = new float[out.length * out[0].length];
                        for (int row = 0; row < out.length; row++) {
                            System.arraycopy(out[row], 0, flat, row * out[0].length, out[0].length);
                        }
                        assertClose(name + " in ONNX Runtime, output " + k, expected.get(k), flat);
                    }
                }
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }
}
