package org.neurite.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds {@code libOpenCL.so} the way the dynamic loader would, before JOCL asks for it. JOCL's native code
 * prints "Could not load libOpenCL.so, error ..." to the process's standard output when {@code dlopen} fails,
 * which no logging setting can silence; probing first keeps a machine without OpenCL quiet.
 *
 * <p>The search follows {@code dlopen(3)} for a name without a slash: the directories in
 * {@code LD_LIBRARY_PATH}, then the loader's cache ({@code /etc/ld.so.cache}, which lists every library
 * {@code ldconfig} found by name and path), then the default directories. Only Linux is probed; elsewhere JOCL
 * loads a differently named library and is asked directly.
 */
final class OpenClLibrary {
    /** The name JOCL passes to {@code dlopen} on Linux. */
    static final String NAME = "libOpenCL.so";

    /** The trusted directories of glibc's loader, and the Debian/Ubuntu multiarch ones. */
    static final List<Path> DEFAULT_DIRS = List.of(Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"),
            Path.of("/usr/lib"), Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib/aarch64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"));

    private OpenClLibrary() {
    }

    /**
     * Where the loader would find {@code libOpenCL.so} on this machine, or empty when it would not; always
     * {@code Optional.of("")} (unknown: ask JOCL) on systems other than Linux.
     */
    static Optional<String> locate() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return Optional.of("");
        }
        return locate(NAME, System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.cache"), DEFAULT_DIRS);
    }

    /** The search itself, with its inputs given (tests use their own directories and cache files). */
    static Optional<String> locate(String name, String ldLibraryPath, Path cache, List<Path> defaults) {
        List<Path> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                // An empty entry means the current directory, as for the loader.
                dirs.add(Path.of(d.isEmpty() ? "." : d));
            }
        }
        for (Path d : dirs) {
            if (Files.exists(d.resolve(name))) {
                return Optional.of(d.resolve(name).toString());
            }
        }
        Optional<String> cached = inCache(cache, name);
        if (cached.isPresent()) {
            return cached;
        }
        for (Path d : defaults) {
            if (Files.exists(d.resolve(name))) {
                return Optional.of(d.resolve(name).toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the loader's cache lists {@code name}: both cache formats store each entry's name and full path
     * as NUL-terminated strings, so a path ending in {@code /name} followed by NUL is the entry. Bounded: a cache
     * over 64 MiB, or one that cannot be read, counts as not listing it.
     */
    static Optional<String> inCache(Path cache, String name) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(cache) || Files.size(cache) > (64 << 20)) {
                return Optional.empty();
            }
            bytes = Files.readAllBytes(cache);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        byte[] needle = ("/" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            int start = i;
            while (start > 0 && bytes[start - 1] != 0) {
                start--;
            }
            String path = new String(bytes, start, i + needle.length - 1 - start, StandardCharsets.US_ASCII);
            if (path.startsWith("/") && Files.exists(Path.of(path))) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
