package org.neurite.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;

/**
 * Keras models in and out. {@link #load} reads Keras 3's native format ({@code .keras}: a zip of
 * {@code config.json}, {@code metadata.json} and {@code model.weights.h5}) and the legacy HDF5 format
 * ({@code model.save("x.h5")}: the architecture in the {@code model_config} attribute, the weights under
 * {@code model_weights}) into a Neurite {@link Model} on any backend, which predicts, trains further (after
 * {@code compile}) and saves like any other. Supported: Sequential and functional models (several inputs and
 * outputs) of {@code InputLayer}, {@code Dense} (linear, relu, sigmoid, tanh, elu, selu, softplus, leaky_relu,
 * softmax), {@code Activation}, {@code LeakyReLU}, {@code ReLU}, {@code ELU}, {@code Softmax}, {@code Dropout},
 * {@code Flatten}, {@code Normalization} and {@code Concatenate}. Anything else is refused with its name and the
 * file. HDF5 is read with jhdf (pure Java).
 *
 * <p>Differs on purpose: inputs of rank above 1 become flat vectors (a {@code (28, 28)} input takes 784 values per
 * sample, in C order, as Keras's {@code Flatten} would give them), so layers other than {@code Flatten} must see
 * vectors; {@code Activation("softmax")} and {@code Softmax} are taken only right after a linear {@code Dense} that
 * nothing else reads (Neurite's softmax is a {@code Dense} output); the optimizer and its state are not imported.
 */
public final class Keras {
    /** The largest {@code config.json} read. */
    static final long MAX_CONFIG_BYTES = 64L << 20;
    /** The largest weights file extracted from a {@code .keras} zip. */
    static final long MAX_WEIGHTS_BYTES = 16L << 30;
    static final ObjectMapper JSON = new ObjectMapper();

    private Keras() {
    }

    /**
     * Loads a {@code .keras} or {@code .h5} file (by its contents, not its name) onto {@code backend}.
     *
     * @throws InteropException naming the file and the problem: an unsupported layer, activation or option, a damaged
     *     file, weights that do not match the architecture
     */
    public static Model load(Path file, Backend backend) {
        String source = file.toString();
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 8);
            if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
                return loadKeras3(file, source, backend);
            }
            if (n == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
                return loadLegacy(file, source, backend);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Keras.load: " + source + ": " + e.getMessage(), e);
        }
        throw new InteropException(source, "neither a .keras zip nor an HDF5 file");
    }

    private static Model loadKeras3(Path file, String source, Backend backend) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode config = parse(source + "!config.json", new String(entry(zip, source, "config.json", MAX_CONFIG_BYTES),
                    StandardCharsets.UTF_8));
            ZipEntry w = zip.getEntry("model.weights.h5");
            if (w == null) {
                throw new InteropException(source, "no model.weights.h5 in the archive");
            }
            Path tmp = Files.createTempFile("neurite-keras", ".h5");
            try {
                try (InputStream in = zip.getInputStream(w)) {
                    copyBounded(in, tmp, MAX_WEIGHTS_BYTES, source + "!model.weights.h5");
                }
                try (HdfFile h5 = new HdfFile(tmp)) {
                    return KerasGraph.build(source, config, KerasWeights.keras3(source, h5), backend);
                } catch (InteropException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new InteropException(source, "model.weights.h5 cannot be read: " + e, e);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (java.util.zip.ZipException e) {
            throw new InteropException(source, "a damaged zip: " + e.getMessage(), e);
        }
    }

    private static Model loadLegacy(Path file, String source, Backend backend) {
        try (HdfFile h5 = new HdfFile(file)) {
            Attribute config = h5.getAttribute("model_config");
            if (config == null) {
                throw new InteropException(source, "no model_config attribute: a weights-only file (save the whole model)");
            }
            Object data = config.getData();
            String json = data instanceof String s ? s : data instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                    : String.valueOf(data);
            if (!(h5.getChild("model_weights") instanceof Group weights)) {
                throw new InteropException(source, "no model_weights group");
            }
            return KerasGraph.build(source, parse(source + "!model_config", json), KerasWeights.legacy(source, weights),
                    backend);
        } catch (InteropException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InteropException(source, "cannot be read as Keras HDF5: " + e, e);
        }
    }

    /**
     * Writes {@code model} as a Keras 3 {@code .keras} file that {@code keras.saving.load_model} opens (a functional
     * model; weights through jhdf, in Keras 3.15's layout), atomically. The optimizer is not written: compile it in
     * Keras. Activations Keras's strings cannot name (a leaky ReLU slope other than 0.2, an ELU alpha other than 1)
     * become a {@code LeakyReLU} or {@code ELU} layer after the {@code Dense}; a {@code Normalization}'s constant
     * features are written with variance 1 (Neurite only centres them).
     *
     * @throws InteropException naming a layer or activation Keras has no counterpart for (heaviside, sign, user layers)
     */
    public static void save(Model model, Path file) {
        try {
            KerasExport.write(model, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Keras.save: " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode parse(String source, String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InteropException(source, "bad JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] entry(ZipFile zip, String source, String name, long cap) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new InteropException(source, "no " + name + " in the archive (not a Keras 3 .keras file)");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
            if (b.length > cap) {
                throw new InteropException(source, name + " is larger than " + cap + " bytes");
            }
            return b;
        }
    }

    private static void copyBounded(InputStream in, Path to, long cap, String source) throws IOException {
        try (var out = Files.newOutputStream(to, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0;) {
                total += n;
                if (total > cap) {
                    throw new InteropException(source, "larger than " + cap + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
    }
}
