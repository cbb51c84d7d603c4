package org.neurite.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic, durable write every module saves through. */
class AtomicFilesTest {

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesReplacesAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/dir/a.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.write(f, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(f));
        assertEquals(List.of(f), listing(f.getParent()));
    }

    @Test
    void aFailingContentLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);   // past the buffer: part of it reached the temporary file
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("simulated"), e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listing(dir));
        RuntimeException r = assertThrows(RuntimeException.class, () -> AtomicFiles.write(f, out -> {
            throw new IllegalStateException("bug in the writer");
        }));
        assertEquals("bug in the writer", r.getMessage());
        assertEquals(List.of(f), listing(dir));
    }

    @Test
    void contentMayCloseItsOwnWrapper(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.zip");
        AtomicFiles.write(f, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("x"));
                zip.write(42);
                zip.closeEntry();
            }
        });
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(f.toFile())) {
            assertEquals(42, z.getInputStream(z.getEntry("x")).read());
        }
    }

    @Test
    void staleTemporariesOfKilledWritesGoButLiveOnesStay(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.npy");
        Path stale = dir.resolve(".m.npy.killed" + AtomicFiles.TEMP_SUFFIX);
        Files.write(stale, new byte[10]);
        Path other = dir.resolve(".other.npy.x" + AtomicFiles.TEMP_SUFFIX);
        Files.write(other, new byte[10]);
        Path live = dir.resolve(".m.npy.live" + AtomicFiles.TEMP_SUFFIX);
        Files.write(live, new byte[10]);
        try (FileChannel c = FileChannel.open(live, StandardOpenOption.WRITE); FileLock lock = c.lock()) {
            AtomicFiles.write(f, new byte[] {7});
            assertFalse(Files.exists(stale), "a temporary file nobody holds is removed");
            assertTrue(Files.exists(live), "a locked one is another writer's: left alone");
            assertTrue(Files.exists(other), "another file's temporaries are not this write's business");
        }
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(f));
    }
}
