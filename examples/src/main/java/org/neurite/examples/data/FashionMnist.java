package org.neurite.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test images of 28x28 grey pixels in ten
 * classes. Pixels are scaled to [0, 1], as in Géron's book.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    private FashionMnist() {
    }

    /** Images {@code [n, 784]} in [0, 1] and labels {@code [n]}. */
    public record Part(float[] images, float[] labels, int count) {
    }

    public static Part train(Path dir) throws IOException {
        return load(dir, "train");
    }

    public static Part test(Path dir) throws IOException {
        return load(dir, "t10k");
    }

    /**
     * The {@code train} or {@code t10k} part as a data set that streams from the IDX files (decompressed once into
     * {@code ~/.cache/neurite/fashion-mnist}, then memory-mapped), pixels scaled to [0, 1] batch by batch.
     */
    public static org.neurite.data.Dataset stream(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("neurite").resolve("fashion-mnist");
        org.neurite.data.Dataset d = org.neurite.data.Datasets.idx(images, labels, cache);
        if (d.inputWidths()[0] != 784) {
            d.close();
            throw new IOException(dir + ": images of " + d.inputWidths()[0] + " pixels are not Fashion-MNIST's 28x28");
        }
        return d.map(org.neurite.data.BatchTransform.scale(0, 1f / 255));
    }

    private static Part load(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array x = Idx.read(images);
        Idx.Array y = Idx.read(labels);
        if (x.count() != y.count() || x.dims().length != 3 || x.dims()[1] * x.dims()[2] != 784) {
            throw new IOException(dir + ": images " + java.util.Arrays.toString(x.dims()) + " and labels "
                    + java.util.Arrays.toString(y.dims()) + " do not make a Fashion-MNIST set");
        }
        float[] pixels = x.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 255f;
        }
        return new Part(pixels, y.data(), x.count());
    }

    private static Path find(Path dir, String name) throws IOException {
        for (Path candidate : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("Fashion-MNIST not found: no " + name + "(.gz) in " + dir + ". Install it with\n"
                + "    sudo apt-get install -y dataset-fashion-mnist\n"
                + "(it goes to " + DEFAULT_DIR + "), or point --data at a folder holding the four IDX files.");
    }
}
