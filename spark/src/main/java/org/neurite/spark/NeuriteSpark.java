package org.neurite.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurite.nn.Callback;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Model;
import org.neurite.nn.Parameter;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Neurite on Apache Spark: {@link #predict} scores a {@code Dataset<Row>} with a model broadcast once, and {@link #fit}
 * trains a model data-parallel in Spark's barrier execution mode, the workers averaging gradients (or, every
 * {@code syncEvery} steps, parameters) through a {@link RingAllReduce} among the barrier tasks.
 *
 * <p>Configuration, from the Spark conf: {@code spark.neurite.backend} (default {@code auto}; a task given GPU
 * address {@code i} by Spark's resource scheduling uses {@code cuda:i}), {@code spark.neurite.batchSize} (scoring,
 * default 1024), {@code spark.neurite.allReduceTimeoutMs} (default 60000). Each executor JVM opens one backend per spec
 * and shares it between its tasks.
 */
public final class NeuriteSpark {
    /** Faults injected by the tests (tasks run in the test's JVM in local mode); none otherwise. */
    interface Faults {
        void inject(int epoch, int rank, int step, RingAllReduce ring);
    }

    static volatile Faults FAULTS = (epoch, rank, step, ring) -> { };

    /** One backend per executor JVM and spec, shared by its tasks (backends are thread-safe for separate models). */
    private static final Map<String, Backend> BACKENDS = new ConcurrentHashMap<>();

    private NeuriteSpark() {
    }

    /** The backend spec for a task: the conf's, or {@code cuda:i} for a task given GPU address {@code i}. */
    static String backendSpec(SparkConf conf, Map<String, ResourceInformation> resources) {
        String spec = conf == null ? "auto" : conf.get("spark.neurite.backend", "auto");
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        if (gpu != null && gpu.addresses().length > 0 && (spec.equals("auto") || spec.equals("cuda"))) {
            return "cuda:" + gpu.addresses()[0];
        }
        // The CPU backend takes the task's cores (spark.task.cpus), not the machine's: tasks share an executor's
        // cores, and each backend's worker threads spinning on all of them made local[2] training 60x slower.
        int cpus = conf == null ? 1 : conf.getInt("spark.task.cpus", 1);
        if (spec.equals("cpu")) {
            return "cpu:threads=" + cpus;
        }
        if (spec.equals("auto")) {
            boolean accelerator = Backends.list().stream().anyMatch(i -> !i.name().equals("cpu") && i.priority() > 0
                    && i.availability().available());
            return accelerator ? "auto" : "cpu:threads=" + cpus;
        }
        return spec;
    }

    static Backend executorBackend(String spec) {
        return BACKENDS.computeIfAbsent(spec, s -> s.equals("auto") ? Backends.create() : Backends.create(s));
    }

    private static String taskSpec(SparkConf conf) {
        TaskContext t = TaskContext.get();
        Map<String, ResourceInformation> resources = t == null ? Map.of()
                : CollectionConverters.asJava(t.resources());
        return backendSpec(conf, resources);
    }

    static byte[] bytes(Model model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.save(out);
        return out.toByteArray();
    }

