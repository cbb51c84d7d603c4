package org.neurite.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A graph of layers with one or more inputs and outputs, trained as Keras trains a functional model.
 * {@link Sequential} is the chain special case.
 *
 * <pre>{@code
 * // Wide & Deep (Cheng et al. 2016): a wide path straight to the output, a deep path of Dense layers,
 * // and an auxiliary output on the deep path with its own loss weight.
 * Node wide = Node.input("wide", 5);
 * Node deep = Node.input("deep", 6);
 * Node h1 = new Dense(30, "relu").apply(deep);
 * Node h2 = new Dense(30, "relu").apply(h1);
 * Node main = new Dense(1, "linear").apply(new Concatenate().apply(wide, h2));
 * Node aux = new Dense(1, "linear").apply(h2);
 * try (Model model = new Model(backend, 42, List.of(wide, deep), List.of(main, aux))) {
 *     model.compile(List.of(Loss.meanSquaredError(), Loss.meanSquaredError()), List.of(0.9, 0.1), new Adam(1e-3f));
 *     model.fit(List.of(xWide, xDeep), List.of(y, y), FitOptions.epochs(20).validationSplit(0.1));
 * }
 * }</pre>
 * Data live on the model's backend as tensors, one per input ({@code [samples, features]}) and one per
 * output ({@code [samples]} class indices for sparse losses, else {@code [samples, outputs]}). Each step
 * gathers a shuffled batch on the device; buffers are allocated once per batch size; the loss is summed
 * on the device and read back only when the progress bar, a callback or the epoch's end needs it.
 */
