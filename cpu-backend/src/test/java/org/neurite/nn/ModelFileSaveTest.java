package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.cpu.CpuBackend;
import org.neurite.tensor.Backend;

/** Saving as a database writes: permissions of any new file, stale temporaries of killed saves removed. */
class ModelFileSaveTest {
    @Test
    void savedFilesGetOrdinaryPermissionsAndKilledSavesAreCleanedUp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.neurite");
        // What a save killed mid-write leaves: a temporary file of ours that nobody holds.
        Path stale = dir.resolve(".m.neurite.killed" + ModelFile.TEMP_SUFFIX);
        Files.write(stale, new byte[4096]);
        // A save in progress elsewhere holds its temporary file locked: it must be left alone.
        Path busy = dir.resolve(".m.neurite.busy" + ModelFile.TEMP_SUFFIX);
        Files.write(busy, new byte[16]);
        Path other = dir.resolve(".other.neurite.x" + ModelFile.TEMP_SUFFIX);
        Files.write(other, new byte[16]);
        try (Backend backend = CpuBackend.builder().threads(1).build();
             Sequential m = new Sequential(backend, 3, 1, new Dense(2, "relu"));
             FileChannel c = FileChannel.open(busy, StandardOpenOption.WRITE)) {
            try (FileLock lock = c.lock()) {
                m.save(file);
            }
        }
        assertFalse(Files.exists(stale), "the killed save's temporary file was not removed");
        assertTrue(Files.exists(busy), "a locked temporary file (a save in progress) was removed");
        assertTrue(Files.exists(other), "another model's temporary file was removed");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Path plain = dir.resolve("plain");
            Files.write(plain, new byte[1]);   // what any new file gets under this umask
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
            assertEquals(expected, Files.getPosixFilePermissions(file), "a model file should be created as any file is");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "m.neurite, the busy and the other temporary file, plain");
        }
    }
}
