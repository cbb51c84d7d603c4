package org.neurite.nn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/**
 * A small random hyper-parameter search (Bergstra and Bengio 2012) over MLPs: the number of hidden layers,
 * neurons per layer, learning rate (log-uniform), optimizer, batch size and activation. Each trial trains
 * briefly with a validation split; trials come back ranked by their best validation loss.
 *
 * <pre>{@code
 * List<RandomSearch.Trial> ranked = new RandomSearch(backend, 784, 10, "softmax",
 *         Loss.sparseCategoricalCrossEntropy()).run(x, y, 20, 5, 0.1, 42);
 * ranked.get(0).settings();   // {hidden_layers=2, neurons=128, learning_rate=0.003, ...}
 * }</pre>
 */
public final class RandomSearch {
    private final Backend backend;
    private final int inputFeatures;
    private final int outputs;
    private final String outputActivation;
    private final Loss loss;
    private int[] hiddenLayers = {1, 2, 3};
    private int[] neurons = {16, 32, 64, 128, 256};
    private double minRate = 1e-4;
    private double maxRate = 1e-1;
    private String[] optimizers = {"sgd", "momentum", "adam", "rmsprop"};
    private int[] batchSizes = {16, 32, 64};
    private String[] activations = {"relu", "tanh", "elu", "selu"};

    /** One trial: its settings, its score (best validation loss) and its history. */
    public record Trial(Map<String, Object> settings, double bestValidationLoss, History history) {
    }

    public RandomSearch(Backend backend, int inputFeatures, int outputs, String outputActivation, Loss loss) {
        this.backend = backend;
        this.inputFeatures = inputFeatures;
        this.outputs = outputs;
        this.outputActivation = outputActivation;
        this.loss = loss;
    }

    public RandomSearch hiddenLayers(int... choices) {
        this.hiddenLayers = choices.clone();
        return this;
    }

    public RandomSearch neurons(int... choices) {
        this.neurons = choices.clone();
        return this;
    }

    /** Learning rates are drawn log-uniformly from {@code [min, max]}. */
    public RandomSearch learningRate(double min, double max) {
        this.minRate = min;
        this.maxRate = max;
        return this;
    }

    /** Any of {@code sgd}, {@code momentum}, {@code nesterov}, {@code adam}, {@code nadam}, {@code rmsprop}, {@code adagrad}. */
    public RandomSearch optimizers(String... choices) {
        this.optimizers = choices.clone();
        return this;
    }

    public RandomSearch batchSizes(int... choices) {
        this.batchSizes = choices.clone();
        return this;
    }

    public RandomSearch activations(String... choices) {
        this.activations = choices.clone();
        return this;
    }

    /** Runs {@code trials} trials of {@code epochs} epochs each; returns them best first. */
    public List<Trial> run(Tensor x, Tensor y, int trials, int epochs, double validationSplit, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Trial> results = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Map<String, Object> s = new LinkedHashMap<>();
            int layers = hiddenLayers[r.nextInt(hiddenLayers.length)];
            int width = neurons[r.nextInt(neurons.length)];
            double rate = Math.exp(r.nextDouble(Math.log(minRate), Math.log(maxRate)));
            String optimizer = optimizers[r.nextInt(optimizers.length)];
            int batch = batchSizes[r.nextInt(batchSizes.length)];
            String activation = activations[r.nextInt(activations.length)];
            s.put("hidden_layers", layers);
            s.put("neurons", width);
            s.put("learning_rate", rate);
            s.put("optimizer", optimizer);
            s.put("batch_size", batch);
            s.put("activation", activation);
            Layer[] stack = new Layer[layers + 1];
            for (int i = 0; i < layers; i++) {
                stack[i] = new Dense(width, activation);
            }
            stack[layers] = new Dense(outputs, outputActivation);
            try (Sequential model = new Sequential(backend, inputFeatures, r.nextLong(), stack)) {
                model.compile(loss, optimizer(optimizer, (float) rate));
                History h = model.fit(x, y, FitOptions.epochs(epochs).batchSize(batch).validationSplit(validationSplit)
                        .seed(r.nextLong()));
                double best = h.get("val_loss").stream().mapToDouble(Double::doubleValue)
                        .map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v).min().orElse(Double.POSITIVE_INFINITY);
                results.add(new Trial(s, best, h));
            }
        }
        results.sort(Comparator.comparingDouble(Trial::bestValidationLoss));
        return results;
    }

    static Optimizer optimizer(String name, float rate) {
        switch (name) {
            case "sgd": return new SGD(rate);
            case "momentum": return new SGD(rate, 0.9f, false);
            case "nesterov": return new SGD(rate, 0.9f, true);
            case "adam": return new Adam(rate);
            case "rmsprop": return new RMSprop(rate);
            case "adagrad": return new Adagrad(rate);
            case "nadam": return new Nadam(rate);
            default: throw new IllegalArgumentException("RandomSearch: unknown optimizer '" + name
                    + "' (known: sgd, momentum, nesterov, adam, nadam, rmsprop, adagrad)");
        }
    }
}
