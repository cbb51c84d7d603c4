package org.neurite.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * The learning-rate range test (Smith 2015; Géron's "train for a few hundred iterations while growing the
 * rate exponentially"): train on batches while the learning rate grows exponentially from {@code minRate}
 * to {@code maxRate}, record the loss, then put the model and optimizer back as they were.
 *
 * <pre>{@code
 * LearningRateFinder.Result r = LearningRateFinder.run(model, x, y, 1e-5, 10, 300, 32, 42);
 * double rate = r.suggestion();   // a tenth of the rate where the smoothed loss was lowest
 * }</pre>
 */
public final class LearningRateFinder {
    private LearningRateFinder() {
    }

    /** The curve, and the suggested rate: a tenth of the rate at the minimum of the smoothed loss. */
    public record Result(double[] rates, double[] losses, double[] smoothed, double suggestion) {
    }

    public static Result run(Model model, Tensor x, Tensor y, double minRate, double maxRate, int steps,
                             int batchSize, long seed) {
        if (!(minRate > 0 && maxRate > minRate) || steps < 2) {
            throw new IllegalArgumentException("LearningRateFinder: need 0 < minRate < maxRate and steps >= 2, got "
                    + minRate + ", " + maxRate + ", " + steps);
        }
        model.requireCompiled();
        model.checkData("LearningRateFinder", List.of(x), List.of(y));
        if (model.outputs().size() != 1) {
            throw new IllegalArgumentException("LearningRateFinder: the model must have one input and one output");
        }
        Optimizer optimizer = model.optimizer();
        float savedRate = optimizer.learningRate();
        List<Parameter> params = model.parameters();
        float[][] saved = EarlyStopping.snapshot(params);
        optimizer.reset();
        int n = x.rows();
        int batch = Math.min(batchSize, n);
        SplittableRandom random = new SplittableRandom(seed);
        float[] order = new float[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Tensor orderTensor = model.buffer("lrfinder/order", Shape.of(n));
        Tensor lossSum = model.buffer("lrfinder/loss", Shape.of(1));
        double[] rates = new double[steps];
        double[] losses = new double[steps];
        double[] smoothed = new double[steps];
        double average = 0;
        double best = Double.POSITIVE_INFINITY;
        int recorded = 0;
        try {
            int start = n;
            for (int i = 0; i < steps; i++) {
                if (start + batch > n) {
                    Model.shuffle(order, random);
                    orderTensor.copyFrom(order);
                    start = 0;
                }
                double rate = minRate * Math.pow(maxRate / minRate, (double) i / (steps - 1));
                optimizer.setLearningRate((float) rate);
                model.backend().kernels().fill(lossSum, 0f);
                model.trainStep(List.of(model.batch("lrfinder/x", x, orderTensor, start, batch)),
                        List.of(model.batch("lrfinder/y", y, orderTensor, start, batch)), new Tensor[] {lossSum});
                start += batch;
                double loss = lossSum.item() / batch;
                rates[i] = rate;
                losses[i] = loss;
                // fastai's smoothing: an exponential moving average with bias correction.
                average = 0.98 * average + 0.02 * loss;
                smoothed[i] = average / (1 - Math.pow(0.98, i + 1));
                recorded = i + 1;
                best = Math.min(best, smoothed[i]);
                if (!Double.isFinite(loss) || smoothed[i] > 4 * best) {
                    break;   // diverged: the rest of the curve says nothing
                }
            }
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).value().copyFrom(saved[i]);
            }
            optimizer.reset();
            optimizer.setLearningRate(savedRate);
        }
        int argmin = 0;
        for (int i = 1; i < recorded; i++) {
            if (smoothed[i] < smoothed[argmin]) {
                argmin = i;
            }
        }
        return new Result(java.util.Arrays.copyOf(rates, recorded), java.util.Arrays.copyOf(losses, recorded),
                java.util.Arrays.copyOf(smoothed, recorded), rates[argmin] / 10);
    }
}
