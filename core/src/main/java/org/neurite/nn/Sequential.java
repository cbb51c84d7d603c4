package org.neurite.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A chain of layers, trained as Keras trains one.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(backend, 784, 42,
 *         new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10, "softmax"))) {
 *     model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
 *     History h = model.fit(x, y, FitOptions.epochs(30).validationSplit(0.1).verbose(System.out));
 *     Map<String, Double> test = model.evaluate(xTest, yTest, 256);
 * }
 * }</pre>
 * Training data live on the model's backend as tensors ({@code x [samples, features]}; {@code y} as
 * {@code [samples]} class indices for sparse losses, else {@code [samples, outputs]}). Each step gathers a
 * shuffled batch on the device; activation and gradient buffers are allocated once per batch size; the
 * loss is summed on the device and read back only when the progress bar or the epoch's end needs it.
 */
public final class Sequential implements AutoCloseable {
    private final Backend backend;
    private final int inputFeatures;
    private final List<Layer> layers;
    private final Buffers buffers = new Buffers();
    private final long seed;
    private Loss loss;
    private Loss trainingLoss;
    private Optimizer optimizer;
    private List<Metric> metrics = List.of();
    private boolean stopRequested;

    /** Builds every layer on {@code backend} for inputs of {@code inputFeatures}, with weights drawn from {@code seed}. */
    public Sequential(Backend backend, int inputFeatures, long seed, Layer... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential: no layers");
        }
        this.backend = backend;
        this.inputFeatures = inputFeatures;
        this.layers = List.of(layers);
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        int width = inputFeatures;
        for (Layer layer : layers) {
            if (layer.built()) {
                throw new IllegalArgumentException("Sequential: layer " + layer.name() + " already belongs to a model");
            }
            layer.build(backend, width, random);
            width = layer.outputFeatures(width);
        }
        layers[0].inputGradientNeeded = false;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Backend backend() {
        return backend;
    }

    public int inputFeatures() {
        return inputFeatures;
    }

    long seed() {
        return seed;
    }

    /** The compiled loss, or null before {@link #compile}. */
    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * Writes the model, its compile settings and its optimizer state to one file (a zip with the
     * architecture as JSON and the weights in the safetensors layout), atomically: a temporary file
     * beside {@code file} is moved into place.
     */
    public void save(java.nio.file.Path file) {
        ModelFile.save(this, file);
    }

    /**
     * Reads a model saved with {@link #save} onto {@code backend}, compiled as it was and with its optimizer
     * state, so that training resumes where it stopped.
     *
     * @throws IllegalArgumentException naming the file and the problem if it is missing, truncated,
     *     corrupt, or from a newer format
     */
    public static Sequential load(java.nio.file.Path file, Backend backend) {
        return ModelFile.load(file, backend);
    }

