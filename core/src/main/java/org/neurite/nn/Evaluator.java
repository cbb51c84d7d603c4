package org.neurite.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Evaluation and prediction of a {@link Model}, and the metric bookkeeping that training shares: batches
 * gathered on the device in order, the loss summed there, metrics on the device where {@link DeviceMetrics} can,
 * else on the host (built-ins summed, custom ones through their accumulators).
 */
final class Evaluator {
    private final Model m;
    /** Lengths whose identity index tensor has been written (its buffer is kept per length). */
    private final java.util.Set<Integer> identityReady = new java.util.HashSet<>();

    Evaluator(Model model) {
        this.m = model;
    }

    Map<String, Double> evaluateRange(List<Tensor> xs, List<Tensor> ys, List<float[]> yHost, int from, int to,
                                     int batchSize) {
        Tensor identity = identityIndices(xs.get(0).shape().dim(0));
        java.util.Iterator<Trainer.Step> steps = new java.util.Iterator<>() {
            private int start = from;

            @Override
            public boolean hasNext() {
                return start < to;
            }

            @Override
            public Trainer.Step next() {
                int rows = Math.min(batchSize, to - start);
                int first = start;
                start += rows;
                List<Tensor> xb = m.batches("ex", xs, identity, first, rows);
                List<Tensor> yb = m.batches("ey", ys, identity, first, rows);
                return new Trainer.Step(xb, yb, rows, o -> {
                    int per = ys.get(o).size() / ys.get(o).shape().dim(0);
                    return java.util.Arrays.copyOfRange(yHost.get(o), first * per, (first + rows) * per);
                });
            }
        };
        return evaluateSteps(steps);
    }

