package org.neurite.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small real tables scikit-learn ships (iris, Boston house prices, ...), found where Debian's
 * {@code python3-sklearn} puts them, or in a folder given with {@code --data}.
 */
public final class SklearnData {
    /** Where an installed python3-sklearn keeps them. */
    public static final Path INSTALLED = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");

    private SklearnData() {
    }

    /**
     * The file {@code name} in {@code dir} (or the installed folder when {@code dir} is null), or a message saying how
     * to get it.
     */
    public static Path locate(Path dir, String name) throws IOException {
        Path folder = dir != null ? dir : INSTALLED;
        Path file = folder.resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new IOException(name + " not found in " + folder + ". It ships with Debian's python3-sklearn; either\n"
                + "    sudo apt-get install -y python3-sklearn\n"
                + "or, without installing it:\n"
                + "    apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb sk\n"
                + "    and pass --data sk/usr/lib/python3/dist-packages/sklearn/datasets/data");
    }
}
