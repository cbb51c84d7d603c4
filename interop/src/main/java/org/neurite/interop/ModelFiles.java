package org.neurite.interop;

import java.nio.file.Path;
import java.util.Locale;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;

/**
 * Model files by extension: {@code .keras} and {@code .h5} (Keras), {@code .onnx}, {@code .neurite} (Neurite's own).
 * {@code ModelFiles.convert(Path.of("model.keras"), Path.of("model.onnx"), backend)} is the {@code convert} command.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** The formats, by extension. */
    public enum Format {
        KERAS, H5, ONNX, NEURITE;

        /** The format of {@code file}'s extension. */
        public static Format of(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".keras")) {
                return KERAS;
            }
            if (n.endsWith(".h5") || n.endsWith(".hdf5")) {
                return H5;
            }
            if (n.endsWith(".onnx")) {
                return ONNX;
            }
            if (n.endsWith(".neurite")) {
                return NEURITE;
            }
            throw new IllegalArgumentException(file + ": unknown model format (the extension must be .keras, .h5, .onnx"
                    + " or .neurite)");
        }
    }

    /** Loads {@code file}, in the format its extension names, onto {@code backend}. */
    public static Model load(Path file, Backend backend) {
        return switch (Format.of(file)) {
            case KERAS, H5 -> Keras.load(file, backend);
            case ONNX -> Onnx.load(file, backend);
            case NEURITE -> Model.load(file, backend);
        };
    }

    /**
     * Saves {@code model} in the format {@code file}'s extension names. Legacy {@code .h5} is read only: write
     * {@code .keras}.
     */
    public static void save(Model model, Path file) {
        switch (Format.of(file)) {
            case KERAS -> Keras.save(model, file);
            case ONNX -> Onnx.save(model, file);
            case NEURITE -> model.save(file);
            case H5 -> throw new IllegalArgumentException(file + ": the legacy .h5 format is read only; write .keras,"
                    + " which Keras 3 prefers");
        }
    }

    /** Reads {@code in} and writes it as {@code out}, each in its extension's format. */
    public static void convert(Path in, Path out, Backend backend) {
        Format.of(out);   // an unknown output extension fails before any work
        try (Model m = load(in, backend)) {
            save(m, out);
        }
    }
}