    /** Loss and metrics over a data set, read through a (prefetching, unshuffled) loader. */
    Map<String, Double> evaluate(org.neurite.data.Dataset data, int batchSize, int prefetch) {
        org.neurite.data.DataLoader loader = new org.neurite.data.DataLoader(data, batchSize).prefetch(prefetch);
        try (org.neurite.data.DataLoader.Epoch epoch = loader.epoch(0)) {
            java.util.Iterator<Trainer.Step> steps = new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return epoch.hasNext();
                }

                @Override
                public Trainer.Step next() {
                    return m.upload(epoch.next(), "e");
                }
            };
            return evaluateSteps(steps);
        }
    }

    /** Every output for a data set's inputs, each row-major {@code [samples, features]}. */
    List<float[]> predict(org.neurite.data.Dataset data, int batchSize, int prefetch) {
        int n = data.size();
        List<float[]> result = new ArrayList<>();
        for (Node o : m.outputs) {
            result.add(new float[(int) Shape.checkedSize(n, o.features())]);
        }
        org.neurite.data.DataLoader loader = new org.neurite.data.DataLoader(data, batchSize).prefetch(prefetch);
        try (org.neurite.data.DataLoader.Epoch epoch = loader.epoch(0)) {
            int start = 0;
            while (epoch.hasNext()) {
                Trainer.Step s = m.upload(epoch.next(), "p");
                List<Tensor> out = m.forward(s.xs(), false);
                for (int i = 0; i < m.outputs.size(); i++) {
                    float[] part = out.get(i).toFloatArray();
                    System.arraycopy(part, 0, result.get(i), start * m.outputs.get(i).features(), part.length);
                }
                start += s.rows();
            }
        }
        return result;
    }

    private Map<String, Double> evaluateSteps(java.util.Iterator<Trainer.Step> steps) {
        Kernels k = m.backend.kernels();
        double[] lossSums = new double[m.outputs.size()];
        double[][] metricSums = new double[m.outputs.size()][m.metrics.size()];
        Metric.Accumulator[][] accumulators = accumulators();
        Tensor lossValue = m.buffers.get(m.backend, "evalLoss", Shape.of(1));
        Tensor[] deviceLossSums = new Tensor[m.outputs.size()];
        for (int i = 0; i < deviceLossSums.length; i++) {
            deviceLossSums[i] = m.buffers.get(m.backend, "evalLossSum/" + i, Shape.of(1));
            k.fill(deviceLossSums[i], 0f);
        }
        m.evalMetrics.reset();
        int seen = 0;
        while (steps.hasNext()) {
            Trainer.Step s = steps.next();
            int rows = s.rows();
            List<Tensor> out = m.forward(s.xs(), false);
            for (int i = 0; i < m.outputs.size(); i++) {
                // summed on the device and read once at the end: no wait per batch
                m.losses.get(i).value(k, out.get(i), s.ys().get(i), lossValue);
                k.axpy(rows, lossValue, deviceLossSums[i]);
                if (!m.metrics.isEmpty()) {
                    int output = i;
                    addMetrics(m.evalMetrics, i, metricSums[i], accumulators[i], out.get(i), s.ys().get(i), rows,
                            () -> s.hostTargets().apply(output));
                }
            }
            seen += rows;
        }
        for (int i = 0; i < lossSums.length; i++) {
            lossSums[i] = deviceLossSums[i].item();
        }
        m.evalMetrics.readInto(metricSums, seen);
        Map<String, Double> result = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < m.outputs.size(); i++) {
            total += m.lossWeights[i] * lossSums[i];
        }
        result.put("loss", total / seen);
        if (m.outputs.size() > 1) {
            for (int i = 0; i < m.outputs.size(); i++) {
                result.put(m.outputs.get(i).name() + "_loss", lossSums[i] / seen);
            }
        }
        putMetrics(result, metricSums, accumulators, seen, "");
        return result;
    }

    List<float[]> predictAll(List<Tensor> xs, int batchSize) {
        m.checkBatchSize("predict", batchSize);
        m.checkInputs("predict", xs);
        int n = xs.get(0).shape().dim(0);
        List<float[]> result = new ArrayList<>();
        for (Node o : m.outputs) {
            result.add(new float[(int) Shape.checkedSize(n, o.features())]);
        }
        if (n == 0) {
            return result;
        }
        Tensor identity = identityIndices(n);
        for (int start = 0; start < n; start += batchSize) {
            int rows = Math.min(batchSize, n - start);
            List<Tensor> out = m.forward(m.batches("px", xs, identity, start, rows), false);
            for (int i = 0; i < m.outputs.size(); i++) {
                float[] part = out.get(i).toFloatArray();
                System.arraycopy(part, 0, result.get(i), start * m.outputs.get(i).features(), part.length);
            }
        }
        return result;
    }

    List<float[][]> predictRows(List<float[][]> xs) {
        if (xs.size() != m.inputs.size()) {
            throw new IllegalArgumentException("predict: the model has " + m.inputs.size() + " inputs " + m.names(m.inputs)
                    + ", got " + xs.size() + " arrays");
        }
        List<Tensor> tensors = new ArrayList<>();
        try {
            for (int i = 0; i < xs.size(); i++) {
                float[][] rows = xs.get(i);
                int f = m.inputs.get(i).features();
                float[] flat = new float[(int) Shape.checkedSize(rows.length, f)];
                for (int r = 0; r < rows.length; r++) {
                    if (rows[r] == null || rows[r].length != f) {
                        throw new IllegalArgumentException("predict: row " + r + " of input " + m.inputs.get(i).name()
                                + " has " + (rows[r] == null ? "no" : rows[r].length) + " values, the input has " + f
                                + " features");
                    }
                    System.arraycopy(rows[r], 0, flat, r * f, f);
                }
                tensors.add(m.backend.tensor(flat, rows.length, f));
            }
            List<float[]> flatOut = predictAll(tensors, 256);
            List<float[][]> out = new ArrayList<>();
            for (int o = 0; o < m.outputs.size(); o++) {
                int f = m.outputs.get(o).features();
                float[][] rows = new float[xs.get(0).length][];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = java.util.Arrays.copyOfRange(flatOut.get(o), r * f, (r + 1) * f);
                }
                out.add(rows);
            }
            return out;
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    private Tensor identityIndices(int n) {
        Tensor t = m.buffers.get(m.backend, "identity", Shape.of(n));
        if (identityReady.add(n)) {
            float[] idx = new float[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            t.copyFrom(idx);
        }
        return t;
    }

    Metric.Accumulator[][] accumulators() {
        Metric.Accumulator[][] a = new Metric.Accumulator[m.outputs.size()][m.metrics.size()];
        for (int o = 0; o < a.length; o++) {
            for (int i = 0; i < m.metrics.size(); i++) {
                if (!(m.metrics.get(i) instanceof Metric.Builtin)) {
                    a[o][i] = m.metrics.get(i).accumulator();
                }
            }
        }
        return a;
    }

    /**
     * Adds a batch's metric sums of output {@code o}: on the device where {@link DeviceMetrics} can (read back only
     * when shown), else on the host from the outputs read back and the batch's host targets ({@code target}, asked
     * for only then).
     */
    void addMetrics(DeviceMetrics device, int o, double[] sums, Metric.Accumulator[] accumulators, Tensor out,
            Tensor yBatch, int rows, java.util.function.Supplier<float[]> target) {
        float[] predicted = null;
        float[] targets = null;
        for (int i = 0; i < m.metrics.size(); i++) {
            Metric metric = m.metrics.get(i);
            boolean binary = metric == Metric.ACCURACY && m.binaryAccuracy[o];
            boolean builtin = metric instanceof Metric.Builtin;
            if (builtin && !binary && DeviceMetrics.supports(metric, out, yBatch)) {
                device.add(o, i, out, yBatch);
                continue;
            }
            if (predicted == null) {
                predicted = out.toFloatArray();
                targets = target.get();
            }
            if (builtin) {
                sums[i] += ((Metric.Builtin) metric).batchSum(predicted, targets, rows, out.cols(), binary);
            } else {
                accumulators[i].update(predicted, targets, rows, out.cols());
            }
        }
    }

    private String metricKey(int output, Metric metric) {
        return m.outputs.size() == 1 ? metric.key() : m.outputs.get(output).name() + "_" + metric.key();
    }

    void putMetrics(Map<String, Double> logs, double[][] sums, Metric.Accumulator[][] accumulators, int seen,
                            String prefix) {
        for (int o = 0; o < m.outputs.size(); o++) {
            for (int i = 0; i < m.metrics.size(); i++) {
                Metric metric = m.metrics.get(i);
                logs.put(prefix + metricKey(o, metric), metric instanceof Metric.Builtin
                        ? ((Metric.Builtin) metric).finish(sums[o][i] / seen) : accumulators[o][i].result());
            }
        }
    }

    String metricsLine(double[][] sums, Metric.Accumulator[][] accumulators, int seen) {
        Map<String, Double> line = new LinkedHashMap<>();
        putMetrics(line, sums, accumulators, seen, "");
        StringBuilder sb = new StringBuilder();
        line.forEach((key, v) -> sb.append(String.format(Locale.ROOT, " - %s: %.4f", key, v)));
        return sb.toString();
    }
}
