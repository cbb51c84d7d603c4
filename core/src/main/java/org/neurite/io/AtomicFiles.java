package org.neurite.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file as a database writes its files, the one way every Neurite module saves (model files, {@code .npy},
 * ONNX and Keras exports, tuner state, charts, caches): a temporary file in the same directory (created with the
 * permissions of any new file, and locked while it is written), the content, {@code fsync}, an atomic rename over the
 * target, {@code fsync} of the directory. A crash at any point leaves either the old file or the new one, never a mix
 * and never a file that a power loss can still empty; a failed write deletes its temporary file. Temporary files of
 * writes that were killed are removed by the next write into that directory (a temporary file whose lock can be
 * taken has no live writer). Where the file system cannot rename atomically, the rename is a plain replace.
 */
public final class AtomicFiles {
    /** The suffix of temporary files, which are named {@code .<target name>.<random>.neurite-tmp}. */
    public static final String TEMP_SUFFIX = ".neurite-tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** What writes the content. It may wrap the stream (a zip stream, a writer) and close the wrapper. */
    @FunctionalInterface
    public interface Content {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} from {@code content} atomically and durably (see the class comment); creates missing
     * parent directories.
     *
     * @throws IOException the content's own failure, or the file system's; the target is then untouched
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            removeStaleTemporaries(dir, prefix);
            tmp = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(new NonClosingChannel(channel)),
                        1 << 16);
                content.write(out);
                out.flush();
                channel.force(true);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp = null;
            }
            syncDirectory(dir);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error that got us here is the one worth reporting
                }
            }
        }
    }

    /** {@link #write(Path, Content)} of bytes already in memory. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    private static void removeStaleTemporaries(Path dir, String prefix) {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            for (Path p : stale) {
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE); FileLock lock = c.tryLock()) {
                    if (lock != null) {
                        Files.deleteIfExists(p);   // nobody holds it: a write that was killed
                    }
                } catch (OverlappingFileLockException | IOException busy) {
                    // a write in this JVM, or one we may not touch: leave it
                }
            }
        } catch (IOException ignored) {
            // cleaning up is a courtesy; the write itself reports real errors
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the rename is then as durable as they allow
        }
    }

    /** Lets the content close its streams without closing the channel, whose lock must outlive them. */
    private static final class NonClosingChannel implements WritableByteChannel {
        private final FileChannel channel;

        NonClosingChannel(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
