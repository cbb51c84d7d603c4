package org.neurite.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.neurite.nn.Metric.Accumulator;

/**
 * The metrics Keras users reach for after accuracy, with Keras's definitions, and the registry that lets a model
 * file name a custom {@link Metric}:
 *
 * <pre>{@code
 * model.compile(Loss.binaryCrossEntropy(), new Adam(1e-3f), Metric.ACCURACY, Metrics.precision(), Metrics.recall(),
 *         Metrics.auc());
 * }</pre>
 * Precision, recall and AUC treat every element as a binary decision (Keras's default, {@code class_id=None}): a
 * prediction above the threshold is positive, a target other than 0 is. They are computed on the host from the
 * outputs read back each step.
 */
public final class Metrics {
    private static final Map<String, Supplier<Metric>> REGISTRY = new ConcurrentHashMap<>();

    static {
        REGISTRY.put("precision", Metrics::precision);
        REGISTRY.put("recall", Metrics::recall);
        REGISTRY.put("auc", Metrics::auc);
        for (int k = 1; k <= 10; k++) {
            int kk = k;
            REGISTRY.put(topKKey(k), () -> topKCategoricalAccuracy(kk));
        }
    }

    private Metrics() {
    }

    /** Keras's {@code Precision()}: true positives / predicted positives at threshold 0.5 (0 when none). */
    public static Metric precision() {
        return confusion("precision", true);
    }

    /** Keras's {@code Recall()}: true positives / actual positives at threshold 0.5 (0 when none). */
    public static Metric recall() {
        return confusion("recall", false);
    }

    private static Metric confusion(String key, boolean precision) {
        return Metric.of(key, () -> new Accumulator() {
            private long tp;
            private long fp;
            private long fn;

            @Override
            public void update(float[] predicted, float[] target, int rows, int cols) {
                float[] t = dense(target, rows, cols);
                for (int i = 0; i < predicted.length; i++) {
                    boolean p = predicted[i] > 0.5f;
                    boolean y = t[i] != 0;
                    tp += p && y ? 1 : 0;
                    fp += p && !y ? 1 : 0;
                    fn += !p && y ? 1 : 0;
                }
            }

            @Override
            public double result() {
                long d = precision ? tp + fp : tp + fn;
                return d == 0 ? 0 : (double) tp / d;
            }
        });
    }

    /** Keras's {@code AUC()}: the area under the ROC curve over 200 thresholds, by the trapezoidal rule. */
    public static Metric auc() {
        return auc(200);
    }

    /**
     * Keras's {@code AUC(num_thresholds)}: thresholds {@code -1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7}, a
     * confusion matrix at each (positive: prediction above the threshold), the ROC's true- and false-positive
     * rates, summed by the trapezoidal rule (Keras's {@code summation_method="interpolation"} for ROC).
     */
    public static Metric auc(int thresholds) {
        if (thresholds < 3) {
            throw new IllegalArgumentException("Metrics.auc: at least 3 thresholds, got " + thresholds);
        }
        double[] th = new double[thresholds];
        th[0] = -1e-7;
        for (int i = 1; i < thresholds - 1; i++) {
            th[i] = (double) i / (thresholds - 1);
        }
        th[thresholds - 1] = 1 + 1e-7;
        String key = thresholds == 200 ? "auc" : "auc_" + thresholds;
        return Metric.of(key, () -> new Accumulator() {
            private final long[] tp = new long[thresholds];
            private final long[] fp = new long[thresholds];
            private long positives;
            private long negatives;

            @Override
            public void update(float[] predicted, float[] target, int rows, int cols) {
                float[] t = dense(target, rows, cols);
                for (int i = 0; i < predicted.length; i++) {
                    boolean y = t[i] != 0;
                    if (y) {
                        positives++;
                    } else {
                        negatives++;
                    }
                    float p = predicted[i];
                    for (int k = 0; k < thresholds && p > th[k]; k++) {
                        if (y) {
                            tp[k]++;
                        } else {
                            fp[k]++;
                        }
                    }
                }
            }

            @Override
            public double result() {
                double area = 0;
                for (int k = 0; k < thresholds - 1; k++) {
                    double tpr0 = rate(tp[k], positives);
                    double tpr1 = rate(tp[k + 1], positives);
                    double fpr0 = rate(fp[k], negatives);
                    double fpr1 = rate(fp[k + 1], negatives);
                    area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2;
                }
                return area;
            }
        });
    }

    private static double rate(long count, long total) {
        return total == 0 ? 0 : (double) count / total;
    }

    /**
     * Keras's {@code TopKCategoricalAccuracy(k)} (one-hot targets) and {@code SparseTopKCategoricalAccuracy(k)}
     * (labels), chosen by the targets' shape: the true class is a hit when fewer than {@code k} classes score
     * strictly higher (ties at the boundary count as in the top k, as {@code in_top_k}).
     */
    public static Metric topKCategoricalAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Metrics.topKCategoricalAccuracy: k must be at least 1, got " + k);
        }
        String key = topKKey(k);
        return Metric.of(key, () -> new Accumulator() {
            private long hits;
            private long seen;

            @Override
            public void update(float[] predicted, float[] target, int rows, int cols) {
                boolean sparse = target.length == rows && cols > 1;
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    int truth = sparse ? (int) target[r] : Metric.Builtin.argmax(target, o, cols);
                    float score = predicted[o + truth];
                    int higher = 0;
                    for (int j = 0; j < cols; j++) {
                        higher += predicted[o + j] > score ? 1 : 0;
                    }
                    hits += !Float.isNaN(score) && higher < k ? 1 : 0;
                    seen++;
                }
            }

            @Override
            public double result() {
                return seen == 0 ? 0 : (double) hits / seen;
            }
        });
    }

    private static String topKKey(int k) {
        return k == 5 ? "top_k_categorical_accuracy" : "top_" + k + "_categorical_accuracy";
    }

    /**
     * Registers a custom metric under its {@link Metric#key()}, so that a model compiled with it can be saved and
     * loaded (the file names metrics by key).
     */
    public static void register(String key, Supplier<Metric> metric) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Metrics.register: a key is needed");
        }
        if (REGISTRY.containsKey(key) && isBuiltIn(key)) {
            throw new IllegalArgumentException("Metrics.register: '" + key + "' is a built-in metric");
        }
        REGISTRY.put(key, metric);
    }

    private static boolean isBuiltIn(String key) {
        return key.equals("precision") || key.equals("recall") || key.equals("auc") || key.startsWith("top_");
    }

    /** The metric a model file names: a built-in's name ({@code ACCURACY}) or a registered key, else null. */
    static Metric byName(String name) {
        for (Metric.Builtin b : Metric.Builtin.values()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        Supplier<Metric> s = REGISTRY.get(name);
        if (s == null && name.startsWith("auc_")) {
            try {
                return auc(Integer.parseInt(name.substring(4)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return s == null ? null : s.get();
    }

    /** How a model file names {@code m}. */
    static String nameOf(Metric m) {
        return m instanceof Metric.Builtin ? ((Metric.Builtin) m).name() : m.key();
    }

    /** Targets as {@code rows * cols} values: labels become one-hot rows. */
    static float[] dense(float[] target, int rows, int cols) {
        if (target.length == rows * cols) {
            return target;
        }
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int label = (int) target[r];
            if (label >= 0 && label < cols) {
                t[r * cols + label] = 1;
            }
        }
        return t;
    }
}
