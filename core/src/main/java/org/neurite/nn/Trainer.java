package org.neurite.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * The training loop of {@link Model#fit}: epochs of shuffled batches gathered on the device, the model's
 * {@code trainStep} for each, the loss and metrics summed on the device and read when shown, callbacks, the
 * progress bar, validation, and stopping (a callback, an interrupt). The model holds the graph, the compile
 * settings and the step; this class only drives them, as DJL's {@code EasyTrain.fit} drives a {@code Trainer}.
 */
final class Trainer {
    private final Model m;

    Trainer(Model model) {
        this.m = model;
    }

    History fit(List<Tensor> xs, List<Tensor> ys, FitOptions o) {
        m.ensureBuilt();
        m.requireCompiled();
        m.checkData("fit", xs, ys);
        int n = xs.get(0).shape().dim(0);
        if (o.validationX != null && o.validationSplit > 0) {
            throw new IllegalArgumentException("fit: give validationSplit or validationData, not both");
        }
        List<float[]> validationYHost = null;
        if (o.validationX != null) {
            m.checkData("fit: validationData", o.validationX, o.validationY);
            validationYHost = o.validationY.stream().map(Tensor::toFloatArray).toList();
        }
        int validation = (int) Math.floor(n * o.validationSplit);
        int train = n - validation;
        if (train < 1) {
            throw new IllegalArgumentException("fit: no training samples left after validationSplit " + o.validationSplit);
        }
        List<float[]> yHost = ys.stream().map(Tensor::toFloatArray).toList();
        History history = new History();
        SplittableRandom random = new SplittableRandom(o.seed);
        float[] order = new float[train];
        for (int i = 0; i < train; i++) {
            order[i] = i;
        }
        Tensor orderTensor = m.buffers.get(m.backend, "order", Shape.of(train));
        Tensor[] lossSums = new Tensor[m.outputs.size()];
        for (int i = 0; i < lossSums.length; i++) {
            lossSums[i] = m.buffers.get(m.backend, "lossSum/" + i, Shape.of(1));
        }
        int steps = (train + o.batchSize - 1) / o.batchSize;
        boolean batchLoss = o.callbacks.stream().anyMatch(Callback::needsBatchLoss);
        m.stopRequested = false;
        boolean interrupted = false;
        o.callbacks.forEach(c -> c.onTrainBegin(m));
        for (int epoch = 1; epoch <= o.epochs && !m.stopRequested && !interrupted; epoch++) {
            for (Callback c : o.callbacks) {
                c.onEpochBegin(epoch - 1, m);
            }
            if (o.shuffle) {
                Model.shuffle(order, random);
            }
            orderTensor.copyFrom(order);
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
                int start = step * o.batchSize;
                int rows = Math.min(o.batchSize, train - start);
                List<Tensor> yb = m.batches("y", ys, orderTensor, start, rows);
                List<Tensor> out = m.trainStep(m.batches("x", xs, orderTensor, start, rows), yb, lossSums);
                seen = start + rows;
                if (!m.metrics.isEmpty()) {
                    for (int i = 0; i < m.outputs.size(); i++) {
                        m.evaluator.addMetrics(m.trainMetrics, i, metricSums[i], accumulators[i], out.get(i), yb.get(i),
                                yHost.get(i), ys.get(i),
                                order, start, rows);
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
            if (validation > 0 || o.validationX != null) {
                Map<String, Double> v = o.validationX != null
                        ? m.evaluator.evaluateRange(o.validationX, o.validationY, validationYHost, 0,
                                o.validationX.get(0).shape().dim(0), o.batchSize)
                        : m.evaluator.evaluateRange(xs, ys, yHost, train, n, o.batchSize);
                for (Map.Entry<String, Double> e : v.entrySet()) {
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
}
