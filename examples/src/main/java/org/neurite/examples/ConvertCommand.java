package org.neurite.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.interop.ModelFiles;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code convert IN OUT}: a model from one format to another, by extension (.keras, .h5, .onnx, .neurite). */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model between formats, chosen by extension: .keras, .h5 (read only), .onnx, .neurite.")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the model to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the file to write")
    Path out;

    @Option(names = "--backend", paramLabel = "SPEC", description = "backend the model is loaded on (default: cpu)")
    String backend = "cpu";

    @Override
    public Integer call() {
        if (!Files.isRegularFile(in)) {
            throw new ParameterException(spec.commandLine(), "IN: " + in + " is not a file");
        }
        try {
            ModelFiles.Format.of(in);
            ModelFiles.Format.of(out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Args.writable(spec, "OUT", out);
        try (Backend b = Backends.create(backend); Model m = ModelFiles.load(in, b)) {
            ModelFiles.save(m, out);
            spec.commandLine().getOut().printf("converted %s -> %s (%d inputs, %d outputs, %,d parameters)%n", in, out,
                    m.inputs().size(), m.outputs().size(), m.parameters().stream()
                            .mapToLong(p -> p.value().size()).sum());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
