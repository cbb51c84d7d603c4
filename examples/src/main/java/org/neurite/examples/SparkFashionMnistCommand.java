package org.neurite.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The textbook Fashion-MNIST MLP trained data-parallel on Spark: the images in a DataFrame ({@code array<float>}
 * features, label), one barrier task per partition, gradients averaged every step through a ring all-reduce (or
 * parameters every {@code --sync-every} steps). The global batch is 32 as in the book: 32 / workers per worker.
 */
@Command(name = "spark-fashion-mnist", mixinStandardHelpOptions = true,
        description = "Train the textbook MLP on Fashion-MNIST data-parallel on Spark and report the test accuracy.")
final class SparkFashionMnistCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[2]); under spark-submit,"
            + " the submitted one")
    String master = "local[2]";

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default 3)")
    int epochs = 3;

    @Option(names = "--sync-every", paramLabel = "N", description = "1 (default): average gradients every step;"
            + " N > 1: average parameters every N steps")
    int syncEvery = 1;

    @Option(names = "--backend", paramLabel = "SPEC", description = "the executors' backend (spark.neurite.backend;"
            + " default auto)")
    String backend = "auto";

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST's IDX files (default: Debian's package)")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training images")
    int limit = -1;

    @Override
    public Integer call() throws IOException {
        SparkCheck.require(spec);
        return SparkFashionMnistJob.run(this);
    }
}
