package org.neurite.nn;

import java.util.List;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/**
 * A chain of layers: the {@link Model} with one input and one output, each layer feeding the next.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(backend, 784, 42,
 *         new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10, "softmax"))) {
 *     model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
 *     History h = model.fit(x, y, FitOptions.epochs(30).validationSplit(0.1).verbose(System.out));
 *     Map<String, Double> test = model.evaluate(xTest, yTest, 256);
 * }
 * }</pre>
 */
public final class Sequential extends Model {

    /** Builds every layer on {@code backend} for inputs of {@code inputFeatures}, with weights drawn from {@code seed}. */
    public Sequential(Backend backend, int inputFeatures, long seed, Layer... layers) {
        this(backend, seed, chain(inputFeatures, layers));
    }

    private Sequential(Backend backend, long seed, Node output) {
        super(backend, seed, List.of(root(output)), List.of(output));
    }

    /** For model files: a chain whose nodes are already applied. */
    static Sequential rebuild(Backend backend, long seed, Node output) {
        return new Sequential(backend, seed, output);
    }

    private static Node chain(int inputFeatures, Layer[] layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential: no layers");
        }
        Node node = Node.input(inputFeatures);
        for (Layer layer : layers) {
            if (layer.built()) {
                throw new IllegalArgumentException("Sequential: layer " + layer.name() + " already belongs to a model");
            }
            node = layer.apply(node);
        }
        return node;
    }

    private static Node root(Node n) {
        while (!n.isInput()) {
            n = n.parents().get(0);
        }
        return n;
    }

    public int inputFeatures() {
        return inputs().get(0).features();
    }

    public int outputFeatures() {
        return outputs().get(0).features();
    }

    /** The forward pass of a batch; the result belongs to the last layer. */
    Tensor forward(Tensor x, boolean training) {
        return forward(List.of(x), training).get(0);
    }

    /** One training step; adds the batch loss times its rows to {@code lossSum}; returns the output. */
    Tensor trainStep(Tensor x, Tensor y, Tensor lossSum) {
        return trainStep(List.of(x), List.of(y), new Tensor[] {lossSum}).get(0);
    }
}
