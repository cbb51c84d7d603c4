package org.neurite.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.neurite.interop.ModelFiles;
import org.neurite.io.Npy;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code predict --model FILE --input X.npy [--input X2.npy ...] --output Y.npy [--output Y2.npy ...]}: runs a model of
 * any supported format on NumPy arrays, one {@code --input} per model input in the model's order, one {@code --output}
 * per output. Each input's samples may have any shape holding the input's width ({@code (16, 28, 28)} for 784).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a model (.keras, .h5, .onnx, .neurite) on .npy inputs and write its outputs as .npy.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "the model")
    Path model;

    @Option(names = "--input", paramLabel = "X.npy", required = true,
            description = "float32 (or integer) C-order arrays, one per model input, in the model's input order")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "Y.npy", required = true,
            description = "where each model output goes, in the model's output order")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "SPEC", description = "auto (default), cpu, cuda, opencl, ...")
    String backend;

    @Option(names = "--batch-size", paramLabel = "N", description = "rows per forward pass (default 1024)")
    int batchSize = 1024;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Args.atLeast(spec, "--batch-size", batchSize, 1);
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new ParameterException(spec.commandLine(), "--input: " + p + " is not a file");
            }
        }
        for (Path p : outputs) {
            Args.writable(spec, "--output", p);
        }
        try (Backend b = Backends.create(backend != null ? backend : Backends.configuredSpec());
             Model m = ModelFiles.load(model, b)) {
            List<Node> ins = m.inputs();
            if (ins.size() != inputs.size()) {
                throw new ParameterException(spec.commandLine(), "the model has " + ins.size() + " input(s) "
                        + describe(ins) + ", given " + inputs.size() + " --input");
            }
            if (m.outputs().size() != outputs.size()) {
                throw new ParameterException(spec.commandLine(), "the model has " + m.outputs().size() + " output(s) "
                        + describe(m.outputs()) + ", given " + outputs.size() + " --output");
            }
            List<Tensor> xs = new ArrayList<>();
            try {
                int rows = -1;
                for (int i = 0; i < ins.size(); i++) {
                    Npy.Array a = Npy.read(inputs.get(i));
                    int r = a.shape().length == 0 ? 1 : a.shape()[0];
                    int width = r == 0 ? 0 : a.data().length / r;
                    if (a.shape().length == 1 && ins.get(i).features() == 1) {
                        width = 1;
                    }
                    if (width != ins.get(i).features()) {
                        throw new ParameterException(spec.commandLine(), inputs.get(i) + ": shape "
                                + Arrays.toString(a.shape()) + " gives " + width + " values per sample; input '"
                                + ins.get(i).name() + "' takes " + ins.get(i).features());
                    }
                    if (rows >= 0 && r != rows) {
                        throw new ParameterException(spec.commandLine(), inputs.get(i) + " has " + r + " samples, "
                                + inputs.get(0) + " " + rows);
                    }
                    rows = r;
                    xs.add(b.tensor(a.data(), r, width));
                }
                List<float[]> ys = m.predictAll(xs, batchSize);
                for (int k = 0; k < ys.size(); k++) {
                    int width = m.outputs().get(k).features();
                    Npy.write(outputs.get(k), new int[] {rows, width}, ys.get(k));
                    out.printf("%s: (%d, %d) from output '%s'%n", outputs.get(k), rows, width, m.outputs().get(k).name());
                }
            } finally {
                xs.forEach(Tensor::close);
            }
        }
        out.flush();
        return 0;
    }

    private static String describe(List<Node> nodes) {
        List<String> s = new ArrayList<>();
        for (Node n : nodes) {
            s.add(n.name() + " (" + n.features() + ")");
        }
        return s.toString();
    }
}
