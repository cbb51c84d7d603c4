package org.neurite.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.neurite.data.Batch;
import org.neurite.data.DataLoader;
import org.neurite.data.Dataset;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * The training loop of {@link Model#fit}: epochs of batches from a {@link Source} (tensors gathered on the device by a
 * shuffled index, or a {@link Dataset} through a prefetching {@link DataLoader}), the model's {@code trainStep} for
 * each, the loss and metrics summed on the device and read when shown, callbacks, the progress bar, validation, and
 * stopping (a callback, an interrupt). The model holds the graph, the compile settings and the step; this class only
 * drives them, as DJL's {@code EasyTrain.fit} drives a {@code Trainer}.
 */
final class Trainer {
    private final Model m;

    Trainer(Model model) {
        this.m = model;
    }

    /** One batch on the device, and its targets on the host when a host-side metric asks for them. */
    record Step(List<Tensor> xs, List<Tensor> ys, int rows, IntFunction<float[]> hostTargets) {
    }

    /** Where an epoch's batches come from. */
    interface Source extends AutoCloseable {
        /** Samples per epoch. */
        int size();

        /** Starts epoch {@code epoch} (from 0): shuffles. */
        void beginEpoch(int epoch);

        /** The next batch of the epoch. */
        Step next();

        @Override
        void close();
    }

    History fit(List<Tensor> xs, List<Tensor> ys, FitOptions o) {
        m.ensureBuilt();
        m.requireCompiled();
        m.checkData("fit", xs, ys);
        int n = xs.get(0).shape().dim(0);
        if (o.validationX != null && o.validationSplit > 0 || o.validationDataset != null && o.validationSplit > 0) {
            throw new IllegalArgumentException("fit: give validationSplit or validationData, not both");
        }
        int validation = (int) Math.floor(n * o.validationSplit);
        int train = n - validation;
        if (train < 1) {
            throw new IllegalArgumentException("fit: no training samples left after validationSplit " + o.validationSplit);
        }
        List<float[]> yHost = ys.stream().map(Tensor::toFloatArray).toList();
        Supplier<Map<String, Double>> validate = validator(o);
        if (validate == null && validation > 0) {
            validate = () -> m.evaluator.evaluateRange(xs, ys, yHost, train, n, o.batchSize);
        }
        try (Source source = new DeviceSource(xs, ys, yHost, train, o)) {
            return loop(source, validate, o);
        }
    }

    History fit(Dataset data, FitOptions o) {
        m.ensureBuilt();
        m.requireCompiled();
        m.checkDataset("fit", data, true);
        if (o.validationSplit > 0) {
            throw new IllegalArgumentException("fit: validationSplit needs tensors or arrays; with a Dataset, give"
                    + " validationData(dataset.slice(...)) as Keras asks for validation_data with a tf.data dataset");
        }
        try (Source source = new DatasetSource(data, o)) {
            return loop(source, validator(o), o);
        }
    }

    private Supplier<Map<String, Double>> validator(FitOptions o) {
        if (o.validationX != null) {
            m.checkData("fit: validationData", o.validationX, o.validationY);
            List<float[]> validationYHost = o.validationY.stream().map(Tensor::toFloatArray).toList();
            return () -> m.evaluator.evaluateRange(o.validationX, o.validationY, validationYHost, 0,
                    o.validationX.get(0).shape().dim(0), o.batchSize);
        }
        if (o.validationDataset != null) {
            m.checkDataset("fit: validationData", o.validationDataset, true);
            return () -> m.evaluator.evaluate(o.validationDataset, o.batchSize, o.prefetch);
        }
        return null;
    }

