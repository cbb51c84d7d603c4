package org.neurite.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neurite.interop.KerasWeights.Array;
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
import org.neurite.tensor.Backend;

/**
 * A Keras model's architecture ({@code config.json} of a {@code .keras} file, or the {@code model_config} attribute of
 * a legacy {@code .h5}) turned into a Neurite {@link Model}, with the weights from a {@link KerasWeights}. Sequential
 * and functional models, Keras 3's and Keras 2's node formats. Layers and options Neurite lacks are refused with
 * their names, never approximated.
 */
final class KerasGraph {
    /** The Keras layer classes this importer knows. */
    static final List<String> SUPPORTED = List.of("InputLayer", "Dense", "Activation", "Dropout", "Flatten",
            "Normalization", "Concatenate", "LeakyReLU", "ReLU", "ELU", "Softmax");
    /** Keras activation names and whether Neurite has them (softmax only as a Dense's output). */
    static final List<String> ACTIVATIONS = List.of("linear", "relu", "sigmoid", "tanh", "elu", "selu", "softplus",
            "leaky_relu", "softmax");

    private final String source;
    private final KerasWeights weights;
    private final Map<String, JsonNode> layers = new LinkedHashMap<>();
    private final Map<String, List<Ref>> inbound = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, Value> built = new HashMap<>();
    private final Map<String, Dense> dense = new LinkedHashMap<>();
    private final Map<String, Normalization> norms = new LinkedHashMap<>();
    private final Set<String> building = new HashSet<>();

    /** A layer output a node reads: Keras's {@code keras_history} [layer, node index, tensor index]. */
    private record Ref(String layer, int node, int tensor) {
    }

    /** A built value: the Neurite node and the Keras shape without the batch axis. */
    private record Value(Node node, int[] shape) {
        int features() {
            int f = 1;
            for (int d : shape) {
                f *= d;
            }
            return f;
        }
    }

    private KerasGraph(String source, KerasWeights weights) {
        this.source = source;
        this.weights = weights;
    }

    /** Builds the model described by {@code model} (the top-level object with class_name and config). */
    static Model build(String source, JsonNode model, KerasWeights weights, Backend backend) {
        return new KerasGraph(source, weights).build(model, backend);
    }

