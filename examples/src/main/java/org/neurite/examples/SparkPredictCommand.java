package org.neurite.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a Parquet directory with a model (any format ModelFiles reads) on Spark; writes Parquet with a new column. */
@Command(name = "spark-predict", mixinStandardHelpOptions = true,
        description = "Score a Parquet directory with a model on Spark and write the rows with a prediction column.")
final class SparkPredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = ".neurite, .keras, .h5 or .onnx")
    Path model;

    @Option(names = "--input", paramLabel = "DIR", required = true, description = "Parquet input")
    String input;

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "Parquet output (replaced)")
    String output;

    @Option(names = "--features", paramLabel = "COL", description = "the features column (default features)")
    String features = "features";

    @Option(names = "--prediction", paramLabel = "COL", description = "the new column (default prediction)")
    String prediction = "prediction";

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*])")
    String master = "local[*]";

    @Override
    public Integer call() {
        SparkCheck.require(spec);
        return SparkPredictJob.run(this);
    }
}
