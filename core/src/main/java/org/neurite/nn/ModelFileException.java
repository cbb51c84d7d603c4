package org.neurite.nn;

import java.nio.file.Path;

/**
 * A model file that cannot be loaded: missing, unreadable, truncated, corrupt, crafted, or from a newer format.
 * The message always reads {@code load: <file>: <what is wrong>}. Loading throws this and nothing else for
 * anything wrong with the file (a closed backend or running out of device memory for a valid model are not the
 * file's fault and keep their own exceptions). It extends {@link IllegalArgumentException} since the file is
 * an argument of {@link Model#load}.
 */
public final class ModelFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    ModelFileException(Path file, String problem, Throwable cause) {
        super("load: " + file + ": " + problem, cause);
        this.file = file;
    }

    ModelFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /** The file that could not be loaded. */
    public Path file() {
        return file;
    }
}
