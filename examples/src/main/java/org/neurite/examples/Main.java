package org.neurite.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

/**
 * The examples' command line: {@code neurite-examples <command> [--flag value]...}.
 *
 * <pre>
 *   spiral     train an MLP on the three-arm spiral with the raw kernels (the README's main job)
 *   backends   print the backend table: what is available here, and why not
 * </pre>
 * Flags: {@code --backend SPEC} (default: {@code -Dneurite.backend}, {@code NEURITE_BACKEND}, else auto),
 * {@code --epochs}, {@code --batch-size}, {@code --learning-rate}, {@code --hidden}, {@code --points},
 * {@code --seed}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> flags;
        try {
            flags = flags(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            switch (args[0]) {
                case "backends":
                    out.print(Backends.describe());
                    return 0;
                case "spiral":
                    return spiral(flags, out);
                default:
                    err.println("error: unknown command '" + args[0] + "'");
                    err.println(usage());
                    return 2;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int spiral(Map<String, String> flags, PrintStream out) {
        Spiral.Options d = Spiral.Options.defaults();
        Spiral.Options o = new Spiral.Options(intFlag(flags, "points", d.pointsPerClass()),
                intFlag(flags, "hidden", d.hidden()), intFlag(flags, "epochs", d.epochs()),
                intFlag(flags, "batch-size", d.batchSize()),
                Float.parseFloat(flags.getOrDefault("learning-rate", Float.toString(d.learningRate()))),
                Long.parseLong(flags.getOrDefault("seed", Long.toString(d.seed()))));
        String spec = backendSpec(flags);
        flags.keySet().removeAll(List.of("points", "hidden", "epochs", "batch-size", "learning-rate", "seed", "backend"));
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("spiral: unknown flags " + flags.keySet());
        }
        try (Backend backend = Backends.create(spec)) {
            out.println("backend: " + backend.device());
            out.printf(Locale.ROOT, "spiral: %d points, 3 classes, MLP 2-%d-3, %d epochs, batch %d, Adam lr %s%n",
                    3 * o.pointsPerClass(), o.hidden(), o.epochs(), o.batchSize(), o.learningRate());
            long start = System.nanoTime();
            Spiral.Result r = Spiral.train(backend, o, out);
            out.printf(Locale.ROOT, "training accuracy %.1f%%, final loss %.4f, %.1f s; device memory %d bytes after "
                    + "epoch 1, %d at the end%n", 100 * r.accuracy(), r.finalLoss(), (System.nanoTime() - start) / 1e9,
                    r.liveBytesAfterFirstEpoch(), r.liveBytesAtEnd());
        }
        return 0;
    }

    private static String backendSpec(Map<String, String> flags) {
        String spec = flags.get("backend");
        return spec != null ? spec : Backends.configuredSpec();
    }

    private static int intFlag(Map<String, String> flags, String name, int fallback) {
        String v = flags.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + v + "'");
        }
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < rest.size()) {
                value = rest.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            flags.put(name, value);
        }
        return flags;
    }

    static String usage() {
        return "usage: neurite-examples <spiral|backends> [--backend SPEC] [--epochs N] [--batch-size N]\n"
                + "                        [--learning-rate X] [--hidden N] [--points N] [--seed N]\n"
                + "  backend SPEC: auto (default), cpu, cpu:threads=1, cpu:scalar, cuda, opencl, or a list: cuda,cpu";
    }
}
