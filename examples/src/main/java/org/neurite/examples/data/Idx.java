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

    /**
     * Reads an IDX file. Memory grows with the data actually present, never with what the header claims: a
     * header declaring more values than the file holds is refused as truncated, naming both numbers. Every
     * failure is an {@link IOException} whose message starts with the file.
     */
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
                if (dims[i] < 0) {
                    throw new IOException(file + ": dimension " + i + " is negative (" + Integer.toUnsignedLong(dims[i])
                            + " as unsigned, beyond what IDX files hold)");
                }
                size *= dims[i];   // at most 4 factors below 2^31: cannot overflow until checked below
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IOException(file + ": the header declares more than " + (Integer.MAX_VALUE - 8)
                            + " values (dimensions " + java.util.Arrays.toString(java.util.Arrays.copyOf(dims, i + 1)) + "...)");
                }
            }
            // Read in chunks, so that a header claiming 2 billion values in a small file costs only the file.
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream((int) Math.min(size, 1 << 20));
            byte[] chunk = new byte[1 << 16];
            long got = 0;
            while (got < size) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, size - got));
                if (n < 0) {
                    throw new IOException(file + ": truncated: the header declares " + size + " values "
                            + java.util.Arrays.toString(dims) + ", the file holds " + got);
                }
                buf.write(chunk, 0, n);
                got += n;
            }
            byte[] bytes = buf.toByteArray();
            float[] data = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                data[i] = bytes[i] & 0xff;
            }
            return new Array(dims, data);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated inside its header", e);
        } catch (IOException e) {
            String m = e.getMessage();
            throw m != null && m.startsWith(file.toString()) ? e : new IOException(file + ": " + m, e);
        }
    }
}
