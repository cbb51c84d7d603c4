package org.neurite.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search for libOpenCL.so that spares a machine without OpenCL JOCL's unsilenceable message. */
class OpenClLibraryTest {

    @TempDir
    Path tmp;

    @Test
    void findsItInLdLibraryPathFirstThenTheCacheThenTheDefaults() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path dflt = Files.createDirectories(tmp.resolve("default"));
        Path noCache = tmp.resolve("no-cache");
        assertEquals(Optional.empty(), OpenClLibrary.locate("libOpenCL.so", a + ":" + b, noCache, List.of(dflt)));

        Files.writeString(dflt.resolve("libOpenCL.so"), "");
        assertEquals(Optional.of(dflt.resolve("libOpenCL.so").toString()),
                OpenClLibrary.locate("libOpenCL.so", null, noCache, List.of(dflt)));

        Path cached = Files.createDirectories(tmp.resolve("cached"));
        Files.writeString(cached.resolve("libOpenCL.so"), "");
        Path cache = cacheListing(cached.resolve("libOpenCL.so.1"), cached.resolve("libOpenCL.so"));
        assertEquals(Optional.of(cached.resolve("libOpenCL.so").toString()),
                OpenClLibrary.locate("libOpenCL.so", "", cache, List.of(dflt)));

        Files.writeString(b.resolve("libOpenCL.so"), "");
        assertEquals(Optional.of(b.resolve("libOpenCL.so").toString()),
                OpenClLibrary.locate("libOpenCL.so", a + ":" + b, cache, List.of(dflt)));
    }

    @Test
    void aCacheEntryWhoseFileIsGoneOrOnlyTheVersionedNameDoesNotCount() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lib"));
        Files.writeString(dir.resolve("libOpenCL.so.1"), "");
        // Listed, but removed since ldconfig ran; and only libOpenCL.so.1 present, which JOCL does not load.
        Path cache = cacheListing(dir.resolve("libOpenCL.so.1"), dir.resolve("libOpenCL.so"));
        assertEquals(Optional.empty(), OpenClLibrary.inCache(cache, "libOpenCL.so"));
        assertEquals(Optional.empty(), OpenClLibrary.locate("libOpenCL.so", null, cache, List.of(dir)));
        // A cache that is not one, or absent: not found, no exception.
        Files.write(tmp.resolve("garbage"), new byte[] {1, 2, 3});
        assertEquals(Optional.empty(), OpenClLibrary.inCache(tmp.resolve("garbage"), "libOpenCL.so"));
        assertEquals(Optional.empty(), OpenClLibrary.inCache(tmp.resolve("absent"), "libOpenCL.so"));
        assertEquals(Optional.empty(), OpenClLibrary.inCache(tmp, "libOpenCL.so"));
    }

    @Test
    void theRealSearchAgreesWithTheProbe() {
        // Where PoCL is installed (CI), the library is found; the probe's result agrees either way.
        Optional<String> found = OpenClLibrary.locate();
        boolean available = new OpenClBackendProvider().probe().available();
        if (available) {
            assertTrue(found.isPresent());
        }
        if (found.isEmpty()) {
            assertTrue(new OpenClBackendProvider().probe().detail().startsWith("no OpenCL library: libOpenCL.so"));
        }
    }

    /** A file laid out as glibc's cache stores strings: a header, then NUL-terminated names and paths. */
    private Path cacheListing(Path... libraries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 5, 0, 0, 0, 3, 7});
        for (Path p : libraries) {
            out.writeBytes((p.getFileName() + "\0" + p + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        Path cache = tmp.resolve("ld.so.cache");
        Files.write(cache, out.toByteArray());
        return cache;
    }
}
