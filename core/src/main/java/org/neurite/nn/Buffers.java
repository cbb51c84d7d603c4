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
    private final Map<Key, Tensor> byKey = new HashMap<>();

    /** A record key: no string built per lookup (a training step makes a few dozen). */
    private record Key(String role, Shape shape) {
    }

    Tensor get(Backend backend, String role, int rows, int cols) {
        return get(backend, role, Shape.of(rows, cols));
    }

    Tensor get(Backend backend, String role, Shape shape) {
        Key key = new Key(role, shape);
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
