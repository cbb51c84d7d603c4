package org.neurite.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.interop.InteropTestSupport.assertClose;
import static org.neurite.interop.InteropTestSupport.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.neurite.io.Npy;
import org.neurite.nn.ActivationLayer;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

/**
 * .keras files written by Neurite, read back by Neurite's importer. (Keras 3.15 itself opened them and predicted the
 * same, checked by hand with the files this test leaves in target/keras-exports; see the README.)
 */
class KerasExportTest {
    @Test
    void exportsReadBackToTheSameOutputs() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "keras-exports"));
        try (Backend backend = Backends.create("cpu")) {
            for (String name : List.of("fashion_mlp", "wide_deep", "activations", "layers")) {
                Path out = dir.resolve(name + ".keras");
                List<Npy.Array> in = InteropTestSupport.arrays(name, "in");
                try (Model m = Keras.load(fixture(name + ".h5"), backend)) {
                    Keras.save(m, out);
                    try (ZipFile zip = new ZipFile(out.toFile())) {
                        assertTrue(zip.getEntry("config.json") != null && zip.getEntry("metadata.json") != null
                                && zip.getEntry("model.weights.h5") != null);
                    }
                    try (Model back = Keras.load(out, backend)) {
                        List<float[]> expected = InteropTestSupport.predict(m, in);
                        List<float[]> actual = InteropTestSupport.predict(back, in);
                        assertEquals(expected.size(), actual.size());
                        for (int k = 0; k < expected.size(); k++) {
                            assertClose(name + " output " + k, expected.get(k), actual.get(k));
                        }
                    }
                }
                for (int k = 0; k < in.size(); k++) {
                    Npy.write(dir.resolve(name + ".in" + k + ".npy"), in.get(k).shape(), in.get(k).data());
                }
            }
        }
    }

    @Test
    void whatKerasCannotSayIsRefusedByName() {
        try (Backend backend = Backends.create("cpu")) {
            Node x = Node.input("x", 2);
            Node y = new ActivationLayer(Activation.sign()).named("signs").apply(x);
            try (Model m = new Model(backend, 1, List.of(x), List.of(y))) {
                InteropException e = assertThrows(InteropException.class,
                        () -> Keras.save(m, Path.of("target", "sign.keras")));
                assertTrue(e.getMessage().contains("layer 'signs'") && e.getMessage().contains("no Keras counterpart"),
                        e.getMessage());
            }
        }
    }

    @Test
    void snakeCaseIsKerass() {
        assertEquals("leaky_re_lu", KerasExport.snake("LeakyReLU"));
        assertEquals("input_layer", KerasExport.snake("InputLayer"));
        assertEquals("elu", KerasExport.snake("ELU"));
        assertEquals("re_lu", KerasExport.snake("ReLU"));
        assertEquals("dense", KerasExport.snake("Dense"));
    }
}
