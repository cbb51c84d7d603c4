package org.neurite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.neurite.nn.Adam;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.Loss;
import org.neurite.nn.Model;
import org.neurite.nn.Parameter;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;
import scala.jdk.javaapi.CollectionConverters;

/** Spark local[2], barrier mode: scoring a data frame, and data-parallel training against one process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NeuriteSparkTest {
    private SparkSession spark;
    private Backend backend;

    @BeforeAll
    void start() {
        spark = SparkSession.builder().master("local[2,4]").appName("neurite-test").config("spark.ui.enabled", "false")
                .config("spark.neurite.backend", "cpu:threads=1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        backend = Backends.create("cpu:threads=1");
    }

    @AfterAll
    void stop() {
        spark.stop();
        backend.close();
    }

    private static final StructType SCHEMA = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType))
            .add("y", DataTypes.FloatType);

    /** 128 samples of a 3-class problem in 6 features; rows ordered so that worker w of 2 gets rows 16w..16w+15 of
     *  every block of 32. */
    private static float[][] data(int n) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) (r.nextDouble(-1, 1) + (j / 2 == c ? 1.5 : 0));
            }
        }
        return new float[][] {x, y};
    }

    private Dataset<Row> frame(float[][] d, int[] order, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i : order) {
            List<Float> f = new ArrayList<>();
            for (int j = 0; j < 6; j++) {
                f.add(d[0][i * 6 + j]);
            }
            rows.add(RowFactory.create(CollectionConverters.asScala(f).toSeq(), d[1][i]));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(rows, partitions), SCHEMA);
    }

    private Sequential model() {
        Sequential m = new Sequential(backend, 6, 11, new Dense(8, "tanh"), new Dense(3, "softmax"));
        m.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.01f));
        return m;
    }

    @Test
    void twoWorkersOfSixteenTrainAsOneProcessOfThirtyTwo() {
        int n = 128;
        float[][] d = data(n);
        // Worker 0: the first half of every block of 32; worker 1: the second halves.
        int[] order = new int[n];
        int k = 0;
        for (int w = 0; w < 2; w++) {
            for (int b = 0; b < n / 32; b++) {
                for (int i = 0; i < 16; i++) {
                    order[k++] = b * 32 + w * 16 + i;
                }
            }
        }
        List<float[]> single;
        try (Sequential m = model();
             Tensor x = backend.tensor(d[0], n, 6);
             Tensor y = backend.tensor(d[1], n)) {
            m.fit(x, y, FitOptions.epochs(3).batchSize(32).shuffle(false));
            single = m.getWeights();
        }
        try (Sequential m = model()) {
            NeuriteSpark.Result r = NeuriteSpark.fit(frame(d, order, 2), m, List.of("x"), List.of("y"),
                    NeuriteSpark.TrainingOptions.of(3, 16).shuffle(false), backend);
            try (Model trained = r.model()) {
                List<float[]> distributed = trained.getWeights();
                for (int i = 0; i < single.size(); i++) {
                    assertArrayEquals(single.get(i), distributed.get(i), 2e-5f, "weight " + i);
                }
            }
            assertEquals(3, r.history().get("loss").size());
        }
    }

    private int[] blocks(int n) {
        int[] order = new int[n];
        int k = 0;
        for (int w = 0; w < 2; w++) {
            for (int b = 0; b < n / 32; b++) {
                for (int i = 0; i < 16; i++) {
                    order[k++] = b * 32 + w * 16 + i;
                }
            }
        }
        return order;
    }

    private List<float[]> distributed(float[][] d, NeuriteSpark.TrainingOptions o) {
        try (Sequential m = model()) {
            NeuriteSpark.Result r = NeuriteSpark.fit(frame(d, blocks(d[1].length), 2), m, List.of("x"), List.of("y"), o,
                    backend);
            try (Model trained = r.model()) {
                return trained.getWeights();
            }
        }
    }

    @Test
    void aFailingTaskOrADeadPeerFailsTheStageWhichSparkRetriesToTheSameResult() {
        float[][] d = data(96);
        NeuriteSpark.TrainingOptions o = NeuriteSpark.TrainingOptions.of(3, 16).shuffle(false).timeoutMillis(3000);
        List<float[]> clean = distributed(d, o);
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            NeuriteSpark.FAULTS = (epoch, rank, step, ring) -> {
                if (epoch == 1 && rank == 1 && step == 2 && once.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected: worker 1 fails in epoch 2");
                }
            };
            assertWeights(clean, distributed(d, o));
            assertTrue(once.get(), "the fault was not injected");
            once.set(false);
            long start = System.nanoTime();
            NeuriteSpark.FAULTS = (epoch, rank, step, ring) -> {
                if (epoch == 2 && rank == 0 && step == 1 && once.compareAndSet(false, true)) {
                    ring.close();   // its sockets die mid-training: the peer's all-reduce must fail, not hang
                }
            };
            assertWeights(clean, distributed(d, o));
            assertTrue(once.get(), "the fault was not injected");
            assertTrue((System.nanoTime() - start) / 1e9 < 60, "the dead peer was not noticed in time");
        } finally {
            NeuriteSpark.FAULTS = (epoch, rank, step, ring) -> { };
        }
    }

    @Test
    void aJobStartedAgainResumesFromItsCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        float[][] d = data(96);
        String cp = dir.resolve("model.ckpt").toString();
        List<float[]> straight = distributed(d, NeuriteSpark.TrainingOptions.of(4, 16).shuffle(false));
        distributed(d, NeuriteSpark.TrainingOptions.of(2, 16).shuffle(false).checkpoint(cp));
        try (Sequential m = model()) {
            NeuriteSpark.Result r = NeuriteSpark.fit(frame(d, blocks(96), 2), m, List.of("x"), List.of("y"),
                    NeuriteSpark.TrainingOptions.of(4, 16).shuffle(false).checkpoint(cp), backend);
            assertEquals(4, r.history().get("loss").size());
            try (Model trained = r.model()) {
                assertWeights(straight, trained.getWeights());
            }
        }
    }

    private static void assertWeights(List<float[]> expected, List<float[]> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "weight " + i);
        }
    }

    @Test
    void localSgdAveragesParametersAndLearns() {
        int n = 256;
        float[][] d = data(n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        try (Sequential m = model()) {
            NeuriteSpark.Result r = NeuriteSpark.fit(frame(d, order, 2), m, List.of("x"), List.of("y"),
                    NeuriteSpark.TrainingOptions.of(8, 16).syncEvery(4), backend);
            List<Double> loss = r.history().get("loss");
            assertTrue(loss.get(loss.size() - 1) < loss.get(0) * 0.7, loss.toString());
            r.model().close();
        }
    }

    @Test
    void predictScoresEveryRowAsTheModelDoes() {
        int n = 50;
        float[][] d = data(n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        try (Sequential m = model(); Tensor x = backend.tensor(d[0], n, 6)) {
            float[] expected = m.predict(x, 64);
            List<Row> scored = NeuriteSpark.predict(frame(d, order, 3), m, List.of("x"), "p").collectAsList();
            assertEquals(n, scored.size());
            for (int i = 0; i < n; i++) {
                List<Object> p = CollectionConverters.asJava(scored.get(i).<scala.collection.Seq<Object>>getAs("p"));
                for (int j = 0; j < 3; j++) {
                    assertEquals(expected[i * 3 + j], ((Number) p.get(j)).floatValue(), 1e-6f);
                }
            }
        }
    }

    @Test
    void aPartitionNotDrainedStillClosesItsModel() {
        int n = 50;
        float[][] d = data(n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Backend executor = NeuriteSpark.executorBackend("cpu:threads=1");   // what local tasks use here
        try (Sequential m = model()) {
            long before = executor.liveBytes();
            // limit(1) reads one row of the first partition and ends the task with the iterator not drained.
            List<Row> first = NeuriteSpark.predict(frame(d, order, 3), m, List.of("x"), "p").limit(1).collectAsList();
            assertEquals(1, first.size());
            assertEquals(before, executor.liveBytes(), "the task's copy of the model was not closed");
        }
    }

    @Test
    void tasksGivenAGpuUseThatDevice() {
        SparkConf conf = new SparkConf();
        Map<String, ResourceInformation> gpu = Map.of("gpu", new ResourceInformation("gpu", new String[] {"1"}));
        assertEquals("cuda:1", NeuriteSpark.backendSpec(conf, gpu));
        assertEquals("cpu:threads=1", NeuriteSpark.backendSpec(conf, Map.of()));   // no accelerator here
        assertEquals("cpu:threads=4", NeuriteSpark.backendSpec(new SparkConf().set("spark.task.cpus", "4")
                .set("spark.neurite.backend", "cpu"), Map.of()));
        assertEquals("opencl", NeuriteSpark.backendSpec(conf.set("spark.neurite.backend", "opencl"), gpu));
    }

    static List<float[]> weights(Model m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.value().toFloatArray());
        }
        return out;
    }
}
