package org.neurite.data;

/** A batch could not be made: the data set or a transform failed (the cause), or the loader's thread stopped. */
public class DataPipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message and the failure that caused it (or null). */
    public DataPipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
