package org.neurite.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * One check per kind of option, run when picocli sets the option (so a bad value is refused before any work,
 * with exit status 2 and the usage): counts that must be at least some minimum, rates that must be positive,
 * and output files that must be writable (checked before training, so that a long run is not lost to a
 * typo in {@code --save}).
 */
final class Args {
    private Args() {
    }

    static int atLeast(CommandSpec spec, String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static float positive(CommandSpec spec, String option, float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a positive number, got " + value);
        }
        return value;
    }

    /** {@code file} can be created or replaced: its nearest existing ancestor is a writable directory. */
    static Path writable(CommandSpec spec, String option, Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new ParameterException(spec.commandLine(), option + ": " + file + " is a directory, not a file");
        }
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new ParameterException(spec.commandLine(), option + ": " + file + " exists and is not writable");
        }
        Path dir = abs.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": cannot write " + file + " ("
                    + (dir == null ? "no parent directory" : dir + (Files.isDirectory(dir) ? " is not writable"
                    : " is not a directory")) + ")");
        }
        return file;
    }

    /** Checks the output files of a command before its work starts: each must be writable. */
    static void outputs(CommandSpec spec, Object... optionAndPath) {
        for (int i = 0; i < optionAndPath.length; i += 2) {
            if (optionAndPath[i + 1] != null) {
                writable(spec, (String) optionAndPath[i], (Path) optionAndPath[i + 1]);
            }
        }
    }

    /** Exit status 1 with a message when training diverged: a NaN model is neither a success nor saved. */
    static boolean diverged(CommandSpec spec, org.neurite.nn.History h) {
        if (h.nonFiniteLossEpoch() < 0) {
            return false;
        }
        spec.commandLine().getErr().println("error: training diverged: the loss became " + h.get("loss")
                .get(h.nonFiniteLossEpoch()) + " in epoch " + (h.nonFiniteLossEpoch() + 1)
                + " (try a smaller --learning-rate); nothing was saved");
        spec.commandLine().getErr().flush();
        return true;
    }
}
