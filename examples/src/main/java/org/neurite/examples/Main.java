package org.neurite.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' command line: {@code neurite-examples <command> [options]}; {@code --help} on any command
 * lists its options. Every training command takes {@code --backend}, {@code --epochs}, {@code --batch-size},
 * {@code --learning-rate}, {@code --seed} and {@code --data}, and prints the backend first.
 */
@Command(name = "neurite-examples", mixinStandardHelpOptions = true, version = "Neurite examples 0.1",
        description = "Runnable Neurite examples.",
        subcommands = {FashionMnistCommand.class, RegressionCommand.class, WideDeepCommand.class,
            PerceptronCommand.class, LrFinderCommand.class, CustomLayerCommand.class, SpiralCommand.class, ConvertCommand.class,
            PredictCommand.class, TuneCommand.class, SparkFashionMnistCommand.class, SparkPredictCommand.class,
            BackendsCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * jhdf (HDF5, for Keras files) logs each file it opens at INFO and warns that 0.10.0 is a "development version" at
     * WARNING: only its errors are shown (its failures reach the user as exceptions anyway). Held: JUL keeps weak refs.
     */
    private static final java.util.logging.Logger HDF5_LOG = java.util.logging.Logger.getLogger("io.jhdf");

    static {
        HDF5_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            cmd.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