    /** Every trainable parameter, layer by layer. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(l.parameters()));
        return all;
    }

    public int outputFeatures() {
        int w = inputFeatures;
        for (Layer l : layers) {
            w = l.outputFeatures(w);
        }
        return w;
    }

    /** Sets the loss, the optimizer (which the model then owns and closes) and the metrics to report. */
    public void compile(Loss loss, Optimizer optimizer, Metric... metrics) {
        this.loss = loss;
        this.optimizer = optimizer;
        this.metrics = List.of(metrics);
        Layer last = layers.get(layers.size() - 1);
        Loss fused = loss.fusedWithSoftmax();
        this.trainingLoss = last instanceof Dense && ((Dense) last).softmax() && fused != null ? fused : null;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** A device buffer of the model's, kept for its lifetime (allocated once per role and shape). */
    Tensor buffer(String role, Shape shape) {
        return buffers.get(backend, role, shape);
    }

    /** Asks {@link #fit} to stop after the current step (callbacks use it: early stopping, NaN). */
    public void stopTraining() {
        stopRequested = true;
    }

    /** The forward pass of a batch; the result belongs to the last layer. */
    Tensor forward(Tensor x, boolean training) {
        Tensor h = x;
        for (Layer layer : layers) {
            h = layer.forward(h, training);
        }
        return h;
    }

    /**
     * One training step on a batch already on the device: forward, loss (added, times the batch's rows, to
     * {@code lossSum}), backward, optimizer update. Returns the model's output for the batch.
     */
    Tensor trainStep(Tensor xb, Tensor yb, Tensor lossSum) {
        requireCompiled();
        Kernels k = backend.kernels();
        Tensor out = forward(xb, true);
        Tensor lossValue = buffers.get(backend, "loss", Shape.of(1));
        Tensor grad;
        Layer last = layers.get(layers.size() - 1);
        int rows = xb.rows();
        Tensor dOut = buffers.get(backend, "dOut", rows, out.cols());
        int first;
        if (trainingLoss != null) {
            // Softmax + cross-entropy: the exact, fused gradient with respect to the logits.
            Tensor logits = ((Dense) last).logits();
            k.loss(trainingLoss.function(), logits, yb, lossValue);
            k.lossGradient(trainingLoss.function(), logits, yb, dOut);
            grad = ((Dense) last).backwardFromPreActivation(dOut);
            first = layers.size() - 2;
        } else {
            k.loss(loss.function(), out, yb, lossValue);
            k.lossGradient(loss.function(), out, yb, dOut);
            grad = dOut;
            first = layers.size() - 1;
        }
        k.axpy(rows, lossValue, lossSum);
        for (int i = first; i >= 0; i--) {
            grad = layers.get(i).backward(grad);
        }
        optimizer.apply(parameters());
        return out;
    }

    /** Trains; returns the per-epoch loss and metrics (and their {@code val_} forms with a validation split). */
    public History fit(Tensor x, Tensor y, FitOptions o) {
        requireCompiled();
        checkData("fit", x, y);
        int n = x.rows();
        int validation = (int) Math.floor(n * o.validationSplit);
        int train = n - validation;
        if (train < 1) {
            throw new IllegalArgumentException("fit: no training samples left after validationSplit " + o.validationSplit);
        }
        float[] yHost = y.toFloatArray();
        History history = new History();
        SplittableRandom random = new SplittableRandom(o.seed);
        float[] order = new float[train];
        for (int i = 0; i < train; i++) {
            order[i] = i;
        }
        Tensor orderTensor = buffers.get(backend, "order", Shape.of(train));
        Tensor lossSum = buffers.get(backend, "lossSum", Shape.of(1));
        int steps = (train + o.batchSize - 1) / o.batchSize;
        boolean batchLoss = o.callbacks.stream().anyMatch(Callback::needsBatchLoss);
        stopRequested = false;
        o.callbacks.forEach(c -> c.onTrainBegin(this));
        for (int epoch = 1; epoch <= o.epochs && !stopRequested; epoch++) {
            for (Callback c : o.callbacks) {
                c.onEpochBegin(epoch - 1, this);
            }
            if (o.shuffle) {
                shuffle(order, random);
            }
            orderTensor.copyFrom(order);
            backend.kernels().fill(lossSum, 0f);
            ProgressBar bar = o.out == null ? null : new ProgressBar(o.out, epoch, o.epochs, steps);
            double[] metricSums = new double[metrics.size()];
            int seen = 0;
            for (int step = 0; step < steps && !stopRequested; step++) {
                int start = step * o.batchSize;
                int rows = Math.min(o.batchSize, train - start);
                Tensor xb = batch("x", x, orderTensor, start, rows);
                Tensor yb = batch("y", y, orderTensor, start, rows);
                Tensor out = trainStep(xb, yb, lossSum);
                seen = start + rows;
                if (!metrics.isEmpty()) {
                    accumulate(metricSums, out, yHost, y, order, start, rows);
                }
                double running = batchLoss ? lossSum.item() / seen : Double.NaN;
                for (Callback c : o.callbacks) {
                    c.onBatchEnd(step, running, this);
                }
                if (bar != null && bar.due(step + 1)) {
                    bar.show(step + 1, lossSum.item() / seen, metricsLine(metricSums, seen, ""));
                }
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", (double) lossSum.item() / seen);
            for (int i = 0; i < metrics.size(); i++) {
                logs.put(metrics.get(i).key(), metrics.get(i).finish(metricSums[i] / seen));
            }
            String val = "";
            if (validation > 0) {
                Map<String, Double> v = evaluateRange(x, y, yHost, train, n, o.batchSize);
                for (Map.Entry<String, Double> e : v.entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                    val += String.format(Locale.ROOT, " - val_%s: %.4f", e.getKey(), e.getValue());
                }
            }
            logs.forEach(history::add);
            if (bar != null) {
                bar.finish(logs.get("loss"), metricsLine(metricSums, seen, "") + val);
            }
            for (Callback c : o.callbacks) {
                c.onEpochEnd(epoch - 1, Collections.unmodifiableMap(logs), this);
            }
        }
        o.callbacks.forEach(c -> c.onTrainEnd(this));
        return history;
    }

    /** Mean loss and metrics over {@code x, y}, in batches of {@code batchSize}, without training. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        requireCompiled();
        checkData("evaluate", x, y);
        return evaluateRange(x, y, y.toFloatArray(), 0, x.rows(), batchSize);
    }

    private Map<String, Double> evaluateRange(Tensor x, Tensor y, float[] yHost, int from, int to, int batchSize) {
        Tensor identity = identityIndices(x.rows());
        Tensor lossValue = buffers.get(backend, "evalLoss", Shape.of(1));
        double lossSum = 0;
        double[] metricSums = new double[metrics.size()];
        Kernels k = backend.kernels();
        for (int start = from; start < to; start += batchSize) {
            int rows = Math.min(batchSize, to - start);
            Tensor xb = batch("ex", x, identity, start, rows);
            Tensor yb = batch("ey", y, identity, start, rows);
            Tensor out = forward(xb, false);
            k.loss(loss.function(), out, yb, lossValue);
            lossSum += (double) lossValue.item() * rows;
            if (!metrics.isEmpty()) {
                accumulate(metricSums, out, yHost, y, null, start, rows);
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("loss", lossSum / (to - from));
        for (int i = 0; i < metrics.size(); i++) {
            result.put(metrics.get(i).key(), metrics.get(i).finish(metricSums[i] / (to - from)));
        }
        return result;
    }

    /** The model's outputs for {@code x}, row-major {@code [samples, outputFeatures()]}, on the host. */
    public float[] predict(Tensor x, int batchSize) {
        if (x.cols() != inputFeatures || x.shape().rank() != 2) {
            throw new IllegalArgumentException("predict: expected [samples, " + inputFeatures + "], got " + x.shape());
        }
        int n = x.rows();
        int outputs = outputFeatures();
        float[] result = new float[n * outputs];
        Tensor identity = identityIndices(n);
        for (int start = 0; start < n; start += batchSize) {
            int rows = Math.min(batchSize, n - start);
            float[] part = forward(batch("px", x, identity, start, rows), false).toFloatArray();
            System.arraycopy(part, 0, result, start * outputs, part.length);
        }
        return result;
    }

    private Tensor identityIndices(int n) {
        Tensor t = buffers.get(backend, "identity", Shape.of(n));
        if (n > 0 && t.toFloatArray()[n - 1] != n - 1) {
            float[] idx = new float[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            t.copyFrom(idx);
        }
        return t;
    }

    Tensor batch(String role, Tensor data, Tensor indices, int start, int rows) {
        int[] dims = data.shape().dims();
        dims[0] = rows;
        Tensor b = buffers.get(backend, role, Shape.of(dims));
        backend.kernels().gatherRows(data, indices, start, b);
        return b;
    }

    /** Adds the batch's metric sums; reads the predictions back (small: batch x outputs). */
    private void accumulate(double[] sums, Tensor out, float[] yHost, Tensor y, float[] order, int start, int rows) {
        float[] predicted = out.toFloatArray();
        int cols = out.cols();
        int per = y.size() / y.shape().dim(0);
        float[] target = new float[rows * per];
        for (int r = 0; r < rows; r++) {
            int row = order == null ? start + r : (int) order[start + r];
            System.arraycopy(yHost, row * per, target, r * per, per);
        }
        for (int i = 0; i < metrics.size(); i++) {
            sums[i] += metrics.get(i).batchSum(predicted, target, rows, cols);
        }
    }

    private String metricsLine(double[] sums, int seen, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            sb.append(String.format(Locale.ROOT, " - %s%s: %.4f", prefix, metrics.get(i).key(),
                    metrics.get(i).finish(sums[i] / seen)));
        }
        return sb.toString();
    }

    void checkData(String op, Tensor x, Tensor y) {
        if (x.shape().rank() != 2 || x.cols() != inputFeatures) {
            throw new IllegalArgumentException(op + ": x must be [samples, " + inputFeatures + "], got " + x.shape());
        }
        if (y.shape().rank() == 0 || y.shape().dim(0) != x.rows()) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " and y " + y.shape()
                    + " differ in their number of samples");
        }
        int outputs = outputFeatures();
        boolean sparse = loss.function().sparse();
        int per = y.size() / x.rows();
        if (sparse ? per != 1 : per != outputs) {
            throw new IllegalArgumentException(op + ": y " + y.shape() + " does not fit " + outputs + " outputs and loss "
                    + loss + (sparse ? " (one class index per sample)" : ""));
        }
    }

    void requireCompiled() {
        if (loss == null) {
            throw new IllegalStateException("Sequential: call compile(loss, optimizer, metrics...) first");
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

    /** Layers, output shapes and parameter counts, as Keras prints them. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "─".repeat(64) + "\n";
        sb.append(String.format(Locale.ROOT, "%-28s %-20s %14s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(rule.replace('─', '═'));
        long total = 0;
        int width = inputFeatures;
        for (Layer l : layers) {
            width = l.outputFeatures(width);
            long count = l.parameterCount();
            total += count;
            sb.append(String.format(Locale.ROOT, "%-28s %-20s %,14d%n",
                    l.name() + " (" + l.getClass().getSimpleName() + ")", "(None, " + width + ")", count));
        }
        sb.append(rule.replace('─', '═'));
        sb.append(String.format(Locale.ROOT, "Total params: %,d (%,d bytes)%n", total, 4 * total));
        return sb.toString();
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
        buffers.close();
        if (optimizer != null) {
            optimizer.close();
        }
    }
}
