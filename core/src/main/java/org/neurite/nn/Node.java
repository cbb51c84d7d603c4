package org.neurite.nn;

import java.util.List;

/**
 * A value in a model's graph: a model input ({@link #input}) or a layer applied to earlier nodes
 * ({@link Layer#apply}). Nodes only describe the graph; {@link Model} allocates and runs it.
 *
 * <pre>{@code
 * Node wide = Node.input(5);
 * Node deep = Node.input(6);
 * Node h = new Dense(30, "relu").apply(deep);
 * Node out = new Dense(1, "linear").apply(new Concatenate().apply(wide, h));
 * }</pre>
 */
public final class Node {
    private static int inputs;

    private final String name;
    private final Layer layer;
    private final List<Node> parents;
    private final int features;

    Node(String name, Layer layer, List<Node> parents, int features) {
        this.name = name;
        this.layer = layer;
        this.parents = List.copyOf(parents);
        this.features = features;
    }

    /** A model input of {@code features} columns, as Keras's {@code Input(shape=(features,))}. */
    public static Node input(int features) {
        return input(nextInputName(), features);
    }

    /** A named model input. */
    public static Node input(String name, int features) {
        if (features < 1) {
            throw new IllegalArgumentException("input: features must be at least 1, got " + features);
        }
        return new Node(name, null, List.of(), features);
    }

    private static synchronized String nextInputName() {
        return "input_" + (++inputs);
    }

    /** The layer's name, or the input's. */
    public String name() {
        return name;
    }

    /** The layer that computes this node, or null for an input. */
    public Layer layer() {
        return layer;
    }

    public boolean isInput() {
        return layer == null;
    }

    public List<Node> parents() {
        return parents;
    }

    /** Columns of this node's value. */
    public int features() {
        return features;
    }

    @Override
    public String toString() {
        return name + " (" + features + ")";
    }
}
