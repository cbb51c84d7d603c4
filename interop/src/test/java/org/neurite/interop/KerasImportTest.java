package org.neurite.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.interop.InteropTestSupport.fixture;
import static org.neurite.interop.InteropTestSupport.matchesProducer;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

/** Models made by Keras 3.15 (the shared fixtures and this module's own), predicting what Keras predicted. */
class KerasImportTest {

    static List<String> backends() {
        return InteropTestSupport.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theFixturesPredictWhatKerasPredicted(String backendName) {
        try (Backend backend = Backends.create(backendName)) {
            for (String name : List.of("fashion_mlp", "wide_deep", "activations", "layers")) {
                for (String ext : List.of(".keras", ".h5")) {
                    try (Model m = Keras.load(fixture(name + ext), backend)) {
                        matchesProducer(name + ext, m);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsupported_layer.keras:layer 'conv' (Conv1D) is not supported",
        "unsupported_activation.keras:activation 'gelu' is not supported",
        "dense_on_3d.keras:Dense 'dense_on_3d' is applied to a tensor of shape (None, 4, 2)"})
    void whatNeuriteLacksIsRefusedByName(String c) {
        String file = c.substring(0, c.indexOf(':'));
        String message = c.substring(c.indexOf(':') + 1);
        try (Backend backend = Backends.create("cpu")) {
            InteropException e = assertThrows(InteropException.class, () -> Keras.load(fixture(file), backend));
            assertTrue(e.getMessage().contains(file) && e.getMessage().contains(message), e.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void namesInputsAndOutputsAsKerasDid() {
        try (Backend backend = Backends.create("cpu");
             Model m = Keras.load(fixture("layers.keras"), backend)) {
            assertEquals(List.of("a", "b"), m.inputs().stream().map(org.neurite.nn.Node::name).toList());
            assertEquals(List.of(3, 8), m.inputs().stream().map(org.neurite.nn.Node::features).toList());
            assertEquals(List.of("logits", "reg"), m.outputs().stream().map(org.neurite.nn.Node::name).toList());
        }
    }
}
