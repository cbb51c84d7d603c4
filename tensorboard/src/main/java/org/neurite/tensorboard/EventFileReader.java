package org.neurite.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurite.tensorboard.proto.Event;

/**
 * Reads an event file back, checking its framing and both CRCs of every record: for tests, and for programs that
 * read training logs without TensorBoard.
 */
public final class EventFileReader {
    private EventFileReader() {
    }

    /**
     * Every event in {@code file}, in order.
     *
     * @throws IOException naming the file and byte offset: truncation, a CRC mismatch, or a record that is not an
     *     {@code Event}
     */
    public static List<Event> read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            long offset = 0;
            byte[] data;
            while ((data = TfRecord.read(in, file.toString(), offset)) != null) {
                try {
                    events.add(Event.parseFrom(data));
                } catch (InvalidProtocolBufferException e) {
                    throw new IOException(file + ": the record at byte " + offset + " is not an Event: " + e.getMessage(), e);
                }
                offset += TfRecord.framedLength(data.length);
            }
        }
        return events;
    }
}