    private History loop(Source source, Supplier<Map<String, Double>> validate, FitOptions o) {
        History history = new History();
        Tensor[] lossSums = new Tensor[m.outputs.size()];
        for (int i = 0; i < lossSums.length; i++) {
            lossSums[i] = m.buffers.get(m.backend, "lossSum/" + i, Shape.of(1));
        }
        int train = source.size();
        int steps = (train + o.batchSize - 1) / o.batchSize;
        boolean batchLoss = o.callbacks.stream().anyMatch(Callback::needsBatchLoss);
        m.stopRequested = false;
        boolean interrupted = false;
        o.callbacks.forEach(c -> c.onTrainBegin(m));
        for (int epoch = 1; epoch <= o.epochs && !m.stopRequested && !interrupted; epoch++) {
            for (Callback c : o.callbacks) {
                c.onEpochBegin(epoch - 1, m);
            }
            source.beginEpoch(epoch - 1);
            for (Tensor t : lossSums) {
                m.backend.kernels().fill(t, 0f);
            }
            ProgressBar bar = o.out == null ? null : new ProgressBar(o.out, o.progressBar, epoch, o.epochs, steps);
            double[][] metricSums = new double[m.outputs.size()][m.metrics.size()];
            Metric.Accumulator[][] accumulators = m.evaluator.accumulators();
            m.trainMetrics.reset();
            int seen = 0;
            for (int step = 0; step < steps && !m.stopRequested; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    if (o.out != null) {
                        o.out.println();
                        o.out.println("fit: interrupted in epoch " + epoch + " after " + step + " of " + steps
                                + " steps; the model keeps every step taken");
                    }
                    break;
                }
                Step batch = source.next();
                List<Tensor> out = m.trainStep(batch.xs(), batch.ys(), lossSums);
                seen += batch.rows();
                if (!m.metrics.isEmpty()) {
                    for (int i = 0; i < m.outputs.size(); i++) {
                        int output = i;
                        m.evaluator.addMetrics(m.trainMetrics, i, metricSums[i], accumulators[i], out.get(i),
                                batch.ys().get(i), batch.rows(), () -> batch.hostTargets().apply(output));
                    }
                }
                // Ask the bar once: asking twice let the clock pass between the two and draw a NaN loss.
                boolean redraw = bar != null && bar.due(step + 1);
                double running = batchLoss || redraw ? m.totalLoss(lossSums, seen) : Double.NaN;
                for (Callback c : o.callbacks) {
                    c.onBatchEnd(step, running, m);
                }
                if (redraw) {
                    m.trainMetrics.readInto(metricSums, seen);
                    bar.show(step + 1, running, m.evaluator.metricsLine(metricSums, accumulators, seen));
                }
            }
            if (interrupted) {
                break;   // a partial epoch is not recorded
            }
            m.trainMetrics.readInto(metricSums, seen);
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", m.totalLoss(lossSums, seen));
            if (!Double.isFinite(logs.get("loss")) && history.nonFiniteLossEpoch() < 0) {
                history.nonFiniteLoss(epoch - 1);
                String warning = "fit: the loss became " + logs.get("loss") + " in epoch " + epoch
                        + " (a NaN or infinite input, weight or learning rate); add TerminateOnNaN to stop there";
                Model.LOG.log(System.Logger.Level.WARNING, warning);
                if (o.out != null) {
                    o.out.println();
                    o.out.println(warning);
                }
            }
            if (m.outputs.size() > 1) {
                for (int i = 0; i < m.outputs.size(); i++) {
                    logs.put(m.outputs.get(i).name() + "_loss", (double) lossSums[i].item() / seen);
                }
            }
            m.evaluator.putMetrics(logs, metricSums, accumulators, seen, "");
            String val = "";
            if (validate != null) {
                for (Map.Entry<String, Double> e : validate.get().entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                    val += String.format(Locale.ROOT, " - val_%s: %.4f", e.getKey(), e.getValue());
                }
            }
            logs.forEach(history::add);
            if (bar != null) {
                bar.finish(logs.get("loss"), m.evaluator.metricsLine(metricSums, accumulators, seen) + val);
            }
            for (Callback c : o.callbacks) {
                c.onEpochEnd(epoch - 1, Collections.unmodifiableMap(logs), m);
            }
        }
        history.interrupted(interrupted);
        o.callbacks.forEach(c -> c.onTrainEnd(m));
        return history;
    }

    /** Tensors on the device, batches gathered there by a shuffled index (the first {@code train} samples). */
    private final class DeviceSource implements Source {
        private final List<Tensor> xs;
        private final List<Tensor> ys;
        private final List<float[]> yHost;
        private final int train;
        private final FitOptions o;
        private final float[] order;
        private final Tensor orderTensor;
        private final SplittableRandom random;
        private int start;

        DeviceSource(List<Tensor> xs, List<Tensor> ys, List<float[]> yHost, int train, FitOptions o) {
            this.xs = xs;
            this.ys = ys;
            this.yHost = yHost;
            this.train = train;
            this.o = o;
            this.order = new float[train];
            for (int i = 0; i < train; i++) {
                order[i] = i;
            }
            this.orderTensor = m.buffers.get(m.backend, "order", Shape.of(train));
            this.random = new SplittableRandom(o.seed);
        }

        @Override
        public int size() {
            return train;
        }

        @Override
        public void beginEpoch(int epoch) {
            if (o.shuffle) {
                Model.shuffle(order, random);
            }
            orderTensor.copyFrom(order);
            start = 0;
        }

        @Override
        public Step next() {
            int rows = Math.min(o.batchSize, train - start);
            int from = start;
            List<Tensor> yb = m.batches("y", ys, orderTensor, from, rows);
            List<Tensor> xb = m.batches("x", xs, orderTensor, from, rows);
            start += rows;
            return new Step(xb, yb, rows, output -> gatherHost(yHost.get(output), ys.get(output), from, rows));
        }

        private float[] gatherHost(float[] host, Tensor y, int from, int rows) {
            int per = y.size() / y.shape().dim(0);
            float[] target = new float[rows * per];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(host, (int) order[from + r] * per, target, r * per, per);
            }
            return target;
        }

        @Override
        public void close() {
        }
    }

    /** A data set through a prefetching loader; each host batch copied into device buffers kept per shape. */
    private final class DatasetSource implements Source {
        private final DataLoader loader;
        private DataLoader.Epoch epoch;

        DatasetSource(Dataset data, FitOptions o) {
            this.loader = new DataLoader(data, o.batchSize).prefetch(o.prefetch);
            if (o.shuffle) {
                loader.shuffle(o.seed);
            }
        }

        @Override
        public int size() {
            return loader.dataset().size();
        }

        @Override
        public void beginEpoch(int e) {
            if (epoch != null) {
                epoch.close();
            }
            epoch = loader.epoch(e);
        }

        @Override
        public Step next() {
            Batch b = epoch.next();
            return m.upload(b, "d");
        }

        @Override
        public void close() {
            if (epoch != null) {
                epoch.close();
            }
        }
    }
}
