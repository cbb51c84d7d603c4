package org.neurite.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fixed-size records of a file, memory-mapped in segments of at most 1 GiB (a mapping holds at most 2 GiB), so that
 * a file larger than the heap is read by the operating system's page cache, not copied into Java arrays.
 */
final class MappedRecords implements AutoCloseable {
    private static final long SEGMENT = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final long offset;
    private final int recordBytes;
    private final int count;
    private final int recordsPerSegment;
    private final MappedByteBuffer[] segments;

    MappedRecords(Path file, long offset, int recordBytes, int count) {
        this.file = file;
        this.offset = offset;
        this.recordBytes = recordBytes;
        this.count = count;
        this.recordsPerSegment = (int) Math.max(1, SEGMENT / Math.max(1, recordBytes));
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            long need = offset + (long) recordBytes * count;
            if (channel.size() < need) {
                throw new IllegalArgumentException(file + ": truncated: " + channel.size() + " bytes, " + need + " expected for "
                        + count + " records of " + recordBytes + " bytes");
            }
            int n = count == 0 ? 0 : (count + recordsPerSegment - 1) / recordsPerSegment;
            segments = new MappedByteBuffer[n];
            for (int s = 0; s < n; s++) {
                long first = (long) s * recordsPerSegment;
                long records = Math.min(recordsPerSegment, count - first);
                segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, offset + first * recordBytes, records * recordBytes);
                segments[s].order(ByteOrder.LITTLE_ENDIAN);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }

    int count() {
        return count;
    }

    /** The record's bytes, as a little-endian buffer positioned at its start (a duplicate: safe to move). */
    java.nio.ByteBuffer record(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(file + ": record " + index + " of " + count);
        }
        MappedByteBuffer seg = segments[index / recordsPerSegment];
        java.nio.ByteBuffer b = seg.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((index % recordsPerSegment) * recordBytes);
        return b;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
