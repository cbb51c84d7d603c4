package org.neurite.examples;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A PrintWriter seen as an OutputStream, for APIs that print to a PrintStream (progress bars). */
final class WriterStream extends OutputStream {
    private final PrintWriter out;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void write(int b) {
        pending.write(b);
        if (b == '\n' || b == '\r') {
            flush();
        }
    }

    @Override
    public void flush() {
        out.print(pending.toString(StandardCharsets.UTF_8));
        out.flush();
        pending.reset();
    }
}
