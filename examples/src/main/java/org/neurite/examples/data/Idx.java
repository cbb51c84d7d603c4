package org.neurite.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (LeCun's MNIST format, which Fashion-MNIST uses), gzipped or not: a magic number whose
 * third byte is the element type (0x08 = unsigned byte) and fourth the rank, the dimensions as big-endian
 * ints, then the data.
 */
public final class Idx {
    private Idx() {
    }

    /** The dimensions and the values (unsigned bytes as floats 0..255). */
    public record Array(int[] dims, float[] data) {
        public int count() {
            return dims[0];
        }
    }

    public static Array read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(file.toString().endsWith(".gz")
                     ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw)) {
            int magic = in.readInt();
            int type = (magic >> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
                throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + size + " values are too many");
            }
            byte[] bytes = new byte[(int) size];
            try {
                in.readFully(bytes);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated (expected " + size + " values)", e);
            }
            float[] data = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                data[i] = bytes[i] & 0xff;
            }
            return new Array(dims, data);
        }
    }
}