    private Model build(JsonNode model, Backend backend) {
        String cls = text(model, "class_name", "the model");
        JsonNode cfg = model.path("config");
        JsonNode list = cfg.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw fail("the model config has no layers");
        }
        List<String> inputNames = new ArrayList<>();
        List<String> outputNames = new ArrayList<>();
        switch (cls) {
            case "Sequential" -> sequential(cfg, list, inputNames, outputNames);
            case "Functional", "Model" -> functional(cfg, list, inputNames, outputNames);
            default -> throw fail("model class '" + cls + "' is not supported (Sequential and functional models are)");
        }
        for (List<Ref> refs : inbound.values()) {
            for (Ref r : refs) {
                consumers.merge(r.layer(), 1, Integer::sum);
            }
        }
        for (String o : outputNames) {
            consumers.merge(o, 1, Integer::sum);
        }
        List<Node> inputs = new ArrayList<>();
        for (String name : inputNames) {
            inputs.add(value(name).node());
        }
        List<Node> outputs = new ArrayList<>();
        for (String name : outputNames) {
            outputs.add(value(name).node());
        }
        for (String name : layers.keySet()) {
            value(name);   // every layer must be supported, even one that no output reads
        }
        Model m = new Model(backend, 42, inputs, outputs);
        try {
            loadWeights();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    private void sequential(JsonNode cfg, JsonNode list, List<String> inputs, List<String> outputs) {
        String previous = null;
        for (JsonNode layer : list) {
            String cls = text(layer, "class_name", "a layer");
            JsonNode lc = layer.path("config");
            String name = text(lc, "name", "a " + cls + " layer");
            if (cls.equals("InputLayer")) {
                if (previous != null) {
                    throw fail("InputLayer '" + name + "' in the middle of a Sequential model");
                }
                add(name, layer, List.of());
                inputs.add(name);
                previous = name;
                continue;
            }
            if (previous == null) {
                // Keras 2 Sequential models without an InputLayer carry the shape on their first layer.
                JsonNode shape = lc.has("batch_input_shape") ? lc.get("batch_input_shape") : lc.path("batch_shape");
                if (!shape.isArray()) {
                    shape = layer.path("build_config").path("input_shape");
                }
                if (!shape.isArray()) {
                    throw fail("the Sequential model's first layer '" + name + "' has no input shape");
                }
                String in = name + "_input";
                add(in, objectNode("InputLayer", in, shape), List.of());
                inputs.add(in);
                previous = in;
            }
            add(name, layer, List.of(new Ref(previous, 0, 0)));
            previous = name;
        }
        outputs.add(previous);
    }

    private static JsonNode objectNode(String cls, String name, JsonNode shape) {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        o.put("class_name", cls);
        o.putObject("config").put("name", name).set("batch_shape", shape);
        return o;
    }

    private void functional(JsonNode cfg, JsonNode list, List<String> inputs, List<String> outputs) {
        for (JsonNode layer : list) {
            String cls = text(layer, "class_name", "a layer");
            String name = layer.has("name") ? layer.get("name").asText() : text(layer.path("config"), "name", "a " + cls);
            JsonNode nodes = layer.path("inbound_nodes");
            if (nodes.size() > 1) {
                throw fail("layer '" + name + "' (" + cls + ") is called " + nodes.size() + " times: shared layers are not"
                        + " supported");
            }
            List<Ref> refs = new ArrayList<>();
            if (nodes.size() == 1) {
                collectRefs(nodes.get(0), refs, name);
            }
            add(name, layer, refs);
        }
        for (Ref r : endpoints(cfg.path("input_layers"), "input_layers")) {
            inputs.add(r.layer());
        }
        for (Ref r : endpoints(cfg.path("output_layers"), "output_layers")) {
            outputs.add(r.layer());
        }
    }

    /** Keras 3: {"args": [tensor or [tensors]], "kwargs": {}}; Keras 2: [[name, node, tensor, {kwargs}], ...]. */
    private void collectRefs(JsonNode node, List<Ref> refs, String layer) {
        if (node.isObject() && node.has("args")) {
            for (JsonNode arg : node.get("args")) {
                collectTensors(arg, refs, layer);
            }
            return;
        }
        if (node.isArray()) {
            for (JsonNode entry : node) {
                if (entry.isArray() && !entry.isEmpty() && entry.get(0).isTextual()) {
                    refs.add(new Ref(entry.get(0).asText(), entry.path(1).asInt(), entry.path(2).asInt()));
                } else {
                    collectTensors(entry, refs, layer);
                }
            }
            return;
        }
        throw fail("layer '" + layer + "': inbound node " + abbreviate(node) + " is not in a known format");
    }

    private void collectTensors(JsonNode arg, List<Ref> refs, String layer) {
        if (arg.isArray()) {
            for (JsonNode a : arg) {
                collectTensors(a, refs, layer);
            }
        } else if (arg.isObject() && "__keras_tensor__".equals(arg.path("class_name").asText())) {
            JsonNode h = arg.path("config").path("keras_history");
            if (!h.isArray() || h.size() < 3) {
                throw fail("layer '" + layer + "': a tensor without keras_history");
            }
            refs.add(new Ref(h.get(0).asText(), h.get(1).asInt(), h.get(2).asInt()));
        } else if (!arg.isNull() && !arg.isValueNode()) {
            throw fail("layer '" + layer + "': argument " + abbreviate(arg) + " is not a tensor");
        }
    }

    private List<Ref> endpoints(JsonNode list, String what) {
        List<Ref> out = new ArrayList<>();
        if (list.isArray() && !list.isEmpty() && list.get(0).isTextual()) {
            out.add(new Ref(list.get(0).asText(), list.path(1).asInt(), list.path(2).asInt()));   // one endpoint
        } else if (list.isArray()) {
            for (JsonNode e : list) {
                out.add(new Ref(e.path(0).asText(), e.path(1).asInt(), e.path(2).asInt()));
            }
        }
        if (out.isEmpty()) {
            throw fail("the model config has no " + what);
        }
        for (Ref r : out) {
            if (!layers.containsKey(r.layer())) {
                throw fail(what + " names '" + r.layer() + "', which is not a layer of the model");
            }
            if (r.node() != 0 || r.tensor() != 0) {
                throw fail(what + " reads node " + r.node() + " tensor " + r.tensor() + " of '" + r.layer()
                        + "': shared layers are not supported");
            }
        }
        return out;
    }

    private void add(String name, JsonNode layer, List<Ref> refs) {
        if (layers.put(name, layer) != null) {
            throw fail("two layers are named '" + name + "'");
        }
        inbound.put(name, refs);
    }

    /** The value of layer {@code name}, building it (and what it reads) on first use. */
    private Value value(String name) {
        Value v = built.get(name);
        if (v != null) {
            return v;
        }
        JsonNode layer = layers.get(name);
        if (layer == null) {
            throw fail("a layer reads '" + name + "', which is not in the model");
        }
        if (!building.add(name)) {
            throw fail("the graph has a cycle through '" + name + "'");
        }
        List<Value> in = new ArrayList<>();
        for (Ref r : inbound.get(name)) {
            if (r.node() != 0 || r.tensor() != 0) {
                throw fail("layer '" + name + "' reads node " + r.node() + " tensor " + r.tensor() + " of '" + r.layer()
                        + "': shared layers and multi-output layers are not supported");
            }
            in.add(value(r.layer()));
        }
        v = make(name, text(layer, "class_name", "layer '" + name + "'"), layer.path("config"), in);
        building.remove(name);
        built.put(name, v);
        return v;
    }

    private Value make(String name, String cls, JsonNode c, List<Value> in) {
        switch (cls) {
            case "InputLayer": {
                JsonNode shape = c.has("batch_shape") ? c.get("batch_shape") : c.path("batch_input_shape");
                if (!shape.isArray() || shape.size() < 2) {
                    throw fail("input '" + name + "' has no shape (batch_shape " + abbreviate(shape) + ")");
                }
                String dtype = c.path("dtype").isTextual() ? c.get("dtype").asText() : "float32";
                if (!dtype.equals("float32")) {
                    throw fail("input '" + name + "' is " + dtype + ": only float32 inputs are supported");
                }
                int[] dims = new int[shape.size() - 1];
                for (int i = 1; i < shape.size(); i++) {
                    if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() < 1) {
                        throw fail("input '" + name + "' has a dimension that is not fixed: " + abbreviate(shape));
                    }
                    dims[i - 1] = shape.get(i).asInt();
                }
                Value v = new Value(null, dims);
                return new Value(Node.input(name, v.features()), dims);
            }
            case "Dense": {
                Value x = single(name, cls, in);
                vector(name, cls, x);
                int units = c.path("units").asInt(-1);
                if (units < 1) {
                    throw fail("Dense '" + name + "': units " + abbreviate(c.path("units")));
                }
                for (String key : List.of("kernel_constraint", "bias_constraint", "activity_regularizer")) {
                    if (c.has(key) && !c.get(key).isNull()) {
                        throw fail("Dense '" + name + "': " + key + " is not supported");
                    }
                }
                if (c.has("quantization_config") && !c.get("quantization_config").isNull()) {
                    throw fail("Dense '" + name + "': quantized layers are not supported");
                }
                String act = activationName(name, c.path("activation"));
                boolean useBias = c.path("use_bias").asBoolean(true);
                if (act.equals("linear") && softmaxConsumer(name) != null) {
                    act = "softmax";   // Dense + Activation('softmax'): Neurite's softmax is Dense's
                }
                Dense d;
                if (act.equals("softmax")) {
                    if (!useBias) {
                        throw fail("Dense '" + name + "': softmax without a bias is not supported");
                    }
                    d = new Dense(units, "softmax");
                } else {
                    d = new Dense(units, activation(name, act), useBias, org.neurite.nn.Initializer.GLOROT_UNIFORM);
                }
                regularizer(name, c.path("kernel_regularizer"), d);
                if (c.has("bias_regularizer") && !c.get("bias_regularizer").isNull()) {
                    throw fail("Dense '" + name + "': bias_regularizer is not supported");
                }
                d.named(name);
                dense.put(name, d);
                return new Value(d.apply(x.node()), new int[] {units});
            }
            case "Activation": {
                Value x = single(name, cls, in);
                String act = activationName(name, c.path("activation"));
                if (act.equals("softmax")) {
                    return fusedSoftmax(name, cls, x);
                }
                if (act.equals("linear")) {
                    return x;
                }
                return apply(new ActivationLayer(activation(name, act)), name, x);
            }
            case "Softmax": {
                Value x = single(name, cls, in);
                int axis = c.path("axis").isArray() ? c.get("axis").path(0).asInt(-1) : c.path("axis").asInt(-1);
                if (axis != -1 && !(axis == 1 && x.shape().length == 1)) {
                    throw fail("Softmax '" + name + "': axis " + axis + " is not supported (the last axis is)");
                }
                return fusedSoftmax(name, cls, x);
            }
            case "LeakyReLU": {
                Value x = single(name, cls, in);
                double slope = c.has("negative_slope") ? c.get("negative_slope").asDouble()
                        : c.has("alpha") ? c.get("alpha").asDouble() : 0.3;
                return apply(new ActivationLayer(Activation.leakyRelu((float) slope)), name, x);
            }
            case "ReLU": {
                Value x = single(name, cls, in);
                if (c.has("max_value") && !c.get("max_value").isNull()) {
                    throw fail("ReLU '" + name + "': max_value is not supported");
                }
                if (c.path("threshold").asDouble(0) != 0) {
                    throw fail("ReLU '" + name + "': threshold " + c.get("threshold") + " is not supported");
                }
                double slope = c.path("negative_slope").asDouble(0);
                return apply(new ActivationLayer(slope == 0 ? Activation.relu() : Activation.leakyRelu((float) slope)),
                        name, x);
            }
            case "ELU": {
                Value x = single(name, cls, in);
                return apply(new ActivationLayer(Activation.elu((float) c.path("alpha").asDouble(1.0))), name, x);
            }
            case "Dropout": {
                Value x = single(name, cls, in);
                if (c.has("noise_shape") && !c.get("noise_shape").isNull()) {
                    throw fail("Dropout '" + name + "': noise_shape is not supported");
                }
                return apply(new Dropout((float) c.path("rate").asDouble()), name, x);
            }
            case "Flatten": {
                Value x = single(name, cls, in);
                String format = c.path("data_format").asText("channels_last");
                if (!format.equals("channels_last") && x.shape().length > 2) {
                    throw fail("Flatten '" + name + "': data_format " + format + " is not supported");
                }
                Flatten f = new Flatten().named(name);
                return new Value(f.apply(x.node()), new int[] {x.features()});
            }
            case "Normalization": {
                Value x = single(name, cls, in);
                vector(name, cls, x);
                JsonNode axis = c.path("axis");
                int a = axis.isArray() ? (axis.size() == 1 ? axis.get(0).asInt() : 99) : axis.asInt(-1);
                if (a != -1 && a != 1) {
                    throw fail("Normalization '" + name + "': axis " + axis + " is not supported (the last axis is)");
                }
                if (c.path("invert").asBoolean(false)) {
                    throw fail("Normalization '" + name + "': invert=True is not supported");
                }
                Normalization n = statistics(name, c, x.features());
                n.named(name);
                norms.put(name, n);
                return new Value(n.apply(x.node()), x.shape());
            }
            case "Concatenate": {
                int axis = c.path("axis").asInt(-1);
                if (in.size() < 2) {
                    throw fail("Concatenate '" + name + "' reads " + in.size() + " tensor(s)");
                }
                for (Value v : in) {
                    vector(name, cls, v);
                }
                if (axis != -1 && axis != 1) {
                    throw fail("Concatenate '" + name + "': axis " + axis + " is not supported (the last axis is)");
                }
                Concatenate cat = new Concatenate().named(name);
                Node[] parents = in.stream().map(Value::node).toArray(Node[]::new);
                int total = in.stream().mapToInt(Value::features).sum();
                return new Value(cat.apply(parents), new int[] {total});
            }
            default:
                throw fail("layer '" + name + "' (" + cls + ") is not supported by Neurite (supported: "
                        + String.join(", ", SUPPORTED) + ")");
        }
    }

