package org.neurite.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurite.examples.data.FashionMnist;
import org.neurite.nn.Dense;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Model;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.spark.NeuriteSpark;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;
import scala.jdk.javaapi.CollectionConverters;

/** The Spark side of {@link SparkFashionMnistCommand}, loaded only when Spark is on the class path. */
final class SparkFashionMnistJob {
    /** The training images, read once per executor JVM. */
    static final class TrainImages {
        private static final java.util.Map<String, FashionMnist.Part> PARTS = new java.util.concurrent.ConcurrentHashMap<>();

        static FashionMnist.Part get(String dir) {
            return PARTS.computeIfAbsent(dir, d -> {
                try {
                    return FashionMnist.train(Path.of(d));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private SparkFashionMnistJob() {
    }

    static int run(SparkFashionMnistCommand c) throws IOException {
        PrintWriter out = c.spec.commandLine().getOut();
        Args.atLeast(c.spec, "--epochs", c.epochs, 1);
        Args.atLeast(c.spec, "--sync-every", c.syncEvery, 1);
        Path dir = c.data != null ? c.data : FashionMnist.DEFAULT_DIR;
        FashionMnist.Part train = TrainImages.get(dir.toString());
        FashionMnist.Part test = FashionMnist.test(dir);
        int n = c.limit > 0 ? Math.min(c.limit, train.count()) : train.count();
        SparkSession.Builder b = SparkSession.builder().appName("neurite-fashion-mnist")
                .config("spark.ui.enabled", "false").config("spark.neurite.backend", c.backend);
        if (System.getProperty("spark.master") == null) {
            b.master(c.master);
        }
        SparkSession spark = b.getOrCreate();
        try (Backend driver = Backends.create("cpu")) {
            int workers = spark.sparkContext().defaultParallelism();
            int batch = Math.max(1, 32 / workers);
            StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                    .add("label", DataTypes.FloatType);
            // The images are read where the tasks run (each task its slice of the IDX files): no driver-side rows
            // serialized into every task.
            String dirName = dir.toString();
            Dataset<Row> df = spark.range(0, n, 1, workers).mapPartitions(
                    (org.apache.spark.api.java.function.MapPartitionsFunction<Long, Row>) ids -> {
                        FashionMnist.Part part = TrainImages.get(dirName);
                        List<Row> out2 = new ArrayList<>();
                        while (ids.hasNext()) {
                            int i = ids.next().intValue();
                            float[] px = java.util.Arrays.copyOfRange(part.images(), i * 784, (i + 1) * 784);
                            List<Float> f = new ArrayList<>(784);
                            for (float v : px) {
                                f.add(v);
                            }
                            out2.add(RowFactory.create(CollectionConverters.asScala(f).toSeq(), part.labels()[i]));
                        }
                        return out2.iterator();
                    }, org.apache.spark.sql.Encoders.row(schema));
            out.printf(Locale.ROOT, "spark-fashion-mnist: %s, %d workers (batch %d each, %d in all), %d training images,"
                    + " %d epochs, %s%n", spark.sparkContext().master(), workers, batch, batch * workers, n, c.epochs,
                    c.syncEvery == 1 ? "gradients averaged every step" : "parameters averaged every " + c.syncEvery
                            + " steps");
            out.flush();
            try (Sequential model = new Sequential(driver, 784, 42, new Dense(300, "relu"), new Dense(100, "relu"),
                    new Dense(10, "softmax"))) {
                model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
                long start = System.nanoTime();
                NeuriteSpark.Result r = NeuriteSpark.fit(df, model, List.of("features"), List.of("label"),
                        NeuriteSpark.TrainingOptions.of(c.epochs, batch).syncEvery(c.syncEvery), driver);
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Double> loss = r.history().get("loss");
                for (int e = 0; e < loss.size(); e++) {
                    out.printf(Locale.ROOT, "epoch %d/%d - loss: %.4f - accuracy: %.4f%n", e + 1, loss.size(), loss.get(e),
                            r.history().get("accuracy").get(e));
                }
                try (Model trained = r.model();
                     Tensor x = driver.tensor(test.images(), test.count(), 784);
                     Tensor y = driver.tensor(test.labels(), test.count())) {
                    trained.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.01f), Metric.ACCURACY);
                    Map<String, Double> result = trained.evaluate(x, y, 1000);
                    out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f); %.2f s per epoch%n",
                            100 * result.get("accuracy"), result.get("loss"), seconds / c.epochs);
                }
            }
        } finally {
            spark.stop();
        }
        out.flush();
        return 0;
        }
}
