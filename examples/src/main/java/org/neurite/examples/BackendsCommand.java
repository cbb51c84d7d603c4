package org.neurite.examples;

import org.neurite.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the backend table: what is available here, and why not. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the backends and why each is or is not available.")
final class BackendsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(Backends.describe());
        spec.commandLine().getOut().flush();
    }
}
