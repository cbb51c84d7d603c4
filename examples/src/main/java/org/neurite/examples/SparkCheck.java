package org.neurite.examples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The spark-* commands need Spark on the class path, which the examples jar leaves out (Spark is "provided", as on a
 * cluster); their Spark code sits in separate classes, loaded only after this check, so that the other commands
 * never need Spark.
 */
final class SparkCheck {
    private SparkCheck() {
    }

    static void require(CommandSpec spec) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ParameterException(spec.commandLine(), spec.name() + " needs Spark on the class path: run it with"
                    + " examples/run.sh (which adds Maven's copy) or spark-submit");
        }
    }
}
