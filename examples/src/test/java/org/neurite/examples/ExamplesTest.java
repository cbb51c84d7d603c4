package org.neurite.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand run small on data made here (the real data sets are not needed), checking a known
 * outcome: an easy synthetic task must be learned, a regression must beat the mean predictor.
 */
class ExamplesTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** Writes IDX files in Fashion-MNIST's layout: class c lights up row c of the 28x28 image, plus noise. */
    static void fakeFashionMnist(Path dir, int train, int test) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? train : test;
            byte[] images = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(10);
                labels[i] = (byte) c;
                for (int p = 0; p < 784; p++) {
                    images[i * 784 + p] = (byte) r.nextInt(60);
                }
                for (int col = 0; col < 28; col++) {
                    images[i * 784 + (2 * c + 4) * 28 + col] = (byte) 230;
                }
            }
            write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x0803, new int[] {n, 28, 28}, images);
            write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x0801, new int[] {n}, labels);
        }
    }

    private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    /** A table in the Boston CSV's layout (two header lines, 13 features, target last) with a learnable target. */
    static void fakeBoston(Path dir, int rows) throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        StringBuilder sb = new StringBuilder(rows + ",13,,,,,,,,,,,,\n"
                + "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,MEDV\n");
        for (int i = 0; i < rows; i++) {
            double[] f = new double[13];
            double target = 22;
            for (int j = 0; j < 13; j++) {
                f[j] = r.nextDouble(0, 10);
                sb.append(String.format(Locale.ROOT, "%.4f,", f[j]));
            }
            target += 2 * f[5] - 1.5 * f[12] + 0.8 * f[0] * (f[0] > 5 ? 1 : -1);
            sb.append(String.format(Locale.ROOT, "%.3f%n", target));
        }
        Files.writeString(dir.resolve("boston_house_prices.csv"), sb);
    }

    static void fakeIris(Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("150,4,setosa,versicolor,virginica\n");
        for (int i = 0; i < 150; i++) {
            int c = i / 50;
            double petal = c == 0 ? r.nextDouble(1, 1.9) : r.nextDouble(3, 6.9);
            double width = c == 0 ? r.nextDouble(0.1, 0.6) : r.nextDouble(1, 2.5);
            sb.append(String.format(Locale.ROOT, "5.0,3.0,%.1f,%.1f,%d%n", petal, width, c));
        }
        Files.writeString(dir.resolve("iris.csv"), sb);
    }

    @Test
    void fashionMnistTrainsAndReportsTestAccuracy(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 600, 200);
        Path plot = dir.resolve("curves.png");
        Run r = run("fashion-mnist", "--data", dir.toString(), "--backend", "cpu", "--epochs", "4", "--learning-rate",
                "0.05", "--plot", plot.toString(), "--save", dir.resolve("m.neurite").toString(), "--step-times");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("backend: cpu"), r.out());
        assertTrue(r.out().contains("Epoch 4/4") && r.out().contains("Total params: 266,610"), r.out());
        assertTrue(number(r.out(), "test accuracy ([0-9.]+)%") > 90, r.out());
        assertTrue(r.out().contains("epoch time ") && r.out().contains("(median of epochs 2-4; the first"), r.out());
        assertTrue(Files.size(plot) > 1000 && Files.exists(dir.resolve("m.neurite")));
        // 550 training images in batches of 32: 18 steps an epoch, epochs 2-4 timed
        assertTrue(r.out().contains("step times: p10 ") && r.out().contains("(54 steps after the first epoch)"), r.out());
    }

    @Test
    void fashionMnistStreamsFromTheIdxFilesToTheSameAccuracy(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 600, 200);
        Run r = run("fashion-mnist", "--stream", "--data", dir.toString(), "--backend", "cpu", "--epochs", "4",
                "--learning-rate", "0.05", "--plot", dir.resolve("c.png").toString(), "--step-times");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("streamed from") && r.out().contains("550 training images (50 for validation)")
                || r.out().contains("streamed from"), r.out());
        assertTrue(number(r.out(), "test accuracy ([0-9.]+)%") > 90, r.out());
        assertTrue(r.out().contains("step times: p10 ") && r.out().contains(" steps after the first epoch)"), r.out());
    }

    @Test
    void sparkFashionMnistTrainsDataParallelAndSparkPredictScoresParquet(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 640, 200);
        Run r = run("spark-fashion-mnist", "--data", dir.toString(), "--master", "local[2]", "--epochs", "4",
                "--backend", "cpu:threads=1");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("2 workers (batch 16 each, 32 in all)"), r.out());
        assertTrue(number(r.out(), "test accuracy ([0-9.]+)%") > 80, r.out());
        Run local = run("spark-fashion-mnist", "--data", dir.toString(), "--master", "local[2]", "--epochs", "4",
                "--sync-every", "5", "--backend", "cpu:threads=1");
        assertTrue(local.out().contains("parameters averaged every 5 steps"), local.out());
        // a Parquet directory of features scored by a saved model
        Path model = dir.resolve("m.neurite");
        try (org.neurite.tensor.Backend b = org.neurite.tensor.Backends.create("cpu");
             org.neurite.nn.Sequential m = new org.neurite.nn.Sequential(b, 3, 1, new org.neurite.nn.Dense(2,
                     "softmax"))) {
            m.save(model);
        }
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master("local[2]")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            java.util.List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                rows.add(org.apache.spark.sql.RowFactory.create(scala.jdk.javaapi.CollectionConverters.asScala(
                        java.util.List.of((float) i, 1f, -1f)).toSeq()));
            }
            spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("features",
                    org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType)))
                    .write().parquet(dir.resolve("in").toString());
        } finally {
            spark.stop();
        }
        Run p = run("spark-predict", "--model", model.toString(), "--input", dir.resolve("in").toString(), "--output",
                dir.resolve("out").toString(), "--master", "local[2]");
        assertEquals(0, p.status(), p.out() + p.err());
        assertTrue(p.out().contains("scored 20 rows"), p.out());
    }

    @Test
    void tuneSearchesAndResumes(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 600, 200);
        Path trials = dir.resolve("trials");
        Run r = run("tune", "--data", dir.toString(), "--backend", "cpu", "--max-trials", "3", "--epochs", "2",
                "--directory", trials.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("best: hidden_layers=") && r.out().contains("3 trials, 3 trained now"), r.out());
        Run again = run("tune", "--data", dir.toString(), "--backend", "cpu", "--max-trials", "4", "--epochs", "2",
                "--directory", trials.toString());
        assertTrue(again.out().contains("4 trials, 1 trained now"), again.out());
        Run hb = run("tune", "--algorithm", "hyperband", "--data", dir.toString(), "--backend", "cpu", "--epochs", "3",
                "--directory", dir.resolve("hb").toString());
        assertEquals(0, hb.status(), hb.out() + hb.err());
        assertTrue(hb.out().contains("6 trials, 6 trained now"), hb.out());
        Run bad = run("tune", "--algorithm", "grid");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--algorithm must be random or hyperband"), bad.err());
    }

    @Test
    void missingDataSaysHowToGetIt(@TempDir Path dir) {
        Run r = run("fashion-mnist", "--data", dir.resolve("nowhere").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("apt-get install -y dataset-fashion-mnist"), r.err());
        Run s = run("regression", "--data", dir.toString());
        assertEquals(1, s.status());
        assertTrue(s.err().contains("python3-sklearn"), s.err());
    }

    @Test
    void regressionAndWideDeepBeatTheMeanPredictor(@TempDir Path dir) throws IOException {
        fakeBoston(dir, 300);
        for (String loss : new String[] {"mse", "huber", "mae"}) {
            Run r = run("regression", "--data", dir.toString(), "--epochs", "60", "--loss", loss);
            assertEquals(0, r.status(), r.out() + r.err());
            double rmse = number(r.out(), "test RMSE ([0-9.]+)");
            double baseline = number(r.out(), "mean predictor ([0-9.]+)");
            assertTrue(rmse < 0.5 * baseline, loss + ": " + r.out());
        }
        for (String[] extra : new String[][] {{}, {"--aux"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("wide-deep", "--data", dir.toString(),
                    "--epochs", "60"), java.util.Arrays.stream(extra)).toArray(String[]::new);
            Run r = run(args);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Concatenate"), r.out());
            assertTrue(number(r.out(), "test RMSE ([0-9.]+)") < 0.5 * number(r.out(), "mean predictor ([0-9.]+)"), r.out());
        }
    }

    @Test
    void perceptronStory(@TempDir Path dir) throws IOException {
        fakeIris(dir);
        Run r = run("perceptron", "--data", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("AND     [0.0, 0.0, 0.0, 1.0]") && r.out().contains("OR      [0.0, 1.0, 1.0, 1.0]")
                && r.out().contains("AND-NOT [0.0, 0.0, 1.0, 0.0]"), r.out());
        assertTrue(r.out().contains("150/150 correct"), r.out());
        assertTrue(r.out().contains("(learned)") && r.out().contains("perceptron on XOR: still"), r.out());
    }

    @Test
    void lrFinderWritesTheCurveAndTrainsWithOneCycle(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 480, 10);
        Path curve = dir.resolve("lr.csv");
        Path plot = dir.resolve("lr.png");
        Run r = run("lr-finder", "--data", dir.toString(), "--steps", "60", "--curve", curve.toString(), "--plot",
                plot.toString(), "--one-cycle", "--epochs", "2");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("suggested rate") && r.out().contains("1cycle up to"), r.out());
        assertTrue(Files.readAllLines(curve).size() > 10);
        assertTrue(Files.size(plot) > 1000);
    }

    /** Bad values are refused when the option is parsed: exit status 2, the option and the value named. */
    @Test
    void badOptionsAreRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"spiral", "--points", "0", "--points must be at least 1, got 0"},
            {"spiral", "--hidden", "-3", "--hidden must be at least 1, got -3"},
            {"fashion-mnist", "--epochs", "-1", "--epochs must be at least 1, got -1"},
            {"fashion-mnist", "--batch-size", "0", "--batch-size must be at least 1, got 0"},
            {"regression", "--learning-rate", "-1", "--learning-rate must be a positive number, got -1.0"},
            {"regression", "--learning-rate", "NaN", "--learning-rate must be a positive number, got NaN"},
            {"lr-finder", "--steps", "1", "--steps must be at least 2, got 1"},
            {"fashion-mnist", "--limit", "0", "--limit must be at least 12, got 0"},
        };
        for (String[] c : cases) {
            Run r = run(c[0], c[1], c[2]);
            assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[3]), r.err());
        }
        // An output that cannot be written fails at once, not after training.
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        fakeFashionMnist(dir, 24, 12);
        for (String option : new String[] {"--save", "--plot"}) {
            long start = System.nanoTime();
            Run r = run("fashion-mnist", "--data", dir.toString(), "--epochs", "50", option,
                    file.resolve("model.neurite").toString());
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains(option + ": cannot write") && r.err().contains("is not a directory"), r.err());
            assertTrue(!r.out().contains("Epoch 1/50"), "trained before refusing: " + r.out());
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
        }
        Run r = run("fashion-mnist", "--data", dir.toString(), "--save", dir.toString());
        assertTrue(r.status() == 2 && r.err().contains("--save: " + dir + " is a directory"), r.err());
    }

    /** Damaged IDX files are named with what is wrong, in bounded memory. */
    @Test
    void damagedIdxFilesAreNamed(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 24, 12);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        write(images, 0x0803, new int[] {-784, 28, 28}, new byte[0]);
        Run r = run("fashion-mnist", "--data", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(images + ": dimension 0 is negative"), r.err());
        // 2 * 10^9 pixels declared in a file of a few bytes: refused as truncated, no OutOfMemoryError
        write(images, 0x0803, new int[] {2_000_000_000 / 784, 28, 28}, new byte[100]);
        r = run("fashion-mnist", "--data", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(images + ": truncated: the header declares 1999999680 values")
                && r.err().contains("the file holds 100"), r.err());
        Files.writeString(images, "not gzip at all");
        r = run("fashion-mnist", "--data", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(images + ": Not in GZIP format"), r.err());
    }

    /** A run whose loss became NaN fails (exit status 1) and saves nothing. */
    @Test
    void aDivergedRunFails(@TempDir Path dir) throws IOException {
        fakeFashionMnist(dir, 120, 24);
        Path model = dir.resolve("m.neurite");
        Run r = run("fashion-mnist", "--data", dir.toString(), "--backend", "cpu", "--epochs", "2", "--learning-rate",
                "1e30", "--save", model.toString(), "--plot", dir.resolve("c.png").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("error: training diverged: the loss became"), r.err());
        assertTrue(!Files.exists(model), "a diverged model was saved");
    }

    /** The subclassing API with a user layer: beats the mean predictor by far, and reloads identically. */
    @Test
    void customLayerTrainsASubclassedWideAndDeep(@TempDir Path dir) {
        Path file = dir.resolve("wd.neurite");
        Run r = run("custom-layer", "--backend", "cpu", "--samples", "1500", "--epochs", "25", "--learning-rate", "0.005",
                "--save", file.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        double rmse = number(r.out(), "test RMSE ([0-9.]+)");
        double baseline = number(r.out(), "mean predictor ([0-9.]+)");
        assertTrue(rmse < 0.4 * baseline, r.out());
        assertTrue(r.out().contains("identical predictions") && r.out().contains("scale_"), r.out());
        assertTrue(java.nio.file.Files.exists(file));
    }

    @Test
    void convertAndPredictAgreeAcrossFormats(@org.junit.jupiter.api.io.TempDir Path dir) {
        // A two-input model made here, saved as .neurite, converted to .onnx, .keras and back; predict gives the same
        // outputs from every file.
        Path neurite = dir.resolve("m.neurite");
        try (org.neurite.tensor.Backend b = org.neurite.tensor.Backends.create("cpu")) {
            org.neurite.nn.Node a = org.neurite.nn.Node.input("a", 3);
            org.neurite.nn.Node c = org.neurite.nn.Node.input("c", 2);
            org.neurite.nn.Node h = new org.neurite.nn.Dense(4, "tanh").apply(new org.neurite.nn.Concatenate().apply(a, c));
            org.neurite.nn.Node y = new org.neurite.nn.Dense(2, "softmax").apply(h);
            try (org.neurite.nn.Model m = new org.neurite.nn.Model(b, 3, java.util.List.of(a, c), java.util.List.of(y))) {
                m.save(neurite);
            }
        }
        org.neurite.io.Npy.write(dir.resolve("a.npy"), new int[] {5, 3}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3,
            4, 5});
        org.neurite.io.Npy.write(dir.resolve("c.npy"), new int[] {5, 2}, new float[] {-1, 1, -2, 2, 0, 0, 3, 3, 1, -1});
        float[] reference = null;
        for (String ext : java.util.List.of("neurite", "onnx", "keras", "back.neurite")) {
            Path model = dir.resolve("m." + ext);
            if (!ext.equals("neurite")) {
                Path from = ext.equals("back.neurite") ? dir.resolve("m.keras") : neurite;
                Run conv = run("convert", from.toString(), model.toString());
                assertEquals(0, conv.status(), conv.err());
                assertTrue(conv.out().contains("converted") && conv.out().contains("2 inputs"), conv.out());
            }
            Path out = dir.resolve("y." + ext + ".npy");
            Run r = run("predict", "--model", model.toString(), "--input", dir.resolve("a.npy").toString(), "--input",
                    dir.resolve("c.npy").toString(), "--output", out.toString(), "--backend", "cpu");
            assertEquals(0, r.status(), r.err());
            org.neurite.io.Npy.Array y = org.neurite.io.Npy.read(out);
            assertArrayEquals(new int[] {5, 2}, y.shape());
            if (reference == null) {
                reference = y.data();
            } else {
                assertArrayEquals(reference, y.data(), 1e-6f, ext);
            }
        }
        Run missing = run("predict", "--model", neurite.toString(), "--input", dir.resolve("a.npy").toString(), "--output",
                dir.resolve("z.npy").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("the model has 2 input(s) [a (3), c (2)], given 1 --input"), missing.err());
        Run wrongWidth = run("predict", "--model", neurite.toString(), "--input", dir.resolve("c.npy").toString(),
                "--input", dir.resolve("a.npy").toString(), "--output", dir.resolve("z.npy").toString());
        assertTrue(wrongWidth.err().contains("gives 2 values per sample; input 'a' takes 3"), wrongWidth.err());
        Run badExt = run("convert", neurite.toString(), dir.resolve("m.txt").toString());
        assertTrue(badExt.status() == 2 && badExt.err().contains("unknown model format"), badExt.err());
    }
}
