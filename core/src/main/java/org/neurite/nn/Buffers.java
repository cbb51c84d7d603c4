package org.neurite.nn;

import java.util.HashMap;
import java.util.Map;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A layer's activation and gradient buffers, kept per (role, rows) so that a training loop allocates them
 * once: the full batches and the last, shorter one each get theirs, and nothing is allocated per step.
 */
final class Buffers implements AutoCloseable {
    private final Map<String, Tensor> byKey = new HashMap<>();

    Tensor get(Backend backend, String role, int rows, int cols) {
        return get(backend, role, Shape.of(rows, cols));
    }

    Tensor get(Backend backend, String role, Shape shape) {
        String key = role + "/" + shape;
        Tensor t = byKey.get(key);
        if (t == null) {
            t = backend.zeros(shape);
            byKey.put(key, t);
        }
        return t;
    }

    @Override
    public void close() {
        byKey.values().forEach(Tensor::close);
        byKey.clear();
    }
}
