package org.neurite.interop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.neurite.io.AtomicFiles;
import org.neurite.nn.ActivationLayer;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.Dropout;
import org.neurite.nn.Flatten;
import org.neurite.nn.Layer;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.nn.Normalization;
import org.neurite.tensor.Activation;

/**
 * A Neurite model as a Keras 3 {@code .keras} file: {@code config.json} (a functional model), {@code metadata.json}
 * and {@code model.weights.h5} written with jhdf, laid out as Keras 3 writes it ({@code layers/<path>/vars/<i>},
 * the path Keras's own snake-case naming of the layer, the {@code vars} group's {@code name} attribute the layer's
 * name). See {@link Keras#save}.
 */
final class KerasExport {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The Keras version whose layout this writes. */
    static final String KERAS_VERSION = "3.15.1";

    private final String source;
    private final ArrayNode layers = F.arrayNode();
    private final Map<Node, String> names = new HashMap<>();
    private final Map<String, Integer> pathCounts = new HashMap<>();
    /** Layer name -> (Keras path, weight arrays in Keras's order: kernel [in][out], bias). */
    private final Map<String, Object[]> weights = new LinkedHashMap<>();

    private KerasExport(String source) {
        this.source = source;
    }

    static void write(Model model, Path file) throws IOException {
        new KerasExport(file.toString()).run(model, file);
    }