    private Value apply(Layer layer, String name, Value x) {
        layer.named(name);
        return new Value(layer.apply(x.node()), x.shape());
    }

    private Value single(String name, String cls, List<Value> in) {
        if (in.size() != 1) {
            throw fail(cls + " '" + name + "' reads " + in.size() + " tensors, not one");
        }
        return in.get(0);
    }

    private void vector(String name, String cls, Value x) {
        if (x.shape().length != 1) {
            throw fail(cls + " '" + name + "' is applied to a tensor of shape (None, " + joined(x.shape()) + "): Neurite"
                    + " applies it to vectors only (add a Flatten before it)");
        }
    }

    /** The Activation('softmax') or Softmax layer reading {@code denseName}, when it is that Dense's only reader. */
    private String softmaxConsumer(String denseName) {
        if (consumers.getOrDefault(denseName, 0) != 1) {
            return null;
        }
        for (Map.Entry<String, List<Ref>> e : inbound.entrySet()) {
            if (e.getValue().size() == 1 && e.getValue().get(0).layer().equals(denseName)) {
                JsonNode l = layers.get(e.getKey());
                String cls = l.path("class_name").asText();
                if (cls.equals("Softmax") || cls.equals("Activation")
                        && "softmax".equals(l.path("config").path("activation").asText())) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private Value fusedSoftmax(String name, String cls, Value x) {
        Layer producer = x.node().layer();
        if (producer instanceof Dense d && d.softmax() && softmaxConsumer(producer.name()) != null) {
            return x;   // the Dense before it was built with the softmax
        }
        throw fail(cls + " '" + name + "' (softmax) is supported only right after a Dense with a linear activation that"
                + " nothing else reads (Neurite's softmax is Dense's output activation)");
    }

    private String activationName(String layer, JsonNode a) {
        if (a.isMissingNode() || a.isNull()) {
            return "linear";
        }
        if (!a.isTextual()) {
            String n = a.path("config").path("name").asText(a.path("class_name").asText(abbreviate(a)));
            throw fail("layer '" + layer + "': activation " + n + " is not supported (supported: "
                    + String.join(", ", ACTIVATIONS) + ")");
        }
        String n = a.asText().toLowerCase(Locale.ROOT);
        if (!ACTIVATIONS.contains(n)) {
            throw fail("layer '" + layer + "': activation '" + a.asText() + "' is not supported (supported: "
                    + String.join(", ", ACTIVATIONS) + ")");
        }
        return n;
    }

    private Activation activation(String layer, String name) {
        return switch (name) {
            case "linear" -> Activation.identity();
            case "relu" -> Activation.relu();
            case "sigmoid" -> Activation.sigmoid();
            case "tanh" -> Activation.tanh();
            case "elu" -> Activation.elu();
            case "selu" -> Activation.selu();
            case "softplus" -> Activation.softplus();
            case "leaky_relu" -> Activation.leakyRelu(0.2f);   // keras.activations.leaky_relu's negative_slope
            default -> throw fail("layer '" + layer + "': activation '" + name + "' is not supported here");
        };
    }

    private void regularizer(String layer, JsonNode r, Dense d) {
        if (r.isMissingNode() || r.isNull()) {
            return;
        }
        String cls = r.path("class_name").asText();
        JsonNode c = r.path("config");
        switch (cls) {
            case "L1" -> d.regularize((float) c.path("l1").asDouble(0.01), 0);
            case "L2" -> d.regularize(0, (float) c.path("l2").asDouble(0.01));
            case "L1L2" -> d.regularize((float) c.path("l1").asDouble(0), (float) c.path("l2").asDouble(0));
            default -> throw fail("Dense '" + layer + "': kernel_regularizer " + cls + " is not supported (L1, L2, L1L2 are)");
        }
    }

    private Normalization statistics(String name, JsonNode c, int features) {
        JsonNode mean = c.path("mean");
        JsonNode variance = c.path("variance");
        if (mean.isNull() || mean.isMissingNode()) {
            List<Array> w = weights.of(name);
            if (w.size() < 2) {
                throw fail("Normalization '" + name + "' has no mean and variance (neither in its config nor among the"
                        + " weights): adapt it before saving");
            }
            float[] m = w.get(0).data();
            float[] v = w.get(1).data();
            if (m.length != features || v.length != features) {
                throw fail("Normalization '" + name + "': statistics for " + m.length + " features, the input has "
                        + features);
            }
            return new Normalization(m, v);
        }
        return new Normalization(broadcast(name, "mean", mean, features), broadcast(name, "variance", variance, features));
    }

    private float[] broadcast(String layer, String key, JsonNode v, int features) {
        float[] out = new float[features];
        if (v.isNumber()) {
            java.util.Arrays.fill(out, (float) v.asDouble());
            return out;
        }
        JsonNode flat = v;
        while (flat.isArray() && flat.size() == 1 && flat.get(0).isArray()) {
            flat = flat.get(0);
        }
        if (!flat.isArray() || flat.size() != features && flat.size() != 1) {
            throw fail("Normalization '" + layer + "': " + key + " " + abbreviate(v) + " does not match " + features
                    + " features");
        }
        for (int i = 0; i < features; i++) {
            out[i] = (float) flat.get(flat.size() == 1 ? 0 : i).asDouble();
        }
        return out;
    }

    private void loadWeights() {
        for (Map.Entry<String, Dense> e : dense.entrySet()) {
            Dense d = e.getValue();
            List<Array> w = weights.of(e.getKey());
            int expected = d.useBias() ? 2 : 1;
            if (w.size() != expected) {
                throw fail("Dense '" + e.getKey() + "' has " + w.size() + " weight arrays in the file, " + expected
                        + " expected (kernel" + (d.useBias() ? ", bias)" : ")"));
            }
            int in = d.kernel().value().shape().dim(0);
            check(e.getKey(), "kernel", w.get(0), in, d.units());
            d.kernel().value().copyFrom(w.get(0).data());
            if (d.useBias()) {
                check(e.getKey(), "bias", w.get(1), d.units());
                d.bias().value().copyFrom(w.get(1).data());
            }
        }
    }

    private void check(String layer, String what, Array a, int... dims) {
        if (!java.util.Arrays.equals(a.shape(), dims)) {
            throw fail("Dense '" + layer + "': the " + what + " in the file is " + java.util.Arrays.toString(a.shape())
                    + ", the architecture needs " + java.util.Arrays.toString(dims));
        }
    }

    private String text(JsonNode n, String field, String what) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw fail(what + " has no '" + field + "'");
        }
        return v.asText();
    }

    private static String joined(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.toString();
    }

    private static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private InteropException fail(String problem) {
        return new InteropException(source, problem);
    }
}
