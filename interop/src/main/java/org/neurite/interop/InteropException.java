package org.neurite.interop;

/**
 * A model file that cannot be brought in or written out: the message names the file and the problem (a layer or
 * operator Neurite lacks, with its name; a damaged or inconsistent file).
 */
public class InteropException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** {@code source: problem}. */
    public InteropException(String source, String problem) {
        super(source + ": " + problem);
    }

    /** {@code source: problem}, with the cause. */
    public InteropException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