    private void run(Model model, Path file) throws IOException {
        for (Node in : model.inputs()) {
            ObjectNode c = F.objectNode();
            c.set("batch_shape", F.arrayNode().addNull().add(in.features()));
            c.put("dtype", "float32").put("sparse", false).put("ragged", false).put("name", in.name())
                    .put("optional", false);
            addLayer("InputLayer", in.name(), c, F.arrayNode(), new Object[0]);
            names.put(in, in.name());
        }
        for (Node n : model.nodes()) {
            if (!n.isInput()) {
                names.put(n, layer(n));
            }
        }
        ObjectNode cfg = F.objectNode();
        cfg.put("name", "neurite_model").put("trainable", true);
        cfg.set("layers", layers);
        cfg.set("input_layers", endpoints(model.inputs()));
        cfg.set("output_layers", endpoints(model.outputs()));
        ObjectNode top = F.objectNode();
        top.put("module", "keras.src.models.functional").put("class_name", "Functional");
        top.set("config", cfg);
        top.putNull("registered_name");
        ObjectNode meta = F.objectNode().put("keras_version", KERAS_VERSION)
                .put("date_saved", java.time.LocalDateTime.now().format(
                        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss", Locale.ROOT)));
        Path h5 = Files.createTempFile("neurite-keras-export", ".h5");
        try {
            writeWeights(h5);
            AtomicFiles.write(file, out -> {
                try (ZipOutputStream zip = new ZipOutputStream(out)) {
                    put(zip, "metadata.json", Keras.JSON.writeValueAsBytes(meta));
                    put(zip, "config.json", Keras.JSON.writeValueAsBytes(top));
                    put(zip, "model.weights.h5", Files.readAllBytes(h5));
                }
            });
        } finally {
            Files.deleteIfExists(h5);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private void writeWeights(Path h5) {
        try (WritableHdfFile f = HdfFile.write(h5)) {
            // Only the groups of layers that have weights. Keras reads a layer without a group as one without
            // variables, and jhdf 0.10 writes a file that neither jhdf nor h5py can read back when an empty group
            // sits beside a non-empty one (which Keras's own layout has: empty vars groups, the model's root vars).
            WritableGroup layerGroup = f.putGroup("layers");
            for (Map.Entry<String, Object[]> e : weights.entrySet()) {
                Object[] w = e.getValue();
                if (w.length < 2) {
                    continue;
                }
                WritableGroup vars = layerGroup.putGroup((String) w[0]).putGroup("vars");
                vars.putAttribute("name", e.getKey());
                for (int i = 1; i < w.length; i++) {
                    vars.putDataset(String.valueOf(i - 1), w[i]);
                }
            }
        }
    }

    private String layer(Node n) {
        Layer l = n.layer();
        String name = n.name();
        List<String> parents = n.parents().stream().map(names::get).toList();
        List<Node> in = n.parents();
        if (l instanceof Dense d) {
            Activation f = d.activation();
            String act = d.softmax() ? "softmax" : kerasActivation(f);
            ObjectNode c = base(name).put("units", d.units()).put("activation", act == null ? "linear" : act)
                    .put("use_bias", d.useBias());
            int inF = d.kernel().value().shape().dim(0);
            float[][] kernel = rows(d.kernel().value().toFloatArray(), inF, d.units());
            Object[] w = d.useBias() ? new Object[] {null, kernel, d.bias().value().toFloatArray()}
                    : new Object[] {null, kernel};
            addLayer("Dense", name, c, parentsOf(in), w);
            ((ObjectNode) layers.get(layers.size() - 1)).set("build_config",
                    F.objectNode().set("input_shape", F.arrayNode().addNull().add(in.get(0).features())));
            if (act == null) {
                // An activation parameter Keras's strings cannot say (leaky slope other than 0.2, ELU alpha other
                // than 1): the layer form after a linear Dense.
                return activationLayer(name + "_activation", f, List.of(name), d.units());
            }
            return name;
        }
        if (l instanceof ActivationLayer a) {
            return activationLayer(name, a.activation(), parents, in.get(0).features());
        }
        if (l instanceof Dropout dr) {
            addLayer("Dropout", name, base(name).put("rate", dr.rate()).putNull("seed").putNull("noise_shape"),
                    parentsOf(in), new Object[0]);
            return name;
        }
        if (l instanceof Flatten) {
            addLayer("Flatten", name, base(name).put("data_format", "channels_last"), parentsOf(in), new Object[0]);
            return name;
        }
        if (l instanceof Concatenate) {
            ObjectNode c = base(name).put("axis", -1);
            ArrayNode tensors = F.arrayNode();
            for (Node p : in) {
                tensors.add(tensor(names.get(p), p.features()));
            }
            addLayerWithArgs("Concatenate", name, c, F.arrayNode().add(tensors), new Object[0]);
            return name;
        }
        if (l instanceof Normalization norm) {
            ArrayNode mean = F.arrayNode();
            ArrayNode variance = F.arrayNode();
            float[] m = norm.mean();
            float[] v = norm.variance();
            for (int j = 0; j < m.length; j++) {
                mean.add(m[j]);
                variance.add(v[j] > 0 ? v[j] : 1f);   // Neurite only centres a constant column; Keras would divide by 1e-7
            }
            ObjectNode c = base(name).put("axis", -1).put("invert", false);
            c.set("mean", mean);
            c.set("variance", variance);
            addLayer("Normalization", name, c, parentsOf(in), new Object[0]);
            return name;
        }
        throw new InteropException(source, "layer '" + name + "' (" + l.getClass().getSimpleName() + ") has no Keras"
                + " counterpart this exporter writes");
    }

    private String activationLayer(String name, Activation f, List<String> parents, int features) {
        String act = kerasActivation(f);
        ArrayNode args = F.arrayNode().add(tensor(parents.get(0), features));
        if (act != null) {
            addLayerWithArgs("Activation", name, base(name).put("activation", act), args, new Object[0]);
        } else if (f.kind() == Activation.Kind.LEAKY_RELU) {
            addLayerWithArgs("LeakyReLU", name, base(name).put("negative_slope", f.alpha()), args, new Object[0]);
        } else if (f.kind() == Activation.Kind.ELU) {
            addLayerWithArgs("ELU", name, base(name).put("alpha", f.alpha()), args, new Object[0]);
        } else {
            throw new InteropException(source, "layer '" + name + "': activation " + f + " has no Keras counterpart");
        }
        return name;
    }

    /** Keras's activation string for {@code f}, or null when only a layer can express it. */
    private static String kerasActivation(Activation f) {
        return switch (f.kind()) {
            case IDENTITY -> "linear";
            case RELU -> "relu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case SELU -> "selu";
            case SOFTPLUS -> "softplus";
            case ELU -> f.alpha() == 1f ? "elu" : null;
            case LEAKY_RELU -> f.alpha() == 0.2f ? "leaky_relu" : null;
            default -> null;
        };
    }

    private ArrayNode parentsOf(List<Node> in) {
        ArrayNode args = F.arrayNode();
        for (Node p : in) {
            args.add(tensor(names.get(p), p.features()));
        }
        return args;
    }

    private static ObjectNode tensor(String layer, int features) {
        ObjectNode c = F.objectNode();
        c.set("shape", F.arrayNode().addNull().add(features));
        c.put("dtype", "float32");
        c.set("keras_history", F.arrayNode().add(layer).add(0).add(0));
        ObjectNode t = F.objectNode().put("class_name", "__keras_tensor__");
        t.set("config", c);
        return t;
    }

    private static ObjectNode base(String name) {
        return F.objectNode().put("name", name).put("trainable", true).put("dtype", "float32");
    }

    private void addLayer(String cls, String name, ObjectNode config, ArrayNode args, Object[] w) {
        addLayerWithArgs(cls, name, config, args, w);
    }

    private void addLayerWithArgs(String cls, String name, ObjectNode config, ArrayNode args, Object[] w) {
        ObjectNode layer = F.objectNode().put("module", "keras.layers").put("class_name", cls);
        layer.set("config", config);
        layer.putNull("registered_name");
        layer.put("name", name);
        ArrayNode inbound = F.arrayNode();
        if (!args.isEmpty()) {
            ObjectNode node = F.objectNode();
            node.set("args", args);
            node.set("kwargs", F.objectNode());
            inbound.add(node);
        }
        layer.set("inbound_nodes", inbound);
        layers.add(layer);
        String snake = snake(cls);
        int k = pathCounts.merge(snake, 1, Integer::sum) - 1;
        String path = k == 0 ? snake : snake + "_" + k;
        Object[] entry = new Object[w.length == 0 ? 1 : w.length];
        entry[0] = path;
        for (int i = 1; i < w.length; i++) {
            entry[i] = w[i];
        }
        weights.put(name, entry);
    }

    /** Keras's to_snake_case: {@code LeakyReLU} -> {@code leaky_re_lu}, {@code InputLayer} -> {@code input_layer}. */
    static String snake(String cls) {
        String s = cls.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return s;
    }

    private ArrayNode endpoints(List<Node> nodes) {
        ArrayNode a = F.arrayNode();
        for (Node n : nodes) {
            a.add(F.arrayNode().add(names.get(n)).add(0).add(0));
        }
        return a;
    }

    private static float[][] rows(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }
}
