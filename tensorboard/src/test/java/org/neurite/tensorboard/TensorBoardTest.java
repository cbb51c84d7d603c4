package org.neurite.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Layer;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.Parameter;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;
import org.neurite.tensor.Tensor;
import org.neurite.tensorboard.proto.Event;
import org.neurite.tensorboard.proto.HistogramProto;
import org.neurite.tensorboard.proto.Summary;

/** The callback's files, read back record by record with both CRCs checked, against the fit's own history. */
class TensorBoardTest {

    @TempDir
    Path tmp;

    @Test
    void maskedCrc32cMatchesTensorFlowsDefinition() {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720's check value); masked: rotate right 15, add 0xa282ead8.
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        int crc = 0xE3069283;
        assertEquals(((crc >>> 15) | (crc << 17)) + 0xa282ead8, TfRecord.maskedCrc32c(check, 0, check.length));
        // RFC 3720, B.4: the CRC-32C of 32 zero bytes is 0x8A9136AA, which shows java.util.zip.CRC32C is Castagnoli's.
        assertEquals(0x8A9136AA, crc32c(new byte[32]));
    }

    private static int crc32c(byte[] b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    void recordsRoundTripAndEveryCorruptionIsNamed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a = "first".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[0];
        TfRecord.write(out, a);
        TfRecord.write(out, b);
        byte[] file = out.toByteArray();
        assertEquals(TfRecord.framedLength(5) + TfRecord.framedLength(0), file.length);
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        assertEquals("first", new String(TfRecord.read(in, "f", 0), StandardCharsets.UTF_8));
        assertEquals(0, TfRecord.read(in, "f", 21).length);
        assertNull(TfRecord.read(in, "f", 37));

        for (int i = 0; i < file.length; i++) {
            byte[] bad = file.clone();
            bad[i] ^= 0x10;
            IOException e = assertThrows(IOException.class, () -> readAll(bad), "flipped byte " + i);
            assertTrue(e.getMessage().startsWith("f: ") && e.getMessage().contains("at byte"), e.getMessage());
        }
        for (int cut = 1; cut < file.length; cut++) {
            if (cut == TfRecord.framedLength(5)) {
                continue;   // a clean end after the first record
            }
            byte[] truncated = Arrays.copyOf(file, cut);
            IOException e = assertThrows(IOException.class, () -> readAll(truncated), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    private static void readAll(byte[] file) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        long offset = 0;
        byte[] r;
        while ((r = TfRecord.read(in, "f", offset)) != null) {
            offset += TfRecord.framedLength(r.length);
        }
    }

    @Test
    void histogramsAreEqualWidthBucketsOfTheFiniteValues() {
        HistogramProto h = Histograms.of(new float[] {0, 1, 2, 3, Float.NaN, 4, Float.POSITIVE_INFINITY}, 4);
        assertEquals(0, h.getMin());
        assertEquals(4, h.getMax());
        assertEquals(5, h.getNum());
        assertEquals(10, h.getSum());
        assertEquals(30, h.getSumSquares());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), h.getBucketLimitList());
        assertEquals(List.of(1.0, 1.0, 1.0, 2.0), h.getBucketList());   // the maximum falls in the last bucket
        assertEquals(2, Histograms.nonFinite(new float[] {Float.NaN, 1, Float.NEGATIVE_INFINITY}));
        HistogramProto same = Histograms.of(new float[] {3, 3, 3}, 30);
        assertEquals(List.of(3.0), same.getBucketLimitList());
        assertEquals(List.of(3.0), same.getBucketList());
        assertEquals(0, Histograms.of(new float[] {Float.NaN}, 30).getNum());
    }

