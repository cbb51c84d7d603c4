package org.neurite.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurite.io.Npy;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;

/** Fixtures (test resources) and the comparison against a producer's outputs. */
final class InteropTestSupport {
    /** The tolerance against the producer's outputs. */
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;

    private InteropTestSupport() {
    }

    static Path fixture(String name) {
        try {
            return Path.of(InteropTestSupport.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    /** NAME.in0.npy, NAME.in1.npy, ... */
    static List<Npy.Array> arrays(String name, String kind) {
        List<Npy.Array> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            java.net.URL u = InteropTestSupport.class.getResource(name + "." + kind + k + ".npy");
            if (u == null) {
                return out;
            }
            out.add(Npy.read(fixture(name + "." + kind + k + ".npy")));
        }
    }

    /** The model's outputs for NAME's inputs (rows flattened to the model's input widths). */
    static List<float[]> predict(Model model, List<Npy.Array> inputs) {
        Backend b = model.backend();
        List<Tensor> xs = new ArrayList<>();
        try {
            for (int i = 0; i < inputs.size(); i++) {
                Npy.Array a = inputs.get(i);
                int rows = a.shape()[0];
                xs.add(b.tensor(a.data(), rows, a.data().length / rows));
            }
            return model.predictAll(xs, 64);
        } finally {
            xs.forEach(Tensor::close);
        }
    }

    /** |actual - expected| <= atol + rtol |expected|, elementwise, with the worst element named. */
    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double excess = err - (ATOL + RTOL * Math.abs(expected[i]));
            if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Double.isNaN(excess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (rtol " + RTOL + ", atol " + ATOL + ")");
        }
    }

    /** Loads with {@code loader}, predicts the fixture's inputs, compares with its outputs. */
    static void matchesProducer(String name, Model model) {
        name = name.replaceAll("\\.(keras|h5|onnx|neurite)$", "");
        List<Npy.Array> in = arrays(name, "in");
        List<Npy.Array> expected = arrays(name, "out");
        List<float[]> actual = predict(model, in);
        assertEquals(expected.size(), actual.size(), name + ": outputs");
        for (int k = 0; k < expected.size(); k++) {
            assertClose(name + " output " + k + " on " + model.backend().name(), expected.get(k).data(), actual.get(k));
        }
    }

    /** The backends the fixtures run on: cpu always, OpenCL where present (required in CI). */
    static List<String> backends() {
        List<String> out = new ArrayList<>(List.of("cpu"));
        boolean opencl = Backends.list().stream().anyMatch(i -> i.name().equals("opencl") && i.availability().available());
        if (opencl) {
            out.add("opencl");
        } else if ("1".equals(System.getenv("NEURITE_REQUIRE_OPENCL"))) {
            fail("OpenCL unavailable but NEURITE_REQUIRE_OPENCL=1");
        }
        return out;
    }
}
