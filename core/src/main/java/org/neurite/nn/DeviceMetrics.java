package org.neurite.nn;

import java.util.Arrays;
import java.util.List;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Metric sums kept on the backend: each batch adds its sums with a few kernels, and the host reads them only
 * when it shows or logs them, as it does the loss. Computing a metric on the host means reading the batch's
 * outputs back every step, a device-to-host copy and a wait per step: on PoCL that made an MLP training step
 * 42% slower (1,834 to 2,600 us, batch 32), and on a GPU it would stall the stream every step.
 *
 * <p>Accuracy with several classes counts mismatches: {@code sign((argmax(predicted) - truth)^2)}, summed,
 * where the truth is the label or the target's argmax (first maximum wins, as on the host). The errors are
 * {@code sum(|d|)} or {@code sum(d^2)} over a row, divided by the columns, with {@code d = predicted - target}.
 * Binary accuracy (one output column) stays on the host: its strict 0.5 threshold has no kernel.
 */
final class DeviceMetrics {
    private final Backend backend;
    private final Buffers buffers;
    private final List<Metric> metrics;
    private final Tensor[][] sums;
    private final boolean[][] active;
    // buffer roles, built once: no string building per step
    private final String batchRole;
    private final String guessRole;
    private final String truthRole;
    private final String missRole;
    private final String targetRole;
    private final String diffRole;
    private final String errRole;
    private final String signRole;

    DeviceMetrics(Backend backend, Buffers buffers, String prefix, int outputs, List<Metric> metrics) {
        this.backend = backend;
        this.buffers = buffers;
        this.metrics = metrics;
        this.sums = new Tensor[outputs][metrics.size()];
        this.active = new boolean[outputs][metrics.size()];
        for (int o = 0; o < outputs; o++) {
            for (int mi = 0; mi < metrics.size(); mi++) {
                sums[o][mi] = buffers.get(backend, prefix + "/sum/" + o + "/" + mi, Shape.of(1));
            }
        }
        this.batchRole = prefix + "/batch";
        this.guessRole = prefix + "/guess";
        this.truthRole = prefix + "/truth";
        this.missRole = prefix + "/miss";
        this.targetRole = prefix + "/target";
        this.diffRole = prefix + "/diff";
        this.errRole = prefix + "/err";
        this.signRole = prefix + "/sign";
    }

    /** Whether {@code m} for these predictions and targets is computed here (otherwise on the host). */
    static boolean supports(Metric m, Tensor predicted, Tensor target) {
        if (predicted.shape().rank() != 2) {
            return false;
        }
        int rows = predicted.rows();
        int cols = predicted.cols();
        if (m == Metric.ACCURACY) {
            return cols > 1 && (target.size() == rows || target.shape().equals(predicted.shape()));
        }
        return target.size() == predicted.size();
    }

    /** Starts new sums (an epoch, an evaluation). */
    void reset() {
        for (boolean[] a : active) {
            Arrays.fill(a, false);
        }
    }

    /** Adds one batch's sum of metric {@code mi} of output {@code o}. */
    void add(int o, int mi, Tensor predicted, Tensor target) {
        Kernels k = backend.kernels();
        if (!active[o][mi]) {
            k.fill(sums[o][mi], 0f);
            active[o][mi] = true;
        }
        int rows = predicted.rows();
        int cols = predicted.cols();
        Tensor scalar = buffers.get(backend, batchRole, Shape.of(1));
        if (metrics.get(mi) == Metric.ACCURACY) {
            Tensor guess = buffers.get(backend, guessRole, Shape.of(rows));
            Tensor miss = buffers.get(backend, missRole, Shape.of(rows));
            k.argmaxRows(predicted, guess);
            Tensor truth = target;   // labels shaped [rows] are used as they are (one launch fewer)
            if (target.size() != rows) {
                truth = buffers.get(backend, truthRole, Shape.of(rows));
                k.argmaxRows(target, truth);
            } else if (!target.shape().equals(guess.shape())) {
                truth = buffers.get(backend, truthRole, Shape.of(rows));
                k.copy(target, truth);
            }
            k.axpy(-1f, truth, guess);
            k.multiply(guess, guess, miss);
            k.activate(Activation.sign(), miss, guess);
            k.sumAll(guess, scalar);
            k.axpy(1f, scalar, sums[o][mi]);   // mismatches
            return;
        }
        Shape shape = predicted.shape();
        Tensor t = target;
        if (!target.shape().equals(shape)) {
            t = buffers.get(backend, targetRole, shape);
            k.copy(target, t);
        }
        Tensor d = buffers.get(backend, diffRole, shape);
        Tensor e = buffers.get(backend, errRole, shape);
        k.copy(predicted, d);
        k.axpy(-1f, t, d);
        if (metrics.get(mi) == Metric.MEAN_ABSOLUTE_ERROR) {
            Tensor sign = buffers.get(backend, signRole, shape);
            k.activate(Activation.sign(), d, sign);
            k.multiply(d, sign, e);
        } else {
            k.multiply(d, d, e);
        }
        k.sumAll(e, scalar);
        k.axpy(1f / cols, scalar, sums[o][mi]);
    }

    /** Writes the sums kept here into {@code hostSums} ({@code [output][metric]}), {@code seen} samples so far. */
    void readInto(double[][] hostSums, int seen) {
        for (int o = 0; o < sums.length; o++) {
            for (int mi = 0; mi < metrics.size(); mi++) {
                if (active[o][mi]) {
                    double v = sums[o][mi].item();
                    hostSums[o][mi] = metrics.get(mi) == Metric.ACCURACY ? seen - v : v;
                }
            }
        }
    }
}
