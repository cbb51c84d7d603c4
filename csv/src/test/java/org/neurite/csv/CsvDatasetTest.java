package org.neurite.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.data.Dataset;
import org.neurite.nn.Dense;
import org.neurite.nn.FitOptions;
import org.neurite.nn.History;
import org.neurite.nn.Loss;
import org.neurite.nn.Metric;
import org.neurite.nn.SGD;
import org.neurite.nn.Sequential;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Backends;

class CsvDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void selectsColumnsByNameAndTrains() throws IOException {
        // Two informative columns among noise and a quoted text column; the class is which one is larger.
        StringBuilder csv = new StringBuilder("title line, skipped\nid,\"note, quoted\",a,noise,b,label\n");
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            csv.append(String.format(Locale.ROOT, "%d,\"x, \"\"y\"\"\",%.5f,%.5f,%.5f,%d%n", i, a, r.nextDouble(), b,
                    a > b ? 1 : 0));
        }
        Path file = tmp.resolve("t.csv");
        Files.writeString(file, csv);
        try (Dataset d = CsvDataset.builder(file).skipLines(1).inputs("b", "a").targets("label").build()) {
            assertEquals(400, d.size());
            assertArrayEquals(new int[] {2}, d.inputWidths());
            float[][] in = {new float[2]};
            float[][] out = {new float[1]};
            d.read(new int[] {0}, 0, 1, in, out);
            String[] first = csv.toString().split("\n")[2].split(",");
            assertEquals(Float.parseFloat(first[5]), in[0][0], 1e-6f);   // "b" first, as asked
            assertEquals(Float.parseFloat(first[3]), in[0][1], 1e-6f);
            try (Backend backend = Backends.create("cpu");
                 Sequential m = new Sequential(backend, 2, 1, new Dense(8, "tanh"), new Dense(2, "softmax"))) {
                m.compile(Loss.sparseCategoricalCrossEntropy(), new SGD(0.1f, 0.9f, false), Metric.ACCURACY);
                History h = m.fit(d.slice(0, 320), FitOptions.epochs(30).batchSize(16).validationData(d.slice(320, 400)));
                assertTrue(h.last("val_accuracy") > 0.9, h.asMap().toString());
            }
        }
    }

    @Test
    void badFilesAreRefusedWithLineAndColumn() throws IOException {
        Path file = tmp.resolve("bad.csv");
        Files.writeString(file, "a,b,y\n1,2,0\n3,oops,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDataset.builder(file).inputs("a", "b").targets("y").build());
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("'b'") && e.getMessage().contains("oops"),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CsvDataset.builder(file).inputs("a", "c").targets("y").build());
        assertTrue(missing.getMessage().contains("no column 'c'") && missing.getMessage().contains("[a, b, y]"),
                missing.getMessage());
        Files.writeString(file, "a,b,y\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(file).targets("y").build())
                .getMessage().contains("no data rows"));
        Files.writeString(file, "a,b,y\n1,2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(file).targets("y").build())
                .getMessage().contains("2 fields"));
    }
}