public class Model implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("org.neurite.nn");
    final Backend backend;
    private final long seed;
    List<Node> inputs;
    List<Node> outputs;
    /** Layer nodes in topological order (inputs excluded); null until a subclass's graph is built. */
    private List<Node> order;
    /** The input widths of a subclass whose graph {@link #call} builds on first use. */
    private int[] pendingInputs;
    private boolean building;
    private final Map<Node, Integer> consumers = new IdentityHashMap<>();
    final Buffers buffers = new Buffers();
    final Evaluator evaluator = new Evaluator(this);
    DeviceMetrics trainMetrics;
    DeviceMetrics evalMetrics;
    private String[] lossRoles;       // per output, built at compile: no string building per step
    private String[] gradientRoles;
    List<Loss> losses;
    double[] lossWeights;
    private boolean[] fused;
    /** Per fused output, its loss read from the logits: made once at compile, not per step. */
    private Loss[] fusedLosses;
    /** Per output: "accuracy" means Keras's binary_accuracy (binary cross-entropy: multi-label outputs). */
    boolean[] binaryAccuracy;
    private Optimizer optimizer;
    List<Metric> metrics = List.of();
    boolean stopRequested;

    /** Builds every layer of the graph from {@code inputs} to {@code outputs} on {@code backend}. */
    public Model(Backend backend, long seed, List<Node> inputs, List<Node> outputs) {
        this.backend = backend;
        this.seed = seed;
        init(inputs, outputs);
    }

    /**
     * For the subclassing API (Keras's {@code class MyModel(keras.Model)}): a model with inputs of these widths
     * whose forward pass {@link #call} writes in Java with layers held in fields. The graph is traced from
     * {@code call} on first use (so the subclass's fields are set by then); the backward pass comes from the
     * layers, and the model trains, evaluates, checkpoints and saves as any other. A saved subclassed model loads
     * as the equivalent functional {@link Model}.
     *
     * <pre>{@code
     * class WideAndDeep extends Model {
     *     final Dense hidden1 = new Dense(30, "relu"), hidden2 = new Dense(30, "relu");
     *     final Dense main = new Dense(1, "linear"), aux = new Dense(1, "linear");
     *     WideAndDeep(Backend backend) { super(backend, 42, 5, 6); }   // a wide input of 5, a deep one of 6
     *     protected List<Node> call(List<Node> in) {
     *         Node h2 = hidden2.apply(hidden1.apply(in.get(1)));
     *         return List.of(main.apply(new Concatenate().apply(in.get(0), h2)), aux.apply(h2));
     *     }
     * }
     * }</pre>
     */
    protected Model(Backend backend, long seed, int... inputFeatures) {
        if (inputFeatures.length == 0) {
            throw new IllegalArgumentException("Model: needs at least one input");
        }
        for (int f : inputFeatures) {
            if (f < 1) {
                throw new IllegalArgumentException("Model: input widths must be at least 1, got "
                        + java.util.Arrays.toString(inputFeatures));
            }
        }
        this.backend = backend;
        this.seed = seed;
        this.pendingInputs = inputFeatures.clone();
    }

    /**
     * The forward pass of a subclassed model, on symbolic nodes: apply the model's layers to {@code inputs} (one
     * node per input, in order) and return the output nodes. Called once, to trace the graph.
     */
    protected List<Node> call(List<Node> inputs) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + ": a model built with Model(backend, "
                + "seed, inputFeatures...) must override call(inputs)");
    }

    /** Traces a subclass's graph from {@link #call} if that has not happened yet. */
    final void ensureBuilt() {
        if (order != null) {
            return;
        }
        if (building) {
            throw new IllegalStateException(getClass().getSimpleName() + ": call() must not use the model itself");
        }
        building = true;
        try {
            List<Node> in = new ArrayList<>();
            for (int i = 0; i < pendingInputs.length; i++) {
                in.add(Node.input(pendingInputs.length == 1 ? "input" : "input_" + (i + 1), pendingInputs[i]));
            }
            List<Node> out = call(Collections.unmodifiableList(in));
            if (out == null || out.isEmpty()) {
                throw new IllegalStateException(getClass().getSimpleName() + ".call returned no outputs");
            }
            init(in, out);
        } finally {
            building = false;
        }
    }

    private void init(List<Node> inputs, List<Node> outputs) {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("Model: needs at least one input and one output");
        }
        for (Node in : inputs) {
            if (!in.isInput()) {
                throw new IllegalArgumentException("Model: " + in.name() + " is not an input node (use Node.input)");
            }
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.order = topologicalOrder(outputs);
        for (Node n : order) {
            for (Node p : n.parents()) {
                if (p.isInput() && !inputs.contains(p)) {
                    throw new IllegalArgumentException("Model: " + n.name() + " reads input " + p.name()
                            + ", which is not among the model's inputs " + names(inputs));
                }
                consumers.merge(p, 1, Integer::sum);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (Node n : order) {
            Layer layer = n.layer();
            if (layer.built()) {
                throw new IllegalArgumentException("Model: layer " + layer.name() + " already belongs to a model");
            }
            int[] widths = n.parents().stream().mapToInt(Node::features).toArray();
            layer.build(backend, widths, random);
            layer.inputGradientNeeded = n.parents().stream().anyMatch(p -> !p.isInput());
        }
    }

    private static List<Node> topologicalOrder(List<Node> outputs) {
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> order = new ArrayList<>();
        for (Node out : outputs) {
            visit(out, done, Collections.newSetFromMap(new IdentityHashMap<>()), order);
        }
        return Collections.unmodifiableList(order);
    }

    private static void visit(Node n, Set<Node> done, Set<Node> onPath, List<Node> order) {
        if (done.contains(n) || n.isInput()) {
            return;
        }
        if (!onPath.add(n)) {
            throw new IllegalArgumentException("Model: the graph has a cycle through " + n.name());
        }
        for (Node p : n.parents()) {
            visit(p, done, onPath, order);
        }
        onPath.remove(n);
        done.add(n);
        order.add(n);
    }

    static String names(List<Node> nodes) {
        return nodes.stream().map(Node::name).toList().toString();
    }

    public Backend backend() {
        return backend;
    }

    long seed() {
        return seed;
    }

    public List<Node> inputs() {
        ensureBuilt();
        return inputs;
    }

    public List<Node> outputs() {
        ensureBuilt();
        return outputs;
    }

    /** The layer nodes in the order they run. */
    public List<Node> nodes() {
        ensureBuilt();
        return order;
    }

    /** The layers, in the order they run. */
    public List<Layer> layers() {
        ensureBuilt();
        return order.stream().map(Node::layer).toList();
    }

    /** Every trainable parameter, layer by layer. */
    public List<Parameter> parameters() {
        ensureBuilt();
        List<Parameter> all = new ArrayList<>();
        for (Node n : order) {
            all.addAll(n.layer().parameters());
        }
        return all;
    }

    /** Compiles a model with one output (or the same loss, weight 1, for every output). */
    public void compile(Loss loss, Optimizer optimizer, Metric... metrics) {
        List<Loss> all = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            all.add(loss);
            weights.add(1.0);
        }
        compile(all, weights, optimizer, metrics);
    }

    /**
     * One loss per output and its weight in the total ({@code sum w_i L_i}, Keras's {@code loss_weights}), the
     * optimizer (which the model then owns and closes), and the metrics to report for every output.
     */
    public void compile(List<Loss> losses, List<Double> lossWeights, Optimizer optimizer, Metric... metrics) {
        ensureBuilt();
        if (losses.size() != outputs.size() || lossWeights.size() != outputs.size()) {
            throw new IllegalArgumentException("compile: " + outputs.size() + " outputs, but " + losses.size()
                    + " losses and " + lossWeights.size() + " loss weights");
        }
        if (this.optimizer != null && this.optimizer != optimizer) {
            this.optimizer.close();
        }
        if (this.losses != null) {
            this.losses.stream().filter(l -> !losses.contains(l)).forEach(Loss::release);
        }
        this.losses = List.copyOf(losses);
        this.lossWeights = lossWeights.stream().mapToDouble(Double::doubleValue).toArray();
        this.optimizer = optimizer;
        this.metrics = List.of(metrics);
        this.trainMetrics = new DeviceMetrics(backend, buffers, "fitMetrics", outputs.size(), this.metrics);
        this.evalMetrics = new DeviceMetrics(backend, buffers, "evalMetrics", outputs.size(), this.metrics);
        this.lossRoles = new String[outputs.size()];
        this.gradientRoles = new String[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
            lossRoles[i] = "loss/" + i;
            gradientRoles[i] = "dOut/" + i;
        }
        this.binaryAccuracy = new boolean[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
            binaryAccuracy[i] = losses.get(i).function() != null
                    && losses.get(i).function().kind() == org.neurite.tensor.LossFunction.Kind.BINARY_CROSS_ENTROPY;
        }
        this.fused = new boolean[outputs.size()];
        this.fusedLosses = new Loss[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
            Node out = outputs.get(i);
            // Softmax + cross-entropy trains through the exact softmax(z) - y gradient when nothing else reads
            // the softmax output.
            fused[i] = out.layer().softmaxOutput()
                    && losses.get(i).fusedWithSoftmax() != null && !consumers.containsKey(out)
                    && outputs.indexOf(out) == outputs.lastIndexOf(out);
            fusedLosses[i] = fused[i] ? losses.get(i).fusedWithSoftmax() : null;
        }
    }

    /** The loss of output {@code i}, or null before {@link #compile}. */
    public Loss loss(int i) {
        return losses == null ? null : losses.get(i);
    }

    /** The loss of the only output (or the first), or null before {@link #compile}. */
    public Loss loss() {
        return loss(0);
    }

    double lossWeight(int i) {
        return lossWeights[i];
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** Asks {@link #fit} to stop after the current step (callbacks use it: early stopping, NaN). */
    public void stopTraining() {
        stopRequested = true;
    }

    /** A device buffer of the model's, kept for its lifetime (allocated once per role and shape). */
    Tensor buffer(String role, Shape shape) {
        return buffers.get(backend, role, shape);
    }

    /** The forward pass; returns each output's value (tensors owned by the layers). */
    List<Tensor> forward(List<Tensor> xs, boolean training) {
        ensureBuilt();
        Map<Node, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            values.put(inputs.get(i), xs.get(i));
        }
        for (Node n : order) {
            List<Tensor> in = new ArrayList<>(n.parents().size());
            for (Node p : n.parents()) {
                in.add(values.get(p));
            }
            values.put(n, n.layer().forward(in, training));
        }
        List<Tensor> out = new ArrayList<>(outputs.size());
        for (Node o : outputs) {
            out.add(values.get(o));
        }
        return out;
    }

    /**
     * One training step on batches already on the device: forward, weighted losses (each output's loss times
     * the batch's rows added to {@code lossSums[i]}), backward through the graph, optimizer update. Returns
     * the outputs' values.
     */
    List<Tensor> trainStep(List<Tensor> xs, List<Tensor> ys, Tensor[] lossSums) {
        ensureBuilt();
        requireCompiled();
        Kernels k = backend.kernels();
        List<Tensor> out = forward(xs, true);
        int rows = xs.get(0).shape().dim(0);
        Map<Node, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            Node node = outputs.get(i);
            Tensor lossValue = buffers.get(backend, lossRoles[i], Shape.of(1));
            Tensor prediction = fused[i] ? node.layer().logits() : out.get(i);
            Loss loss = fused[i] ? fusedLosses[i] : losses.get(i);
            Tensor g = buffers.get(backend, gradientRoles[i], rows, prediction.cols());
            loss.value(k, prediction, ys.get(i), lossValue);
            loss.gradient(k, prediction, ys.get(i), g);
            if (lossWeights[i] != 1.0) {
                k.scale((float) lossWeights[i], g);
            }
            k.axpy(rows, lossValue, lossSums[i]);
            accumulate(grads, node, g);
        }
        for (Node n : order) {
            n.layer().addPenalty(lossSums[0], rows);   // regularization counts once, in the first output's loss
        }
        float stepRate = optimizer.backwardStepRate();
        boolean stepInBackward = !Float.isNaN(stepRate) && layersDistinct();
        try {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Node n = order.get(idx);
                Tensor g = grads.get(n);
                if (g == null) {
                    continue;   // does not reach any loss
                }
                n.layer().backwardStepRate = stepInBackward ? stepRate : Float.NaN;
                List<Tensor> back;
                int outIndex = outputs.indexOf(n);
                if (outIndex >= 0 && fused[outIndex]) {
                    back = Collections.singletonList(n.layer().backwardFromLogits(g));
                } else {
                    back = n.layer().backwardAll(g);
                }
                for (int j = 0; j < n.parents().size(); j++) {
                    Node p = n.parents().get(j);
                    if (!p.isInput() && back.get(j) != null) {
                        accumulate(grads, p, back.get(j));
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            // A failed backward pass: no parameter may stay marked as stepped for the next step's update.
            for (Parameter p : parameters()) {
                p.steppedInBackward = false;
            }
            throw e;
        } finally {
            for (Node n : order) {
                n.layer().backwardStepRate = Float.NaN;
            }
        }
        optimizer.apply(parameters());
        return out;
    }

    /**
     * Whether every node has its own layer: a layer applied twice sums its weights' gradients over its calls, so
     * it cannot step its weights in the first call's backward pass.
     */
    private boolean layersDistinct() {
        if (layersDistinct == null) {
            java.util.Set<Layer> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            boolean distinct = true;
            for (Node n : order) {
                distinct &= seen.add(n.layer());
            }
            layersDistinct = distinct;
        }
        return layersDistinct;
    }

    private Boolean layersDistinct;

    /** Sums gradient contributions; the first is used in place, later ones are added into it. */
    private void accumulate(Map<Node, Tensor> grads, Node node, Tensor g) {
        Tensor have = grads.get(node);
        if (have == null) {
            grads.put(node, g);
        } else {
            backend.kernels().axpy(1f, g, have);
        }
    }

    /**
     * One gradient step on one batch already on the device (Keras's {@code train_on_batch}); returns the
     * batch's loss, read back to the host.
     */
    public double trainOnBatch(List<Tensor> xs, List<Tensor> ys) {
        ensureBuilt();
        requireCompiled();
        checkData("trainOnBatch", xs, ys);
        Tensor[] sums = new Tensor[outputs.size()];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = buffers.get(backend, "batchLoss/" + i, Shape.of(1));
            backend.kernels().fill(sums[i], 0f);
        }
        trainStep(xs, ys, sums);
        return totalLoss(sums, xs.get(0).shape().dim(0));
    }

    /** {@link #trainOnBatch(List, List)} for a model with one input and one output. */
    public double trainOnBatch(Tensor x, Tensor y) {
        return trainOnBatch(List.of(x), List.of(y));
    }

    /** Trains a model with one input and one output. */
    public History fit(Tensor x, Tensor y, FitOptions o) {
        return fit(List.of(x), List.of(y), o);
    }

    /**
     * Trains; returns per-epoch losses and metrics (and their {@code val_} forms with a validation split).
     *
     * <p>Interrupting the calling thread stops training before the next step: the model stays usable and
     * consistent (every step taken is complete), the epochs that finished are in the returned history, whose
     * {@link History#interrupted()} is then true, and the thread's interrupt status stays set. A loss that turns
     * NaN or infinite is reported (logged once, printed to the verbose stream, {@link History#nonFiniteLossEpoch()});
     * training goes on unless a {@link TerminateOnNaN} callback stops it, as in Keras.
     */
    public History fit(List<Tensor> xs, List<Tensor> ys, FitOptions o) {
        return new Trainer(this).fit(xs, ys, o);
    }

    /**
     * Trains on a {@link org.neurite.data.Dataset}, read in batches by a {@link org.neurite.data.DataLoader}: shuffled
     * every epoch with {@code o}'s seed (unless {@code shuffle(false)}), prepared {@code o.prefetch} batches ahead on a
     * background thread. Validation through {@link FitOptions#validationData(org.neurite.data.Dataset)};
     * {@code validationSplit} is refused, as Keras refuses it for datasets. A failure in the data stops training with
     * a {@link org.neurite.data.DataPipelineException} carrying the cause. The data set stays open (the caller's).
     */
    public History fit(org.neurite.data.Dataset data, FitOptions o) {
        return new Trainer(this).fit(data, o);
    }

    /** Mean (weighted) loss and metrics over a data set, in batches of {@code batchSize}, read ahead as fit reads. */
    public Map<String, Double> evaluate(org.neurite.data.Dataset data, int batchSize) {
        ensureBuilt();
        requireCompiled();
        checkBatchSize("evaluate", batchSize);
        checkDataset("evaluate", data, true);
        return evaluator.evaluate(data, batchSize, 2);
    }

    /** Every output for a data set's inputs (its targets, if any, are ignored), each row-major on the host. */
    public List<float[]> predict(org.neurite.data.Dataset data, int batchSize) {
        ensureBuilt();
        checkBatchSize("predict", batchSize);
        checkDataset("predict", data, false);
        return evaluator.predict(data, batchSize, 2);
    }

    /** Checks a data set's inputs (and targets) against the model's, naming them. */
    void checkDataset(String op, org.neurite.data.Dataset data, boolean targets) {
        ensureBuilt();
        int[] in = data.inputWidths();
        if (in.length != inputs.size()) {
            throw new IllegalArgumentException(op + ": the model has " + inputs.size() + " inputs " + names(inputs)
                    + ", the data set " + in.length);
        }
        for (int i = 0; i < in.length; i++) {
            if (in[i] != inputs.get(i).features()) {
                throw new IllegalArgumentException(op + ": input " + inputs.get(i).name() + " takes "
                        + inputs.get(i).features() + " features, the data set's input " + i + " has " + in[i]);
            }
        }
        if (data.size() < 1) {
            throw new IllegalArgumentException(op + ": the data set is empty");
        }
        if (!targets) {
            return;
        }
        int[] out = data.targetWidths();
        if (out.length != outputs.size()) {
            throw new IllegalArgumentException(op + ": the model has " + outputs.size() + " outputs, the data set "
                    + out.length + " targets");
        }
        for (int i = 0; i < out.length; i++) {
            boolean sparse = losses.get(i).sparseTargets();
            int features = outputs.get(i).features();
            if (sparse ? out[i] != 1 : out[i] != features) {
                throw new IllegalArgumentException(op + ": target " + i + " (" + out[i] + " values per sample) does not"
                        + " fit output " + outputs.get(i).name() + " (" + features + " features) and loss " + losses.get(i)
                        + (sparse ? " (one class index per sample)" : ""));
            }
        }
    }

    /** A host batch copied into device buffers kept per role and shape (so an epoch allocates nothing new). */
    Trainer.Step upload(org.neurite.data.Batch b, String role) {
        int rows = b.rows();
        List<Tensor> xs = new ArrayList<>(b.inputCount());
        for (int i = 0; i < b.inputCount(); i++) {
            Tensor t = buffers.get(backend, role + "x" + i, Shape.of(rows, b.inputWidth(i)));
            t.copyFrom(exact(b.input(i), rows * b.inputWidth(i)));
            xs.add(t);
        }
        List<Tensor> ys = new ArrayList<>(b.targetCount());
        for (int j = 0; j < b.targetCount() && losses != null; j++) {
            boolean sparse = losses.get(j).sparseTargets();
            Shape shape = sparse ? Shape.of(rows) : Shape.of(rows, b.targetWidth(j));
            Tensor t = buffers.get(backend, role + "y" + j, shape);
            t.copyFrom(exact(b.target(j), rows * b.targetWidth(j)));
            ys.add(t);
        }
        return new Trainer.Step(xs, ys, rows, o -> java.util.Arrays.copyOf(b.target(o), rows * b.targetWidth(o)));
    }

    private static float[] exact(float[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    double totalLoss(Tensor[] lossSums, int seen) {
        double total = 0;
        for (int i = 0; i < lossSums.length; i++) {
            total += lossWeights[i] * lossSums[i].item();
        }
        return total / seen;
    }

    /** Mean loss and metrics of a one-input, one-output model over {@code x, y}, without training. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(List.of(x), List.of(y), batchSize);
    }

    /** Mean (weighted) loss and metrics over the data, in batches of {@code batchSize}, without training. */
    public Map<String, Double> evaluate(List<Tensor> xs, List<Tensor> ys, int batchSize) {
        ensureBuilt();
        requireCompiled();
        checkBatchSize("evaluate", batchSize);
        checkData("evaluate", xs, ys);
        return evaluator.evaluateRange(xs, ys, ys.stream().map(Tensor::toFloatArray).toList(), 0, xs.get(0).shape().dim(0),
                batchSize);
    }


    /** The outputs of a one-input, one-output model, row-major {@code [samples, outputs]}, on the host. */
    public float[] predict(Tensor x, int batchSize) {
        ensureBuilt();
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("predict: the model has " + outputs.size() + " outputs; use predictAll");
        }
        return predictAll(List.of(x), batchSize).get(0);
    }

    /** Every output for the inputs, each row-major {@code [samples, features]}, on the host. */

    public List<float[]> predictAll(List<Tensor> xs, int batchSize) {
        ensureBuilt();
        return evaluator.predictAll(xs, batchSize);
    }

    /**
     * The outputs of a one-input, one-output model for rows given on the host ({@code x[sample][feature]}), as
     * rows ({@code [sample][output]}): the tensors in between are the model's business.
     */
    public float[][] predict(float[][] x) {
        ensureBuilt();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new IllegalArgumentException("predict: the model has " + inputs.size() + " inputs and "
                    + outputs.size() + " outputs; use predictAll(List<float[][]>)");
        }
        return predictRows(Collections.singletonList(x)).get(0);
    }

    /** Every output for inputs given as host rows, one {@code float[sample][feature]} per input, in order. */

    public List<float[][]> predictRows(List<float[][]> xs) {
        ensureBuilt();
        return evaluator.predictRows(xs);
    }

    /**
     * Every weight, read to the host, layer by layer in the order the layers run, each layer's as it lists them
     * (Dense: kernel {@code [in, out]} row-major, then bias), as Keras's {@code get_weights}.
     */
    public List<float[]> getWeights() {
        return parameters().stream().map(p -> p.value().toFloatArray()).toList();
    }

    /** Sets every weight, in {@link #getWeights()}'s order and sizes; nothing is written unless all fit. */
    public void setWeights(List<float[]> weights) {
        List<Parameter> ps = parameters();
        if (weights.size() != ps.size()) {
            throw new IllegalArgumentException("setWeights: the model has " + ps.size() + " weights, got "
                    + weights.size() + " arrays");
        }
        for (int i = 0; i < ps.size(); i++) {
            float[] w = weights.get(i);
            if (w == null || w.length != ps.get(i).value().size()) {
                throw new IllegalArgumentException("setWeights: weight " + i + " (" + ps.get(i).name() + ", "
                        + ps.get(i).value().shape() + ") needs " + ps.get(i).value().size() + " values, got "
                        + (w == null ? "null" : w.length));
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).value().copyFrom(weights.get(i));
        }
    }


    List<Tensor> batches(String role, List<Tensor> data, Tensor indices, int start, int rows) {
        List<Tensor> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(batch(role + i, data.get(i), indices, start, rows));
        }
        return out;
    }

    Tensor batch(String role, Tensor data, Tensor indices, int start, int rows) {
        int[] dims = data.shape().dims();
        dims[0] = rows;
        Tensor b = buffers.get(backend, role, Shape.of(dims));
        backend.kernels().gatherRows(data, indices, start, b);
        return b;
    }

    /**
     * Adds a batch's metric sums of output {@code o}: on the device where {@link DeviceMetrics} can (read back
     * only when shown), else on the host from the outputs read back and the host copy of the targets.
     */
    /** Fresh states of the metrics that keep their own ({@link Metric.Builtin}s are summed instead). */





    void checkInputs(String op, List<Tensor> xs) {
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException(op + ": the model has " + inputs.size() + " inputs " + names(inputs)
                    + ", got " + xs.size() + " tensors");
        }
        int n = xs.get(0).shape().rank() == 0 ? -1 : xs.get(0).shape().dim(0);
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            // Samples may be matrices or images (a Flatten layer makes them rows); each must hold `features` values.
            if (x.shape().rank() < 2 || x.size() != x.shape().dim(0) * inputs.get(i).features()) {
                throw new IllegalArgumentException(op + ": input " + inputs.get(i).name() + " must be [samples, "
                        + inputs.get(i).features() + "], got " + x.shape());
            }
            if (x.shape().dim(0) != n) {
                throw new IllegalArgumentException(op + ": inputs differ in their number of samples: " + x.shape()
                        + " and " + xs.get(0).shape());
            }
        }
    }

    static void checkBatchSize(String op, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(op + ": batchSize must be at least 1, got " + batchSize);
        }
    }

    void checkData(String op, List<Tensor> xs, List<Tensor> ys) {
        ensureBuilt();
        checkInputs(op, xs);
        if (ys.size() != outputs.size()) {
            throw new IllegalArgumentException(op + ": the model has " + outputs.size() + " outputs, got " + ys.size()
                    + " targets");
        }
        int n = xs.get(0).shape().dim(0);
        if (n == 0) {
            throw new IllegalArgumentException(op + ": no samples (x is " + xs.get(0).shape() + ")");
        }
        for (int i = 0; i < ys.size(); i++) {
            Tensor y = ys.get(i);
            if (y.shape().rank() == 0 || y.shape().dim(0) != n) {
                throw new IllegalArgumentException(op + ": x " + xs.get(0).shape() + " and y " + y.shape()
                        + " differ in their number of samples");
            }
            boolean sparse = losses.get(i).sparseTargets();
            int per = y.size() / n;
            int features = outputs.get(i).features();
            if (sparse ? per != 1 : per != features) {
                throw new IllegalArgumentException(op + ": y " + y.shape() + " does not fit output "
                        + outputs.get(i).name() + " (" + features + " features) and loss " + losses.get(i)
                        + (sparse ? " (one class index per sample)" : ""));
            }
        }
    }

    void requireCompiled() {
        if (losses == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": call compile(loss, optimizer, metrics...) first");
        }
    }

    static void shuffle(float[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Layers, output shapes, parameter counts and connections, as Keras prints them. */
    public String summary() {
        ensureBuilt();
        StringBuilder sb = new StringBuilder();
        String line = "=".repeat(86) + "\n";
        sb.append(String.format(Locale.ROOT, "%-30s %-14s %12s  %s%n", "Layer (type)", "Output Shape", "Param #",
                "Connected to"));
        sb.append(line);
        long total = 0;
        for (Node in : inputs) {
            sb.append(String.format(Locale.ROOT, "%-30s %-14s %12d  %s%n", in.name() + " (Input)",
                    "(None, " + in.features() + ")", 0, ""));
        }
        for (Node n : order) {
            long count = n.layer().parameterCount();
            total += count;
            sb.append(String.format(Locale.ROOT, "%-30s %-14s %,12d  %s%n",
                    n.name() + " (" + n.layer().getClass().getSimpleName() + ")", "(None, " + n.features() + ")", count,
                    String.join(", ", n.parents().stream().map(Node::name).toList())));
        }
        sb.append(line);
        sb.append(String.format(Locale.ROOT, "Total params: %,d (%,d bytes)%n", total, 4 * total));
        return sb.toString();
    }

    /**
     * Writes the model, its compile settings and its optimizer state to one file (a zip with the
     * architecture as JSON and the weights in the safetensors layout), atomically: a temporary file
     * beside {@code file} is moved into place.
     */
    public void save(java.nio.file.Path file) {
        ensureBuilt();
        ModelFile.save(this, file);
    }

    /**
     * Reads a model saved with {@link #save} onto {@code backend}, compiled as it was and with its optimizer
     * state, so that training resumes where it stopped.
     *
     * @throws IllegalArgumentException naming the file and the problem if it is missing, truncated,
     *     corrupt, or from a newer format
     */
    public static Model load(java.nio.file.Path file, Backend backend) {
        return ModelFile.load(file, backend);
    }

    /**
     * Writes the model as {@link #save(java.nio.file.Path)} does, to a stream (not closed). Unlike a file save,
     * a stream cannot be replaced atomically: a failure leaves what was written so far.
     */
    public void save(java.io.OutputStream out) {
        ensureBuilt();
        ModelFile.save(this, out);
    }

    /**
     * Reads a model written by {@link #save(java.io.OutputStream)} (or a model file's bytes) from a stream, which
     * is read to its end (through a temporary file: a zip is read from its end) and not closed. Failures are
     * {@link ModelFileException}s naming {@code <stream>}.
     */
    public static Model load(java.io.InputStream in, Backend backend) {
        return ModelFile.load(in, backend);
    }

    @Override
    public void close() {
        if (order == null) {
            return;   // a subclassed model never used: nothing was built
        }
        Set<Layer> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : order) {
            if (closed.add(n.layer())) {
                n.layer().close();
            }
        }
        buffers.close();
        if (losses != null) {
            losses.forEach(Loss::release);
        }
        if (optimizer != null) {
            optimizer.close();
        }
    }
}