    @Test
    void aFitWritesKerasLayoutThatReadsBack() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        int n = 96;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextDouble(-1, 1);
            x[2 * i + 1] = (float) r.nextDouble(-1, 1);
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
        Path logs = tmp.resolve("logs");
        History h;
        List<String> weightNames = new ArrayList<>();
        Map<String, float[]> finalWeights = new LinkedHashMap<>();
        try (Backend backend = Backends.create("cpu");
             Tensor tx = backend.tensor(x, n, 2);
             Tensor ty = backend.tensor(y, n);
             Sequential model = new Sequential(backend, 2, 7, new Dense(8, "relu"), new Dense(2, "softmax"))) {
            model.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.05f), Metric.ACCURACY);
            h = model.fit(tx, ty, FitOptions.epochs(3).batchSize(16).validationSplit(0.25)
                    .callbacks(new TensorBoard(logs).updateFreq(2).histogramFreq(1)));
            for (Layer layer : model.layers()) {
                for (Parameter p : layer.parameters()) {
                    weightNames.add(p.name());
                    finalWeights.put(p.name(), p.value().toFloatArray());
                }
            }
        }
        List<Event> train = events(logs.resolve("train"));
        List<Event> validation = events(logs.resolve("validation"));
        for (List<Event> run : List.of(train, validation)) {
            assertEquals("brain.Event:2", run.get(0).getFileVersion());
            assertTrue(run.stream().skip(1).allMatch(Event::hasSummary));
        }

        Map<String, List<Double>> trainScalars = scalars(train);
        // simple_value is a float32, as in TensorFlow.
        assertEquals(asFloats(h.get("loss")), trainScalars.get("epoch_loss@0,1,2"));
        assertEquals(asFloats(h.get("accuracy")), trainScalars.get("epoch_accuracy@0,1,2"));
        assertEquals(List.of(0.05, 0.05, 0.05), round(trainScalars.get("epoch_learning_rate@0,1,2")));
        // 72 training rows in batches of 16: 5 batches per epoch, 15 in all; every second one logged.
        assertEquals(8, trainScalars.get("batch_loss@0,2,4,6,8,10,12,14").size());
        Map<String, List<Double>> valScalars = scalars(validation);
        assertEquals(asFloats(h.get("val_loss")), valScalars.get("epoch_loss@0,1,2"));
        assertEquals(asFloats(h.get("val_accuracy")), valScalars.get("epoch_accuracy@0,1,2"));

        List<Summary.Value> histograms = train.stream().flatMap(e -> e.getSummary().getValueList().stream())
                .filter(Summary.Value::hasHisto).toList();
        assertEquals(3 * weightNames.size(), histograms.size());
        for (String w : weightNames) {
            List<Summary.Value> mine = histograms.stream().filter(v -> v.getTag().equals(w + "/histogram")).toList();
            assertEquals(3, mine.size(), w);
            assertEquals("histograms", mine.get(0).getMetadata().getPluginData().getPluginName());
            HistogramProto last = mine.get(2).getHisto();
            float[] values = finalWeights.get(w);
            assertEquals(values.length, last.getNum(), w);
            assertEquals(values.length, last.getBucketList().stream().mapToDouble(Double::doubleValue).sum(), w);
            double sum = 0;
            for (float v : values) {
                sum += v;
            }
            assertEquals(sum, last.getSum(), 1e-9, w);
        }
    }

    private static List<Double> asFloats(List<Double> v) {
        return v.stream().map(d -> (double) d.floatValue()).toList();
    }

    private static List<Double> round(List<Double> v) {
        return v.stream().map(d -> Math.round(d * 1e6) / 1e6).toList();
    }

    private static List<Event> events(Path runDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(runDir)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().matches("events\\.out\\.tfevents\\.\\d+\\..+\\.\\d+\\.\\d+\\.v2"),
                files.get(0).toString());
        return EventFileReader.read(files.get(0));
    }

    /** tag@steps -> values, the steps joined by commas, scalars only, in file order. */
    private static Map<String, List<Double>> scalars(List<Event> events) {
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
                    steps.computeIfAbsent(v.getTag(), k -> new ArrayList<>()).add(e.getStep());
                    values.computeIfAbsent(v.getTag(), k -> new ArrayList<>()).add((double) v.getSimpleValue());
                }
            }
        }
        Map<String, List<Double>> out = new LinkedHashMap<>();
        values.forEach((tag, vs) -> out.put(tag + "@" + String.join(",", steps.get(tag).stream().map(String::valueOf).toList()),
                vs));
        return out;
    }
}
