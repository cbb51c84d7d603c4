package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.cpu.CpuBackend;
import org.neurite.io.Safetensors;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Tensor;

/**
 * Model files as a hostile or careless user hands them over: truncated at every offset, bytes flipped at random,
 * and crafted zips, JSON and safetensors headers (oversized, negative, overflowing, duplicated, deeply nested).
 * Loading must return a model or throw {@link ModelFileException} naming the file, nothing else, in bounded time
 * and memory: Surefire runs this class in a JVM of 64 MiB of heap (the {@code model-file-fuzz} execution), so
 * an allocation sized by the file's claims rather than its contents fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelFileFuzzIT {
    private Backend backend;
    private byte[] good;
    private Map<String, byte[]> entries;
    @TempDir
    Path dir;

    @BeforeAll
    void saveASmallModel() throws IOException {
        backend = CpuBackend.builder().threads(1).build();
        Normalization norm = new Normalization();
        try (Sequential m = new Sequential(backend, 4, 7, norm, new Dense(5, "relu"), new Dense(3, "softmax"))) {
            m.compile(Loss.sparseCategoricalCrossEntropy(), new Adam(0.01f), Metric.ACCURACY);
            SplittableRandom r = new SplittableRandom(3);
            float[] x = new float[40];
            float[] y = new float[10];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(3);
            }
            try (Tensor tx = backend.tensor(x, 10, 4); Tensor ty = backend.tensor(y, 10)) {
                norm.adapt(tx);
                m.fit(tx, ty, FitOptions.epochs(2).batchSize(4));
            }
            Path file = Files.createTempDirectory("fuzz").resolve("m.neurite");
            m.save(file);
            good = Files.readAllBytes(file);
        }
        entries = unzip(good);
        assertEquals(ModelFile.ENTRIES, List.copyOf(entries.keySet()));
    }

    @AfterAll
    void close() {
        backend.close();
    }

    @Test
    void truncatedAtEveryOffsetIsRefused() throws IOException {
        long live = backend.liveBytes();
        Path f = dir.resolve("cut.neurite");
        for (int n = 0; n < good.length; n++) {
            Files.write(f, java.util.Arrays.copyOf(good, n));
            refused(f, "");
        }
        assertEquals(live, backend.liveBytes(), "refused loads leaked device memory");
    }

    @Test
    void flippedBytesLoadOrAreRefused() throws IOException {
        SplittableRandom r = new SplittableRandom(2026);
        Path f = dir.resolve("flipped.neurite");
        long live = backend.liveBytes();
        int loaded = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] b = good.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            Files.write(f, b);
            loaded += loadsOrRefuses(f) ? 1 : 0;
        }
        // Flips in the zip's timestamps, comments or alignment are harmless; a flip in any entry's data fails
        // its CRC, so most trials must be refused.
        assertTrue(loaded < 1500, loaded + " of 3000 damaged files loaded");
        assertEquals(live, backend.liveBytes(), "refused loads leaked device memory");
    }

    @Test
    void craftedZipsAreRefused() throws IOException {
        // A zip bomb: 256 MiB of zeros deflate to about 256 KiB; the heap here is 64 MiB.
        byte[] zeros = new byte[1 << 20];
        refused(write("bomb.neurite", zip(entries, "weights.safetensors", zeros, 256)), "inflates past");
        refused(write("bomb2.neurite", zip(with("junk.bin", zeros), "junk.bin", zeros, 256)), "unexpected entry 'junk.bin'");
        // The same name twice: written under another name, then renamed in both headers.
        Map<String, byte[]> twice = with("model.jsoX", entries.get("model.json"));
        byte[] dup = replaceAll(zip(twice, null, null, 0), "model.jsoX", "model.json");
        refused(write("duplicate.neurite", dup), "appears twice");
        // An entry name that is not UTF-8.
        byte[] badName = zip(with("model.jso\u00e9", entries.get("model.json")), null, null, 0);
        byte[] nonUtf8 = replaceAll(badName, "model.jso\u00e9", null);
        refused(write("name.neurite", nonUtf8), "");
        Map<String, byte[]> missing = new LinkedHashMap<>(entries);
        missing.remove("optimizer.safetensors");
        refused(write("missing.neurite", zip(missing, null, null, 0)), "it has no optimizer.safetensors");
        refused(write("empty.neurite", new byte[0]), "not a zip");
        refused(dir, "not a regular file");
    }

    @Test
    void craftedArchitecturesAreRefusedBeforeAllocating() throws IOException {
        long live = backend.liveBytes();
        refused(json("units.neurite", s -> s.replace("\"units\":5", "\"units\":500000000")), "does not fit its architecture");
        refused(json("int-max.neurite", s -> s.replace("\"units\":5", "\"units\":2147483647")), "does not fit its architecture");
        refused(json("units-neg.neurite", s -> s.replace("\"units\":5", "\"units\":-5")), "'units' must be an integer");
        refused(json("units-frac.neurite", s -> s.replace("\"units\":5", "\"units\":5.5")), "'units' must be an integer");
        refused(json("features.neurite", s -> s.replace("\"features\":4", "\"features\":2000000000")),
                "does not fit its architecture");
        refused(json("nested.neurite", s -> s.replace("\"seed\":7", "\"seed\":" + "[".repeat(200_000) + "]".repeat(200_000))),
                "nested deeper than");
        refused(json("dupkey.neurite", s -> s.replace("\"seed\":7", "\"seed\":7,\"seed\":8")), "duplicate key \"seed\"");
        refused(json("noversion.neurite", s -> s.replace("\"version\":1,", "")), "'version' is missing");
        refused(json("noseed.neurite", s -> s.replace("\"seed\":7,", "")), "'seed' is missing");
        refused(json("strseed.neurite", s -> s.replace("\"seed\":7", "\"seed\":\"seven\"")), "'seed' must be an integer");
        refused(json("act.neurite", s -> s.replace("\"activation\":\"RELU\"", "\"activation\":\"GELUX\"")),
                "'activation' must be one of");
        refused(json("layers.neurite", s -> s.replace("\"layers\":[", "\"layers\":[7,")), "layers[0] is not a JSON object");
        refused(json("rate.neurite", s -> s.replace("\"iterations\":", "\"iterations\":-")), "'iterations' must be an integer");
        refused(json("cycle.neurite", s -> s.replace("\"outputs\":[\"dense_", "\"outputs\":[\"nowhere_")), "unknown output node");
        Map<String, byte[]> notUtf8 = with("model.json", new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'});
        refused(write("utf8.neurite", zip(notUtf8, null, null, 0)), "not valid UTF-8");
        assertEquals(live, backend.liveBytes(), "refused loads leaked device memory");
    }

    @Test
    void craftedSafetensorsHeadersAreRefused() throws IOException {
        refused(weights("neg.neurite", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "negative");
        refused(weights("huge.neurite",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,0]}}", 0),
                "more than");
        refused(weights("nest.neurite", "{\"a\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}", 0), "nested deeper");
        refused(weights("overlap.neurite", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlapping");
        refused(weights("gap.neurite", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "gap");
        refused(weights("dup.neurite", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "duplicate key");
        refused(weights("str.neurite", "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", 4),
                "not a number");
        refused(weights("f64.neurite", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "dtype F64");
        byte[] longHeader = new byte[16];
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
        refused(write("hdr.neurite", zip(with("weights.safetensors", longHeader), null, null, 0)), "header length");
    }

    /** Slots listed out of order in the file (v before m) are restored by their index, not their position. */
    @Test
    void optimizerSlotsAreRestoredByIndex() throws IOException {
        Map<String, Safetensors.Entry> state = Safetensors.read(entries.get("optimizer.safetensors"), "state");
        List<String> keys = new java.util.ArrayList<>(state.keySet());
        java.util.Collections.reverse(keys);
        Map<String, Safetensors.Entry> reversed = new LinkedHashMap<>();
        keys.forEach(k -> reversed.put(k, state.get(k)));
        Path f = write("reordered.neurite", zip(with("optimizer.safetensors", Safetensors.write(reversed, Map.of())),
                null, null, 0));
        try (Model m = Model.load(f, backend)) {
            Map<String, Tensor[]> loaded = m.optimizer().stateByName();
            for (Map.Entry<String, Safetensors.Entry> e : state.entrySet()) {
                int slash = e.getKey().lastIndexOf('/');
                Tensor slot = loaded.get(e.getKey().substring(0, slash))[Integer.parseInt(e.getKey().substring(slash + 1))];
                assertArrayEquals(e.getValue().data(), slot.toFloatArray(), e.getKey() + " restored into the wrong slot");
            }
        }
        Map<String, Safetensors.Entry> gap = new LinkedHashMap<>(state);
        gap.remove(keys.get(1));   // slot 0 of the last parameter: slot 1 is left alone
        refused(write("slotgap.neurite", zip(with("optimizer.safetensors", Safetensors.write(gap, Map.of())), null, null, 0)),
                "the slots of");
    }

    // ---------------------------------------------------------------- helpers

    private void refused(Path f, String fragment) {
        try (Model m = Model.load(f, backend)) {
            fail("loaded " + f + " (" + m.parameters().size() + " parameters), expected a refusal with '" + fragment + "'");
        } catch (ModelFileException e) {
            assertTrue(e.getMessage().startsWith("load: " + f + ": ") && e.getMessage().contains(fragment),
                    "'" + fragment + "' expected in: " + e.getMessage());
            assertEquals(f, e.file());
        }
    }

    /** True if the file loaded; false if it was refused as it must be; fails on anything else. */
    private boolean loadsOrRefuses(Path f) {
        try (Model m = Model.load(f, backend); Tensor x = backend.zeros(org.neurite.tensor.Shape.of(1, 4))) {
            m.predict(x, 1);
            return true;
        } catch (ModelFileException e) {
            assertTrue(e.getMessage().startsWith("load: " + f + ": "), e.getMessage());
            return false;
        } catch (Throwable t) {
            throw new AssertionError("load of a damaged file threw " + t + " instead of ModelFileException", t);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private Path json(String name, UnaryOperator<String> change) throws IOException {
        String before = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        String after = change.apply(before);
        assertTrue(!after.equals(before), name + ": the change did not apply to " + before);
        return write(name, zip(with("model.json", after.getBytes(StandardCharsets.UTF_8)), null, null, 0));
    }

    private Path weights(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return write(name, zip(with("weights.safetensors", b.array()), null, null, 0));
    }

    private Map<String, byte[]> with(String name, byte[] data) {
        Map<String, byte[]> m = new LinkedHashMap<>(entries);
        m.put(name, data);
        return m;
    }

    /** A zip of {@code entries}; entry {@code big}, if given, is {@code chunk} repeated {@code times}, streamed. */
    private static byte[] zip(Map<String, byte[]> entries, String big, byte[] chunk, int times) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals(big)) {
                    for (int i = 0; i < times; i++) {
                        z.write(chunk);
                    }
                } else {
                    z.write(e.getValue());
                }
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Replaces every occurrence of {@code from}'s UTF-8 bytes by {@code to}'s, or by as many 0xFF bytes if null. */
    private static byte[] replaceAll(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to == null ? new byte[f.length] : to.getBytes(StandardCharsets.UTF_8);
        if (to == null) {
            java.util.Arrays.fill(t, (byte) 0xFF);
        }
        assertEquals(f.length, t.length);
        byte[] out = data.clone();
        int found = 0;
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
                found++;
            }
        }
        assertEquals(2, found, "expected the name in the local header and the central directory");
        return out;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
