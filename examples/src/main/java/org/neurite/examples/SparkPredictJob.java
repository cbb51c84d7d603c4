package org.neurite.examples;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.neurite.interop.ModelFiles;
import org.neurite.nn.Model;
import org.neurite.spark.NeuriteSpark;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

/** The Spark side of {@link SparkPredictCommand}, loaded only when Spark is on the class path. */
final class SparkPredictJob {
    private SparkPredictJob() {
    }

    static int run(SparkPredictCommand c) {
        PrintWriter out = c.spec.commandLine().getOut();
        SparkSession.Builder b = SparkSession.builder().appName("neurite-predict").config("spark.ui.enabled", "false");
        if (System.getProperty("spark.master") == null) {
            b.master(c.master);
        }
        SparkSession spark = b.getOrCreate();
        try (Backend driver = Backends.create("cpu"); Model m = ModelFiles.load(c.model, driver)) {
            Dataset<Row> df = spark.read().parquet(c.input);
            Dataset<Row> scored = NeuriteSpark.predict(df, m, List.of(c.features), c.prediction);
            scored.write().mode(SaveMode.Overwrite).parquet(c.output);
            out.printf("scored %d rows of %s into %s (column %s)%n", spark.read().parquet(c.output).count(), c.input, c.output,
                    c.prediction);
        } finally {
            spark.stop();
        }
        out.flush();
        return 0;
        }
}
