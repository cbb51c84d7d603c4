package org.neurite.tensorboard;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.neurite.tensorboard.proto.Event;
import org.neurite.tensorboard.proto.HistogramProto;
import org.neurite.tensorboard.proto.Summary;
import org.neurite.tensorboard.proto.SummaryMetadata;

/**
 * One TensorBoard event file in a run directory, named as TensorFlow names them
 * ({@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2}), starting with the {@code brain.Event:2} version
 * record. Scalars and histograms are buffered and reach the file on {@link #flush()} and {@link #close()}, which
 * also forces them to the disk. Not thread-safe.
 */
public final class EventFileWriter implements Closeable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path file;
    private final FileChannel channel;
    private final OutputStream out;

    /**
     * Creates the directory if needed and a new event file in it.
     *
     * @throws UncheckedIOException naming the directory when it cannot be written
     */
    public EventFileWriter(Path runDirectory) {
        try {
            Files.createDirectories(runDirectory);
            long now = System.currentTimeMillis();
            this.file = runDirectory.resolve(String.format(Locale.ROOT, "events.out.tfevents.%d.%s.%d.%d.v2",
                    now / 1000, hostName(), ProcessHandle.current().pid(), COUNTER.incrementAndGet()));
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            write(Event.newBuilder().setWallTime(now / 1e3).setFileVersion("brain.Event:2").build());
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write an event file in " + runDirectory + ": " + e, e);
        }
    }

    /** The event file. */
    public Path file() {
        return file;
    }

    /**
     * A scalar at {@code step}, as TensorBoard's scalars dashboard shows it (a {@code simple_value}, which
     * TensorBoard reads as it reads {@code tf.summary.scalar}'s tensors).
     */
    public void scalar(String tag, long step, double value) {
        write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1e3).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                        .setSimpleValue((float) value)))
                .build());
    }

    /** A histogram of {@code values} at {@code step} (see {@link Histograms#of}). */
    public void histogram(String tag, long step, float[] values) {
        HistogramProto h = Histograms.of(values, Histograms.DEFAULT_BUCKETS);
        write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1e3).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                        .setMetadata(SummaryMetadata.newBuilder().setPluginData(
                                SummaryMetadata.PluginData.newBuilder().setPluginName("histograms")))
                        .setHisto(h)))
                .build());
    }

    /** Appends one event record. */
    public void write(Event event) {
        try {
            TfRecord.write(out, event.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write " + file + ": " + e, e);
        }
    }

    /** Writes what is buffered and forces it to the disk, so that TensorBoard sees it and a crash keeps it. */
    public void flush() {
        try {
            out.flush();
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try (channel) {
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot close " + file + ": " + e, e);
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