    /**
     * {@code df} with a column {@code outputCol} ({@code array<float>}) holding the model's first output for each row.
     * Each of {@code inputCols} (one per model input, in order) is an {@code array<float>} (or {@code array<double>},
     * or a Spark ML vector) of the input's width.
     */
    public static Dataset<Row> predict(Dataset<Row> df, Model model, List<String> inputCols, String outputCol) {
        if (inputCols.size() != model.inputs().size()) {
            throw new IllegalArgumentException("predict: the model has " + model.inputs().size() + " inputs, given "
                    + inputCols.size() + " columns");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        Broadcast<byte[]> broadcast = sc.broadcast(bytes(model));
        SparkConf conf = sc.getConf();
        int batchSize = conf.getInt("spark.neurite.batchSize", 1024);
        StructType schema = df.schema().add(outputCol, DataTypes.createArrayType(DataTypes.FloatType, false));
        int[] columns = inputCols.stream().mapToInt(df.schema()::fieldIndex).toArray();
        int[] widths = model.inputs().stream().mapToInt(n -> n.features()).toArray();
        int outWidth = model.outputs().get(0).features();
        return df.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> {
            Backend backend = executorBackend(taskSpec(conf));
            Model m = Model.load(new ByteArrayInputStream(broadcast.value()), backend);
            // The model's weights are closed when the partition is done, and also when the task ends without
            // draining it (a limit, a take, a failure downstream): Spark calls completion listeners either way.
            boolean[] closed = {false};
            Runnable release = () -> {
                if (!closed[0]) {
                    closed[0] = true;
                    m.close();
                }
            };
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) c -> release.run());
            }
            return new Iterator<Row>() {
                private final List<Row> pending = new ArrayList<>();
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < pending.size()) {
                        return true;
                    }
                    pending.clear();
                    next = 0;
                    while (pending.size() < batchSize && rows.hasNext()) {
                        pending.add(rows.next());
                    }
                    if (pending.isEmpty()) {
                        release.run();
                        return false;
                    }
                    score();
                    return true;
                }

                private final List<Row> scored = new ArrayList<>();

                private void score() {
                    List<Tensor> xs = new ArrayList<>();
                    try {
                        for (int i = 0; i < columns.length; i++) {
                            float[] x = new float[pending.size() * widths[i]];
                            for (int r = 0; r < pending.size(); r++) {
                                features(pending.get(r).get(columns[i]), x, r * widths[i], widths[i], inputCols.get(i));
                            }
                            xs.add(backend.tensor(x, pending.size(), widths[i]));
                        }
                        float[] y = m.predictAll(xs, batchSize).get(0);
                        scored.clear();
                        for (int r = 0; r < pending.size(); r++) {
                            List<Float> out = new ArrayList<>(outWidth);
                            for (int j = 0; j < outWidth; j++) {
                                out.add(y[r * outWidth + j]);
                            }
                            Object[] values = new Object[schema.size()];
                            Row row = pending.get(r);
                            for (int c = 0; c < row.size(); c++) {
                                values[c] = row.get(c);
                            }
                            values[row.size()] = CollectionConverters.asScala(out).toSeq();
                            scored.add(RowFactory.create(values));
                        }
                        pending.clear();
                        pending.addAll(scored);
                    } finally {
                        xs.forEach(Tensor::close);
                    }
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return pending.get(next++);
                }
            };
        }, Encoders.row(schema));
    }

    /** Copies one cell (array of numbers, or an ML vector) into {@code x[off..off+width)}. */
    static void features(Object cell, float[] x, int off, int width, String column) {
        if (cell instanceof scala.collection.Seq<?> seq) {
            if (seq.size() != width) {
                throw new IllegalArgumentException("column " + column + ": " + seq.size() + " values, the input takes "
                        + width);
            }
            for (int j = 0; j < width; j++) {
                x[off + j] = ((Number) seq.apply(j)).floatValue();
            }
            return;
        }
        if (cell instanceof Number n && width == 1) {
            x[off] = n.floatValue();
            return;
        }
        if (cell != null) {
            try {
                double[] v = (double[]) cell.getClass().getMethod("toArray").invoke(cell);   // Spark ML Vector
                if (v.length != width) {
                    throw new IllegalArgumentException("column " + column + ": " + v.length + " values, the input takes "
                            + width);
                }
                for (int j = 0; j < width; j++) {
                    x[off + j] = (float) v[j];
                }
                return;
            } catch (ReflectiveOperationException | ClassCastException e) {
                // not a vector: the message below
            }
        }
        throw new IllegalArgumentException("column " + column + ": " + (cell == null ? "null" : cell.getClass().getName())
                + " is not an array of numbers or a vector");
    }

    /** How {@link #fit} trains. */
    public record TrainingOptions(int epochs, int batchSize, int syncEvery, boolean shuffle, long seed, int timeoutMillis,
                                  String checkpoint) implements Serializable {
        /** Checks the numbers. */
        public TrainingOptions {
            if (epochs < 1 || batchSize < 1 || syncEvery < 1 || timeoutMillis < 1) {
                throw new IllegalArgumentException("TrainingOptions: epochs, batchSize, syncEvery and timeout must be"
                        + " positive");
            }
        }

        /** {@code epochs} of batches of {@code batchSize} per worker, gradients averaged every step. */
        public static TrainingOptions of(int epochs, int batchSize) {
            return new TrainingOptions(epochs, batchSize, 1, true, 42, 60_000, null);
        }

        /** Average parameters every {@code steps} steps instead of gradients every step (local SGD). */
        public TrainingOptions syncEvery(int steps) {
            return new TrainingOptions(epochs, batchSize, steps, shuffle, seed, timeoutMillis, checkpoint);
        }

        public TrainingOptions shuffle(boolean s) {
            return new TrainingOptions(epochs, batchSize, syncEvery, s, seed, timeoutMillis, checkpoint);
        }

        /** How long an all-reduce waits for a peer before failing the stage (default 60 s). */
        public TrainingOptions timeoutMillis(int ms) {
            return new TrainingOptions(epochs, batchSize, syncEvery, shuffle, seed, ms, checkpoint);
        }

        /**
         * A model file (any Hadoop file system: local, HDFS, S3A...) written by the driver after every epoch, with the
         * optimizer state and the history; a job started again with the same path resumes after its last epoch.
         */
        public TrainingOptions checkpoint(String path) {
            return new TrainingOptions(epochs, batchSize, syncEvery, shuffle, seed, timeoutMillis, path);
        }
    }

    /** What {@link #fit} returns: the trained model (on the driver's backend) and the workers' averaged history. */
    public record Result(Model model, History history) {
    }

    /**
     * Trains {@code model} (compiled) data-parallel on {@code df}, one barrier task per partition: each worker trains
     * on its partition (batches of {@code batchSize}) with the model's own {@code fit}, all starting from the same
     * weights; with {@code syncEvery = 1} every step's gradients are averaged through a ring all-reduce before the
     * optimizer update (synchronous data-parallel SGD: with equal partitions, the result equals one process training
     * on the combined batch, up to float rounding); with {@code syncEvery > 1} the parameters are averaged every that
     * many steps and at the end (local SGD). Workers train on as many samples as the smallest partition holds, so that
     * all take the same number of steps. Returns the model, loaded on {@code driverBackend}, and the mean of the
     * workers' per-epoch logs.
     */
    public static Result fit(Dataset<Row> df, Model model, List<String> featureCols, List<String> labelCols,
                             TrainingOptions o, Backend driverBackend) {
        if (model.optimizer() == null) {
            throw new IllegalStateException("fit: compile the model first");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        SparkConf conf = sc.getConf();
        int[] xCols = featureCols.stream().mapToInt(df.schema()::fieldIndex).toArray();   // fails on a missing column
        int[] yCols = labelCols.stream().mapToInt(df.schema()::fieldIndex).toArray();
        int[] xWidths = model.inputs().stream().mapToInt(n -> n.features()).toArray();
        int[] yWidths = new int[yCols.length];
        for (int j = 0; j < yCols.length; j++) {
            yWidths[j] = model.loss(j).sparseTargets() ? 1 : model.outputs().get(j).features();
        }
        // The columns the workers read, cached: every epoch is a stage that reads them again, and re-reading the
        // source (Parquet, or rows serialized into the tasks) cost more than the training itself.
        List<String> used = new ArrayList<>(featureCols);
        used.addAll(labelCols);
        Dataset<Row> cached = df.selectExpr(used.stream().map(c -> "`" + c + "`").toArray(String[]::new))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        xCols = java.util.stream.IntStream.range(0, featureCols.size()).toArray();
        yCols = java.util.stream.IntStream.range(featureCols.size(), used.size()).toArray();
        try {
            return epochs(sc, cached, conf, xCols, yCols, xWidths, yWidths, o, featureCols, labelCols, model,
                    driverBackend);
        } finally {
            cached.unpersist();
        }
    }

    private static Result epochs(JavaSparkContext sc, Dataset<Row> df, SparkConf conf, int[] xCols, int[] yCols,
                                 int[] xWidths, int[] yWidths, TrainingOptions o, List<String> featureCols,
                                 List<String> labelCols, Model model, Backend driverBackend) {
        byte[] current = bytes(model);
        Map<String, List<Double>> history = new LinkedHashMap<>();
        int start = 0;
        if (o.checkpoint() != null) {
            Checkpoint c = Checkpoint.read(o.checkpoint(), sc.hadoopConfiguration());
            if (c != null) {
                current = c.model();
                history = c.history();
                start = c.epochs();
            }
        }
        // One barrier stage per epoch, from the model the previous one ended with: Spark retries a failed stage as a
        // whole, and then it restarts this epoch, not the job.
        for (int epoch = start; epoch < o.epochs(); epoch++) {
            Broadcast<byte[]> broadcast = sc.broadcast(current);
            Worker worker = new Worker(broadcast, conf, xCols, yCols, xWidths, yWidths, o, featureCols, labelCols, epoch);
            WorkerResult[] results = null;
            int retries = conf.getInt("spark.neurite.epochRetries", 3);
            for (int attempt = 0; results == null; attempt++) {
                try {
                    Object collected = df.javaRDD().rdd().barrier()
                            .mapPartitions(worker, false, ClassTag$.MODULE$.apply(WorkerResult.class)).collect();
                    results = (WorkerResult[]) collected;
                } catch (Exception e) {   // Scala throws SparkException (checked in Java) undeclared
                    if (!(e instanceof org.apache.spark.SparkException)) {
                        throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
                    }
                    // Spark does not retry a failed barrier result stage: the epoch is run again from the model it
                    // started with, so a worker that failed or a ring that broke costs one epoch, not the job.
                    if (attempt >= retries) {
                        throw new IllegalStateException("fit: epoch " + (epoch + 1) + " failed " + (attempt + 1)
                                + " times (spark.neurite.epochRetries = " + retries + "): " + e.getMessage(), e);
                    }
                    System.getLogger("org.neurite.spark").log(System.Logger.Level.WARNING, "fit: epoch " + (epoch + 1)
                            + " failed (" + e.getMessage().lines().findFirst().orElse("") + "); running it again");
                }
            }
            for (WorkerResult r : results) {
                if (r.model() != null) {
                    current = r.model();
                }
            }
            Map<String, Double> mean = new LinkedHashMap<>();
            int workers = results.length;
            for (WorkerResult r : results) {
                r.logs().forEach((k, v) -> mean.merge(k, v.get(v.size() - 1) / workers, Double::sum));
            }
            for (Map.Entry<String, Double> e : mean.entrySet()) {
                history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            broadcast.destroy();
            if (o.checkpoint() != null) {
                Checkpoint.write(o.checkpoint(), sc.hadoopConfiguration(), new Checkpoint(epoch + 1, current, history));
            }
        }
        return new Result(Model.load(new ByteArrayInputStream(current), driverBackend), History.of(history));
    }

    /** One worker's answer: its per-epoch logs, and the model's bytes from worker 0. */
    public record WorkerResult(Map<String, List<Double>> logs, byte[] model) implements Serializable {
    }

    /** The barrier task. */
    static final class Worker extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Row>,
            scala.collection.Iterator<WorkerResult>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> model;
        private final SparkConf conf;
        private final int[] xCols;
        private final int[] yCols;
        private final int[] xWidths;
        private final int[] yWidths;
        private final TrainingOptions o;
        private final List<String> xNames;
        private final List<String> yNames;
        private final int epoch;

        Worker(Broadcast<byte[]> model, SparkConf conf, int[] xCols, int[] yCols, int[] xWidths, int[] yWidths,
               TrainingOptions o, List<String> xNames, List<String> yNames, int epoch) {
            this.epoch = epoch;
            this.model = model;
            this.conf = conf;
            this.xCols = xCols;
            this.yCols = yCols;
            this.xWidths = xWidths;
            this.yWidths = yWidths;
            this.o = o;
            this.xNames = List.copyOf(xNames);
            this.yNames = List.copyOf(yNames);
        }

        @Override
        public scala.collection.Iterator<WorkerResult> apply(scala.collection.Iterator<Row> rows) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            int size = ctx.getTaskInfos().length;
            List<Row> data = new ArrayList<>();
            rows.foreach(r -> data.add(r));
            // Every worker takes as many steps as the smallest partition allows: a ring waits for all.
            int n = Integer.MAX_VALUE;
            for (String s : ctx.allGather(String.valueOf(data.size()))) {
                n = Math.min(n, Integer.parseInt(s));
            }
            if (n < 1) {
                throw new IllegalStateException("fit: a partition is empty; repartition the data to the worker count");
            }
            String host = ctx.getTaskInfos()[rank].address();
            host = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
            try (RingAllReduce ring = new RingAllReduce(rank, size, conf.get("spark.neurite.bindAddress", host),
                    conf.getInt("spark.neurite.allReduceTimeoutMs", o.timeoutMillis()))) {
                ring.connect(List.of(ctx.allGather(ring.address())));
                Backend backend = executorBackend(taskSpec(conf));
                List<Tensor> xs = new ArrayList<>();
                List<Tensor> ys = new ArrayList<>();
                try (Model m = Model.load(new ByteArrayInputStream(model.value()), backend)) {
                    for (int i = 0; i < xCols.length; i++) {
                        xs.add(backend.tensor(column(data, n, xCols[i], xWidths[i], xNames.get(i)), n, xWidths[i]));
                    }
                    for (int j = 0; j < yCols.length; j++) {
                        float[] y = column(data, n, yCols[j], yWidths[j], yNames.get(j));
                        ys.add(yWidths[j] == 1 && m.loss(j).sparseTargets() ? backend.tensor(y, n)
                                : backend.tensor(y, n, yWidths[j]));
                    }
                    FitOptions fo = FitOptions.epochs(1).batchSize(o.batchSize()).shuffle(o.shuffle())
                            .seed(o.seed() + 1_000_003L * epoch + rank);
                    if (o.syncEvery() == 1) {
                        int[] steps = {0};
                        m.optimizer().gradientHook(params -> {
                            FAULTS.inject(epoch, rank, ++steps[0], ring);
                            average(ring, params, true);
                        });
                    } else {
                        fo.callbacks(new Callback() {
                            private int steps;

                            @Override
                            public void onBatchEnd(int step, double runningLoss, Model model) {
                                FAULTS.inject(epoch, rank, ++steps, ring);
                                if (steps % o.syncEvery() == 0) {
                                    average(ring, model.parameters(), false);
                                }
                            }
                        });
                    }
                    History h = m.fit(xs, ys, fo);
                    m.optimizer().gradientHook(null);
                    if (o.syncEvery() > 1) {
                        average(ring, m.parameters(), false);
                    }
                    return CollectionConverters.asScala(List.of(new WorkerResult(h.asMap(),
                            rank == 0 ? bytes(m) : null)).iterator());
                } finally {
                    xs.forEach(Tensor::close);
                    ys.forEach(Tensor::close);
                }
            }
        }

        private static float[] column(List<Row> data, int n, int col, int width, String name) {
            float[] out = new float[n * width];
            for (int r = 0; r < n; r++) {
                features(data.get(r).get(col), out, r * width, width, name);
            }
            return out;
        }
    }

    /** Averages the gradients (or the values) of {@code params} over the workers, in one all-reduce. */
    static void average(RingAllReduce ring, List<Parameter> params, boolean gradients) {
        int total = 0;
        for (Parameter p : params) {
            total += (gradients ? p.gradient() : p.value()).size();
        }
        float[] flat = new float[total];
        int off = 0;
        for (Parameter p : params) {
            float[] v = (gradients ? p.gradient() : p.value()).toFloatArray();
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        ring.mean(flat);
        off = 0;
        for (Parameter p : params) {
            Tensor t = gradients ? p.gradient() : p.value();
            t.copyFrom(java.util.Arrays.copyOfRange(flat, off, off + t.size()));
            off += t.size();
        }
    }
}
