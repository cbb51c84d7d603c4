package org.neurite.nn;

import java.util.List;
import java.util.Map;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * Feature standardization inside the model, as Keras's {@code Normalization} layer: {@link #adapt} learns
 * each column's mean and variance from data; the layer then outputs {@code (x - mean) / sqrt(var)} (a
 * column with zero variance is only centred). Its statistics are not trained; they are saved with the model.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();
 * Sequential model = new Sequential(backend, 13, 42, norm, new Dense(30, "relu"), new Dense(1, "linear"));
 * norm.adapt(xTrain);
 * }</pre>
 */
public final class Normalization extends Layer {
    private Tensor scale;
    private Tensor shift;
    private float[] mean;
    private float[] variance;
    private float[] givenMean;
    private float[] givenVariance;

    /** A layer whose statistics {@link #adapt} learns (until then: mean 0, variance 1). */
    public Normalization() {
        this(uniqueName("normalization"));
    }

    /**
     * A layer with known statistics, as Keras's {@code Normalization(mean=..., variance=...)}: one value per feature.
     *
     * @throws IllegalArgumentException when the lengths differ or a variance is negative or NaN
     */
    public Normalization(float[] mean, float[] variance) {
        this(uniqueName("normalization"));
        if (mean.length != variance.length) {
            throw new IllegalArgumentException("Normalization: " + mean.length + " means but " + variance.length
                    + " variances");
        }
        for (int j = 0; j < variance.length; j++) {
            if (!(variance[j] >= 0)) {
                throw new IllegalArgumentException("Normalization: variance[" + j + "] is " + variance[j]);
            }
        }
        this.givenMean = mean.clone();
        this.givenVariance = variance.clone();
    }

    Normalization(String name) {
        super(name);
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        return inputFeatures;
    }

    @Override
    public void build(Backend backend, int inputFeatures, java.util.SplittableRandom random) {
        super.build(backend, inputFeatures, random);
        this.mean = new float[inputFeatures];
        this.variance = new float[inputFeatures];
        java.util.Arrays.fill(variance, 1f);
        if (givenMean != null) {
            if (givenMean.length != inputFeatures) {
                throw new IllegalArgumentException(name() + ": statistics for " + givenMean.length + " features, but the"
                        + " input has " + inputFeatures);
            }
            System.arraycopy(givenMean, 0, mean, 0, inputFeatures);
            System.arraycopy(givenVariance, 0, variance, 0, inputFeatures);
        }
        this.scale = backend.zeros(Shape.of(inputFeatures));
        this.shift = backend.zeros(Shape.of(inputFeatures));
        upload();
    }

    /** Learns the mean and variance of each column of {@code data} ({@code [samples, features]}). */
    public void adapt(Tensor data) {
        if (!built()) {
            throw new IllegalStateException(name() + ": put the layer in a model before adapt()");
        }
        if (data.size() != data.shape().dim(0) * inputFeatures) {
            throw new IllegalArgumentException(name() + ": adapt data " + data.shape() + " does not have " + inputFeatures
                    + " features");
        }
        float[] x = data.toFloatArray();
        int n = data.shape().dim(0);
        double[] sum = new double[inputFeatures];
        double[] sq = new double[inputFeatures];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < inputFeatures; j++) {
                double v = x[r * inputFeatures + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        for (int j = 0; j < inputFeatures; j++) {
            double m = sum[j] / n;
            mean[j] = (float) m;
            variance[j] = (float) Math.max(0, sq[j] / n - m * m);
        }
        upload();
    }

    private void upload() {
        float[] a = new float[inputFeatures];
        float[] b = new float[inputFeatures];
        for (int j = 0; j < inputFeatures; j++) {
            a[j] = variance[j] > 0 ? (float) (1 / Math.sqrt(variance[j])) : 1f;
            b[j] = -mean[j] * a[j];
        }
        scale.copyFrom(a);
        shift.copyFrom(b);
    }

    /** Each feature's mean. */
    public float[] mean() {
        return mean.clone();
    }

    /** Each feature's variance; a feature of variance 0 is only centred. */
    public float[] variance() {
        return variance.clone();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor out = buffers.get(backend, "output", input.rows(), inputFeatures);
        backend.kernels().affineColumns(input, scale, shift, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dx = buffers.get(backend, "dx", gradOutput.rows(), inputFeatures);
        Tensor zero = buffers.get(backend, "zero", Shape.of(inputFeatures));   // never written: stays zero
        backend.kernels().affineColumns(gradOutput, scale, zero, dx);
        return dx;
    }

    @Override
    protected Map<String, Object> config() {
        List<Double> m = new java.util.ArrayList<>();
        List<Double> v = new java.util.ArrayList<>();
        for (int j = 0; j < inputFeatures; j++) {
            m.add((double) mean[j]);
            v.add((double) variance[j]);
        }
        return Map.of("class", "Normalization", "name", name(), "mean", m, "variance", v);
    }

    /** After {@link #build}: the statistics read from a model file. */
    void restore(Config c) {
        float[] m = c.floats("mean", inputFeatures);
        float[] v = c.floats("variance", inputFeatures);
        for (int j = 0; j < inputFeatures; j++) {
            if (v[j] < 0) {
                throw new IllegalArgumentException(c.where() + ": 'variance'[" + j + "] is negative: " + v[j]);
            }
        }
        System.arraycopy(m, 0, mean, 0, inputFeatures);
        System.arraycopy(v, 0, variance, 0, inputFeatures);
        upload();
    }

    @Override
    public void close() {
        super.close();
        if (scale != null) {
            scale.close();
            shift.close();
        }
    }

    @Override
    long plannedParameterCount(int[] inputFeatures) {
        return 0;
    }
}
