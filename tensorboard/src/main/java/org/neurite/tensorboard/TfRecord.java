package org.neurite.tensorboard;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, as TensorFlow's {@code record_writer.cc} writes it and TensorBoard reads it: each record is
 * {@code uint64 length}, {@code uint32 masked_crc32c(length)}, {@code byte data[length]},
 * {@code uint32 masked_crc32c(data)}, all little-endian. The mask rotates the CRC-32C right by 15 bits and adds
 * {@code 0xa282ead8}, so that a CRC of data that itself holds CRCs stays well distributed.
 */
public final class TfRecord {
    /** The most a record may claim to hold when read: TensorBoard's own summaries are far smaller. */
    public static final long MAX_RECORD_BYTES = 256L << 20;

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {
    }

    /** The masked CRC-32C (Castagnoli) of {@code data[offset, offset + length)}. */
    public static int maskedCrc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Writes one record (header, data, footer) to {@code out}. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc32c(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }

    /**
     * Reads the next record from {@code in}, checking both CRCs; null at a clean end of the stream.
     *
     * @param source names the stream in error messages (a file name)
     * @param offset the stream's byte offset at this record, for the error messages
     * @throws IOException naming the source and offset: a truncated record, a length or data CRC mismatch, or a
     *     length over {@link #MAX_RECORD_BYTES}
     */
    public static byte[] read(InputStream in, String source, long offset) throws IOException {
        byte[] header = new byte[12];
        int got = in.readNBytes(header, 0, 12);
        if (got == 0) {
            return null;
        }
        if (got < 12) {
            throw new EOFException(source + ": truncated record header at byte " + offset);
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        if (h.getInt(8) != maskedCrc32c(header, 0, 8)) {
            throw new IOException(source + ": length CRC mismatch at byte " + offset);
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new IOException(source + ": record at byte " + offset + " claims " + Long.toUnsignedString(length)
                    + " bytes (at most " + MAX_RECORD_BYTES + " are read)");
        }
        byte[] data = in.readNBytes((int) length);
        byte[] footer = in.readNBytes(4);
        if (data.length < length || footer.length < 4) {
            throw new EOFException(source + ": truncated record at byte " + offset + " (" + length + " bytes announced)");
        }
        if (ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc32c(data, 0, data.length)) {
            throw new IOException(source + ": data CRC mismatch in the record at byte " + offset);
        }
        return data;
    }

    /** The bytes a record of {@code dataLength} bytes takes in a file. */
    public static long framedLength(long dataLength) {
        return dataLength + 16;
    }
}
