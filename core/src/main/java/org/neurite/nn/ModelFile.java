package org.neurite.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.neurite.internal.Json;
import org.neurite.io.AtomicFiles;
import org.neurite.io.Safetensors;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Shape;
import org.neurite.tensor.LossFunction;

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
        byte[][] c = contents(model);
        writeDurably(file, zip -> write(zip, c));
    }

    /** model.json, weights.safetensors and optimizer.safetensors of {@code model}. */
    private static byte[][] contents(Model model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("class", model instanceof Sequential ? "Sequential" : "Model");
        json.put("seed", model.seed());
        json.put("inputs", model.inputs().stream()
                .map(n -> (Object) Map.of("name", n.name(), "features", n.features())).toList());
        List<Object> layers = new ArrayList<>();
        checkSaveable(model, "save");
        for (Node n : model.nodes()) {
            Map<String, Object> c = n.layer().config();
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
                losses.add(f == null ? Map.of("custom", model.loss(i).customName(), "weight", model.lossWeight(i))
                        : Map.of("kind", f.kind().name(), "from_logits", f.fromLogits(), "delta", (double) f.delta(),
                        "weight", model.lossWeight(i)));
            }
            json.put("losses", losses);
            json.put("metrics", model.metrics().stream().map(Metrics::nameOf).toList());
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
        return new byte[][] {Json.write(json).getBytes(StandardCharsets.UTF_8),
            Safetensors.write(weights, Map.of("format", "pt")), Safetensors.write(optimizerState, Map.of())};
    }

    static void save(Model model, OutputStream out) {
        byte[][] c = contents(model);
        try {
            ZipOutputStream zip = new ZipOutputStream(new java.io.FilterOutputStream(out) {
                @Override
                public void close() throws IOException {
                    flush();   // the caller's stream stays open
                }
            });
            write(zip, c);
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("save: cannot write the model to the stream: " + e, e);
        }
    }

    private static void write(ZipOutputStream zip, byte[][] c) throws IOException {
        put(zip, "model.json", c[0]);
        put(zip, "weights.safetensors", c[1]);
        put(zip, "optimizer.safetensors", c[2]);
    }

    static Model load(InputStream in, Backend backend) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("neurite-model", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                return load(tmp, backend);
            } catch (ModelFileException e) {
                throw new ModelFileException(STREAM, e.getMessage().substring(("load: " + tmp + ": ").length()),
                        e.getCause());
            }
        } catch (IOException e) {
            throw new ModelFileException(STREAM, "cannot read it (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file the OS will clean
                }
            }
        }
    }

    private static final Path STREAM = Path.of("<stream>");

    /** Refuses a model holding a layer that cannot be saved, naming it and the remedy. */
    static void checkSaveable(Model model, String op) {
        for (Node n : model.nodes()) {
            String why = LayerRegistry.unsaveable(n.layer());
            if (why != null) {
                throw new IllegalArgumentException(op + ": " + why);
            }
        }
    }

    interface ZipWriter {
        void write(ZipOutputStream zip) throws IOException;
    }

    /** Writes the zip through {@link AtomicFiles}: atomic and durable, stale temporaries of killed saves removed. */
    static void writeDurably(Path file, ZipWriter content) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                content.write(zip);
                zip.finish();
                zip.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("save: cannot write " + file + ": " + e, e);
        }
    }

    static final String TEMP_SUFFIX = AtomicFiles.TEMP_SUFFIX;

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** The entries a model file has, in the order they are written; anything else is refused. */
    static final List<String> ENTRIES = List.of("model.json", "weights.safetensors", "optimizer.safetensors");
    /** The architecture is small: 16 MiB is far past any model's description. */
    static final long MAX_JSON = 16L << 20;
    /** A safetensors header beyond its values: a few hundred bytes per tensor; 16 MiB bounds it. */
    static final long MAX_HEADER = 16L << 20;
    /** The most optimizer slots per parameter (Adam's m and v, Nadam's, ...). */
    static final int MAX_SLOTS = 4;

    /**
     * Reads a model, checking everything before allocating on the device: only the three entries of the format,
     * each inflated up to a cap derived from the architecture (so a zip bomb costs at most what a genuine file of
     * that architecture would); strict JSON and typed settings; the architecture's parameter count against the
     * weights present. Every problem with the file is a {@link ModelFileException}.
     */
    static Model load(Path file, Backend backend) {
        try (ZipFile zip = open(file)) {
            Map<String, ZipEntry> entries = entries(zip, file);
            Config json;
            try {
                json = new Config(Json.parse(read(zip, entries.get("model.json"), MAX_JSON, file)), "model.json");
            } catch (ModelFileException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "model.json is not valid JSON (" + e.getMessage() + ")");
            }
            return load(file, backend, zip, entries, json);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot read it (" + e + ")", e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFileException(file, "no model file there");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "not a regular file");
        }
        try {
            return new ZipFile(file.toFile(), ZipFile.OPEN_READ, StandardCharsets.UTF_8);
        } catch (ZipException | IllegalArgumentException e) {
            throw corrupt(file, "it is truncated or not a zip (" + e.getMessage() + ")");
        }
    }

    private static Map<String, ZipEntry> entries(ZipFile zip, Path file) {
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        try {
            java.util.Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (!ENTRIES.contains(e.getName())) {
                    throw corrupt(file, "unexpected entry '" + e.getName() + "' (a model file holds only " + ENTRIES + ")");
                }
                if (entries.put(e.getName(), e) != null) {
                    throw corrupt(file, "entry '" + e.getName() + "' appears twice");
                }
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFileException) {
                throw e;
            }
            throw corrupt(file, "an entry name is not valid UTF-8 (" + e.getMessage() + ")");
        }
        for (String required : ENTRIES) {
            if (!entries.containsKey(required)) {
                throw corrupt(file, "it has no " + required + " (entries: " + entries.keySet() + ")");
            }
        }
        return entries;
    }

    /** An entry's bytes, refusing it as soon as it inflates past {@code cap}. */
    private static byte[] read(ZipFile zip, ZipEntry entry, long cap, Path file) throws IOException {
        long expected = Math.min(Math.max(entry.getSize(), 0), Math.min(cap, 1 << 20));
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) expected + 16);
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                crc.update(chunk, 0, n);
                if (total > cap) {
                    throw corrupt(file, entry.getName() + " inflates past " + cap
                            + " bytes, more than its architecture can need");
                }
                out.write(chunk, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw corrupt(file, entry.getName() + " is truncated or damaged (" + e.getMessage() + ")");
        }
        // ZipFile does not check the CRC: a flipped byte of a stored entry would otherwise load as a changed weight.
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw corrupt(file, entry.getName() + " fails its CRC-32 check: the file is damaged");
        }
        if (entry.getSize() != -1 && total != entry.getSize()) {
            throw corrupt(file, entry.getName() + " holds " + total + " bytes, its directory entry says " + entry.getSize());
        }
        return out.toByteArray();
    }

    private static Model load(Path file, Backend backend, ZipFile zip, Map<String, ZipEntry> entries, Config json)
            throws IOException {
        List<Layer> created = new ArrayList<>();
        Map<Normalization, Config> statistics = new HashMap<>();
        List<Node> inputs = new ArrayList<>();
        List<Node> outputs = new ArrayList<>();
        long seed;
        long planned = 0;
        try {
            if (!FORMAT.equals(json.has("format") ? json.string("format") : null)) {
                throw corrupt(file, "model.json is not a " + FORMAT + " description");
            }
            long version = json.integer("version", 1, Integer.MAX_VALUE);
            if (version > VERSION) {
                throw new ModelFileException(file, "it has format version " + version + "; this Neurite reads up to "
                        + VERSION + ": upgrade Neurite");
            }
            seed = json.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
            Map<String, Node> nodes = new LinkedHashMap<>();
            for (Config in : json.objects("inputs", "inputs")) {
                Node node = Node.input(in.string("name"), in.integer("features", 1, Integer.MAX_VALUE));
                if (nodes.put(node.name(), node) != null) {
                    throw corrupt(file, "two nodes are named '" + node.name() + "'");
                }
                inputs.add(node);
            }
            for (Config c : json.objects("layers", "layers")) {
                Layer layer = layer(c, statistics, file);
                created.add(layer);
                List<Node> inbound = new ArrayList<>();
                for (String name : c.strings("inbound")) {
                    Node p = nodes.get(name);
                    if (p == null) {
                        throw corrupt(file, "layer " + layer.name() + " reads unknown node '" + name + "'");
                    }
                    inbound.add(p);
                }
                if (nodes.containsKey(layer.name())) {
                    throw corrupt(file, "two nodes are named '" + layer.name() + "'");
                }
                Node node = layer.apply(inbound.toArray(new Node[0]));
                long count = layer.plannedParameterCount(inbound.stream().mapToInt(Node::features).toArray());
                planned = planned < 0 || count < 0 ? -1 : Math.addExact(planned, count);
                nodes.put(layer.name(), node);
            }
            for (String name : json.strings("outputs")) {
                Node out = nodes.get(name);
                if (out == null) {
                    throw corrupt(file, "unknown output node '" + name + "'");
                }
                outputs.add(out);
            }
        } catch (ModelFileException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw corrupt(file, "the architecture is malformed: " + e.getMessage());
        }
        // The weights present bound what we allocate: refuse an architecture they cannot fill before building it.
        // (A user layer's weights are known only once built: with one, the caps are what a tensor can hold.)
        long weightCap = planned < 0 ? 8 + MAX_HEADER + 4L * Shape.MAX_SIZE
                : 8 + MAX_HEADER + 4 * Math.min(planned, Long.MAX_VALUE / 64);
        Map<String, Safetensors.Entry> weights = safetensors(zip, entries, "weights.safetensors", weightCap, file);
        long present = 0;
        for (Safetensors.Entry e : weights.values()) {
            present += e.data().length;
        }
        if (planned >= 0 && present != planned) {
            throw new ModelFileException(file, "does not fit its architecture: the layers need " + planned
                    + " weights, the file holds " + present);
        }
        Map<String, Safetensors.Entry> state = safetensors(zip, entries, "optimizer.safetensors",
                8 + MAX_HEADER + 4L * MAX_SLOTS * (planned < 0 ? present : planned), file);
        Model model;
        try {
            model = "Sequential".equals(json.has("class") ? json.string("class") : null) && inputs.size() == 1
                    && outputs.size() == 1
                    ? Sequential.rebuild(backend, seed, outputs.get(0))
                    : new Model(backend, seed, inputs, outputs);
        } catch (IllegalArgumentException e) {
            created.forEach(Layer::close);
            throw corrupt(file, "the architecture is malformed: " + e.getMessage());
        }
        try {
            for (Map.Entry<Normalization, Config> e : statistics.entrySet()) {
                e.getKey().restore(e.getValue());
            }
            for (Parameter p : model.parameters()) {
                Safetensors.Entry e = weights.get(p.name());
                if (e == null || !java.util.Arrays.equals(e.shape(), p.value().shape().dims())) {
                    throw new ModelFileException(file, "does not fit its architecture: weight '"
                            + p.name() + "' is " + (e == null ? "missing" : java.util.Arrays.toString(e.shape()))
                            + ", the layer needs " + p.value().shape());
                }
                p.value().copyFrom(e.data());
            }
            if (json.has("losses")) {
                compile(model, json, state, file);
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            if (e instanceof ModelFileException) {
                throw e;
            }
            if (e instanceof IllegalArgumentException) {
                throw corrupt(file, e.getMessage());
            }
            throw e;
        }
    }

    private static Layer layer(Config c, Map<Normalization, Config> statistics, Path file) {
        Layer layer;
        try {
            layer = LayerRegistry.create(c);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | NullPointerException e) {
            throw corrupt(file, e.getMessage() == null ? c.where() + ": " + e : e.getMessage());
        }
        if (layer instanceof Normalization) {
            statistics.put((Normalization) layer, c);
        }
        return layer;
    }

    private static Map<String, Safetensors.Entry> safetensors(ZipFile zip, Map<String, ZipEntry> entries, String name,
                                                              long cap, Path file) throws IOException {
        byte[] bytes = read(zip, entries.get(name), cap, file);
        try {
            return Safetensors.read(bytes, name);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static void compile(Model model, Config json, Map<String, Safetensors.Entry> state, Path file) {
        List<Loss> losses = new ArrayList<>();
        List<Double> lossWeights = new ArrayList<>();
        for (Config l : json.objects("losses", "losses")) {
            if (l.has("custom")) {
                Loss custom = Loss.registered(l.string("custom"));
                if (custom == null) {
                    throw corrupt(file, l.where() + ": custom loss '" + l.string("custom") + "' is not registered "
                            + "(Loss.register before loading)");
                }
                losses.add(custom);
                lossWeights.add(l.number("weight"));
                continue;
            }
            losses.add(new Loss(new LossFunction(l.enumValue("kind", LossFunction.Kind.class), l.bool("from_logits"),
                    l.floatNumber("delta"))));
            lossWeights.add(l.number("weight"));
        }
        List<Metric> metrics = new ArrayList<>();
        for (String m : json.strings("metrics")) {
            Metric metric = Metrics.byName(m);
            if (metric == null) {
                throw corrupt(file, "model.json: unknown metric '" + m + "' (a custom one must be registered with "
                        + "Metrics.register before loading)");
            }
            metrics.add(metric);
        }
        Optimizer optimizer = json.has("optimizer") ? Optimizer.fromConfig(json.object("optimizer")) : new SGD(0.01f);
        model.compile(losses, lossWeights, optimizer, metrics.toArray(new Metric[0]));
        // Slots are saved as <parameter>/<index>: restore them by index, whatever order the file lists them in.
        Map<String, Parameter> byName = new LinkedHashMap<>();
        model.parameters().forEach(p -> byName.put(p.name(), p));
        Map<String, java.util.TreeMap<Integer, float[]>> slots = new LinkedHashMap<>();
        for (Map.Entry<String, Safetensors.Entry> e : state.entrySet()) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            Parameter p = slash < 0 ? null : byName.get(key.substring(0, slash));
            int index;
            try {
                index = slash < 0 ? -1 : Integer.parseInt(key.substring(slash + 1));
            } catch (NumberFormatException ex) {
                index = -1;
            }
            if (p == null || index < 0 || index >= MAX_SLOTS) {
                throw corrupt(file, "optimizer.safetensors: entry '" + key + "' names no parameter slot of this model");
            }
            if (!java.util.Arrays.equals(e.getValue().shape(), p.value().shape().dims())) {
                throw corrupt(file, "optimizer.safetensors: '" + key + "' is " + java.util.Arrays.toString(
                        e.getValue().shape()) + ", its parameter is " + p.value().shape());
            }
            slots.computeIfAbsent(p.name(), k -> new java.util.TreeMap<>()).put(index, e.getValue().data());
        }
        for (Map.Entry<String, java.util.TreeMap<Integer, float[]>> e : slots.entrySet()) {
            java.util.TreeMap<Integer, float[]> s = e.getValue();
            if (s.firstKey() != 0 || s.lastKey() != s.size() - 1) {
                throw corrupt(file, "optimizer.safetensors: the slots of '" + e.getKey() + "' are " + s.keySet()
                        + ", not 0.." + (s.size() - 1));
            }
            optimizer.restoreState(byName.get(e.getKey()), s.values().toArray(new float[0][]));
        }
    }

    private static ModelFileException corrupt(Path file, String why) {
        return new ModelFileException(file, "not a usable Neurite model file: " + why);
    }
}
