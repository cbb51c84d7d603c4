package org.neurite.tensor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Owns the tensors allocated through it and closes those still open when it closes, newest first:
 * the try-with-resources form of "free everything this block made".
 *
 * <pre>{@code
 * try (TensorScope scope = new TensorScope(backend)) {
 *     Tensor a = scope.tensor(data, 2, 3);
 *     Tensor c = scope.zeros(Shape.of(2, 2));
 *     ...
 * }   // a and c are freed here
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {
    private final Backend backend;
    private final Deque<Tensor> owned = new ArrayDeque<>();

    public TensorScope(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    public Tensor zeros(Shape shape) {
        return track(backend.zeros(shape));
    }

    public Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    public Tensor tensor(float[] data, int... dims) {
        return track(backend.tensor(data, Shape.of(dims)));
    }

    public Tensor tensor(float[] data, Shape shape) {
        return track(backend.tensor(data, shape));
    }

    /** Takes ownership of {@code t} (from {@link Ops}, say) and returns it. */
    public Tensor track(Tensor t) {
        owned.push(t);
        return t;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!owned.isEmpty()) {
            Tensor t = owned.pop();
            if (!t.isClosed()) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
