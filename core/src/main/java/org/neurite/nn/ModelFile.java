package org.neurite.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.neurite.io.Json;
import org.neurite.io.Safetensors;
import org.neurite.tensor.Backend;
import org.neurite.tensor.LossFunction;
import org.neurite.tensor.Tensor;

/**
 * One file per model: a zip holding {@code model.json} (architecture, loss, metrics, optimizer settings),
 * {@code weights.safetensors}, and {@code optimizer.safetensors} (moments, velocities) so that training
 * resumes where it stopped. Written to a temporary file beside the target and moved into place, so a
 * crash never leaves half a model; loading refuses truncated, corrupt or incompatible files with a
 * message that says which.
 */
final class ModelFile {
    static final String FORMAT = "neurite-model";
    static final int VERSION = 1;

    private ModelFile() {
    }

    static void save(Model model, Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("class", model instanceof Sequential ? "Sequential" : "Model");
        json.put("seed", model.seed());
        json.put("inputs", model.inputs().stream()
                .map(n -> (Object) Map.of("name", n.name(), "features", n.features())).toList());
        List<Object> layers = new ArrayList<>();
        for (Node n : model.nodes()) {
            Map<String, Object> c = n.layer().config();
            if (c == null) {
                throw new IllegalArgumentException("save: layer " + n.name() + " (" + n.layer().getClass().getSimpleName()
                        + ") cannot be saved");
            }
            Map<String, Object> entry = new LinkedHashMap<>(c);
            entry.put("inbound", n.parents().stream().map(Node::name).toList());
            layers.add(entry);
        }
        json.put("layers", layers);
        json.put("outputs", model.outputs().stream().map(Node::name).toList());
        Map<String, Safetensors.Entry> weights = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            weights.put(p.name(), new Safetensors.Entry(p.value().shape().dims(), p.value().toFloatArray()));
        }
        Map<String, Safetensors.Entry> optimizerState = new LinkedHashMap<>();
        if (model.loss() != null) {
            List<Object> losses = new ArrayList<>();
            for (int i = 0; i < model.outputs().size(); i++) {
                LossFunction f = model.loss(i).function();
                losses.add(Map.of("kind", f.kind().name(), "from_logits", f.fromLogits(), "delta", (double) f.delta(),
                        "weight", model.lossWeight(i)));
            }
            json.put("losses", losses);
            json.put("metrics", model.metrics().stream().map(Metric::name).toList());
            Map<String, Object> opt = model.optimizer().config();
            if (opt != null) {
                json.put("optimizer", opt);
                model.optimizer().stateByName().forEach((name, slots) -> {
                    for (int i = 0; i < slots.length; i++) {
                        optimizerState.put(name + "/" + i, new Safetensors.Entry(slots[i].shape().dims(),
                                slots[i].toFloatArray()));
                    }
                });
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, "model.json", Json.write(json).getBytes(StandardCharsets.UTF_8));
                put(zip, "weights.safetensors", Safetensors.write(weights, Map.of("format", "pt")));
                put(zip, "optimizer.safetensors", Safetensors.write(optimizerState, Map.of()));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("save: cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the error above is the one worth reporting
                }
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    @SuppressWarnings("unchecked")
    static Model load(Path file, Backend backend) {
        Map<String, byte[]> entries = readZip(file);
        for (String required : List.of("model.json", "weights.safetensors", "optimizer.safetensors")) {
            if (!entries.containsKey(required)) {
                throw corrupt(file, "it has no " + required + " (entries: " + entries.keySet() + ")");
            }
        }
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) Json.parse(new String(entries.get("model.json"), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw corrupt(file, "model.json is not valid JSON (" + e.getMessage() + ")");
        }
        if (!FORMAT.equals(json.get("format"))) {
            throw corrupt(file, "model.json is not a " + FORMAT + " description");
        }
        int version = ((Number) json.get("version")).intValue();
        if (version > VERSION) {
            throw new IllegalArgumentException("load: " + file + " has format version " + version
                    + "; this Neurite reads up to " + VERSION + ": upgrade Neurite");
        }
        Map<String, Safetensors.Entry> weights = Safetensors.read(entries.get("weights.safetensors"),
                file + "!weights.safetensors");
        Map<String, Safetensors.Entry> state = Safetensors.read(entries.get("optimizer.safetensors"),
                file + "!optimizer.safetensors");
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Node> inputs = new ArrayList<>();
        List<Node> outputs = new ArrayList<>();
        List<Layer> created = new ArrayList<>();
        Map<Normalization, Map<String, Object>> statistics = new HashMap<>();
        try {
            for (Object o : (List<Object>) json.get("inputs")) {
                Map<String, Object> in = (Map<String, Object>) o;
                Node node = Node.input((String) in.get("name"), ((Number) in.get("features")).intValue());
                nodes.put(node.name(), node);
                inputs.add(node);
            }
            for (Object o : (List<Object>) json.get("layers")) {
                Map<String, Object> c = (Map<String, Object>) o;
                Layer layer;
                switch (String.valueOf(c.get("class"))) {
                    case "Dense": layer = Dense.fromConfig(c); break;
                    case "Concatenate": layer = new Concatenate((String) c.get("name")); break;
                    case "Flatten": layer = new Flatten((String) c.get("name")); break;
                    case "Dropout":
                        layer = new Dropout((String) c.get("name"), ((Number) c.get("rate")).floatValue());
                        break;
                    case "ActivationLayer": layer = ActivationLayer.fromConfig(c); break;
                    case "Normalization": {
                        Normalization norm = new Normalization((String) c.get("name"));
                        statistics.put(norm, c);
                        layer = norm;
                        break;
                    }
                    default: throw corrupt(file, "unknown layer class '" + c.get("class") + "'");
                }
                created.add(layer);
                List<Node> inbound = new ArrayList<>();
                for (Object name : (List<Object>) c.get("inbound")) {
                    Node p = nodes.get((String) name);
                    if (p == null) {
                        throw corrupt(file, "layer " + layer.name() + " reads unknown node '" + name + "'");
                    }
                    inbound.add(p);
                }
                nodes.put(layer.name(), layer.apply(inbound.toArray(new Node[0])));
            }
            for (Object name : (List<Object>) json.get("outputs")) {
                Node out = nodes.get((String) name);
                if (out == null) {
                    throw corrupt(file, "unknown output node '" + name + "'");
                }
                outputs.add(out);
            }
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | IllegalStateException e) {
            created.forEach(Layer::close);
            if (e.getMessage() != null && e.getMessage().startsWith("load:")) {
                throw e;
            }
            throw corrupt(file, "the architecture is malformed (" + e.getMessage() + ")");
        }
        long seed = ((Number) json.get("seed")).longValue();
        Model model = "Sequential".equals(json.get("class")) && inputs.size() == 1 && outputs.size() == 1
                ? Sequential.rebuild(backend, seed, outputs.get(0))
                : new Model(backend, seed, inputs, outputs);
        try {
            statistics.forEach((norm, c) -> norm.restore((List<Object>) c.get("mean"), (List<Object>) c.get("variance")));
            for (Parameter p : model.parameters()) {
                Safetensors.Entry e = weights.get(p.name());
                if (e == null || !java.util.Arrays.equals(e.shape(), p.value().shape().dims())) {
                    throw new IllegalArgumentException("load: " + file + " does not fit its architecture: weight '"
                            + p.name() + "' is " + (e == null ? "missing" : java.util.Arrays.toString(e.shape()))
                            + ", the layer needs " + p.value().shape());
                }
                p.value().copyFrom(e.data());
            }
            if (json.containsKey("losses")) {
                List<Loss> losses = new ArrayList<>();
                List<Double> lossWeights = new ArrayList<>();
                for (Object o : (List<Object>) json.get("losses")) {
                    Map<String, Object> l = (Map<String, Object>) o;
                    losses.add(new Loss(new LossFunction(LossFunction.Kind.valueOf((String) l.get("kind")),
                            (Boolean) l.get("from_logits"), ((Number) l.get("delta")).floatValue())));
                    lossWeights.add(((Number) l.get("weight")).doubleValue());
                }
                Metric[] metrics = ((List<Object>) json.get("metrics")).stream().map(m -> Metric.valueOf((String) m))
                        .toArray(Metric[]::new);
                Optimizer optimizer = json.containsKey("optimizer")
                        ? Optimizer.fromConfig((Map<String, Object>) json.get("optimizer")) : new SGD(0.01f);
                model.compile(losses, lossWeights, optimizer, metrics);
                Map<String, List<float[]>> slots = new HashMap<>();
                state.forEach((key, entry) -> slots.computeIfAbsent(key.substring(0, key.lastIndexOf('/')),
                        k -> new ArrayList<>()).add(entry.data()));
                for (Parameter p : model.parameters()) {
                    List<float[]> s = slots.get(p.name());
                    if (s != null) {
                        optimizer.restoreState(p, s.toArray(new float[0][]));
                    }
                }
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("load:")) {
                throw e;
            }
            throw corrupt(file, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Map<String, byte[]> readZip(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                zip.transferTo(buf);
                entries.put(e.getName(), buf.toByteArray());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("load: no model file at " + file, e);
        } catch (ZipException | java.io.EOFException e) {
            throw corrupt(file, "it is truncated or not a zip (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("load: cannot read " + file, e);
        }
        if (entries.isEmpty()) {
            throw corrupt(file, "it is empty, truncated, or not a zip");
        }
        return entries;
    }

    private static IllegalArgumentException corrupt(Path file, String why) {
        return new IllegalArgumentException("load: " + file + " is not a usable Neurite model file: " + why);
    }
}
