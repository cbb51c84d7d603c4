package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurite.tensor.spi.Availability;
import org.neurite.tensor.BackendInfo;
import org.neurite.tensor.Backends;

/** What can be checked without a GPU: the probe, the launch arithmetic, the fatbins and their freshness. */
class CudaHostTest {

    @Test
    void probeNeverThrowsAndSaysWhy() {
        Availability a = new CudaBackendProvider().probe();
        assertNotNull(a.detail());
        BackendInfo info = Backends.list().stream().filter(i -> i.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(100, info.priority());
        assertEquals(a.available(), info.availability().available());
        if (!a.available()) {
            // Twice: the failed native load must not turn into NoClassDefFoundError on the second look.
            assertEquals(a, new CudaBackendProvider().probe());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("cuda"));
            assertTrue(e.getMessage().contains("cuda: " + a.detail()), e::getMessage);
            if (!Files.exists(Path.of("/dev/nvidiactl"))) {
                assertTrue(a.detail().contains("libcuda.so.1") || a.detail().contains("cuInit"), a::detail);
            }
        }
    }

    @Test
    void theJdk22PartIsThereExactlyOnJdk22AndNewer() {
        // The build compiles src/main/java22 into META-INF/versions/22 on every JDK (a toolchain on older ones);
        // on JDK 22+ the tests see it, on older JDKs it must stay invisible and cublas13 says why.
        if (Runtime.version().feature() >= 22) {
            assertNotNull(assertDoesNotThrowClass("org.neurite.cuda.CublasFfm"));
            assertTrue(Files.exists(Path.of("target/classes/META-INF/versions/22/org/neurite/cuda/CublasFfm.class")));
            assertFalse(Files.exists(Path.of("target/classes/org/neurite/cuda/CublasFfm.class")),
                    "CublasFfm must live only under META-INF/versions/22, or a JDK 17 user would load a class file it"
                            + " cannot read");
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaBlas.cublas13(0));
            assertTrue(e.getMessage().contains("JDK 22"), e::getMessage);
        }
    }

    private static Class<?> assertDoesNotThrowClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is missing from the test class path", e);
        }
    }

    @Test
    void loadFailuresBecomeOneLine() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver\"\n"
                + "Operating system name: Linux\n---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file: "
                + "No such file or directory\n\tat java.base/...");
        assertEquals("libcuda.so.1: cannot open shared object file: No such file or directory", CudaDriver.rootMessage(e));
        assertEquals("libcublas.so.12: cannot open shared object file: No such file or directory",
                CudaDriver.rootMessage(new UnsatisfiedLinkError("Error while loading native library \"JCublas2\"\n"
                        + "java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: "
                        + "cannot open shared object file: No such file or directory\n")));
        assertEquals("libcuda.so.1: cannot open shared object file",
                CudaDriver.rootMessage(new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file")));
        assertEquals("Error while loading native library \"JCudaDriver\"",
                CudaDriver.rootMessage(new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver\"\nmore")));
        Availability a = new CudaBackendProvider().probe();
        assertFalse(a.detail().contains("\n") && !a.available(), "a multi-line reason: " + a.detail());
    }

    @Test
    void deviceIndicesParse() {
        assertEquals(0, CudaBackendProvider.deviceIndex("", 2));
        assertEquals(1, CudaBackendProvider.deviceIndex(" 1 ", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaBackendProvider.deviceIndex("2", 2));
        assertTrue(e.getMessage().contains("no device 2") && e.getMessage().contains("cuda:0 .. cuda:1"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> CudaBackendProvider.deviceIndex("fast", 1));
        assertTrue(e.getMessage().contains("device index"), e::getMessage);
    }

    @Test
    void specOptionsNameADeviceAndAGemm() {
        assertEquals(new CudaBackendProvider.Spec("", ""), CudaBackendProvider.Spec.parse("", ""));
        assertEquals(new CudaBackendProvider.Spec("1", ""), CudaBackendProvider.Spec.parse("1", ""));
        assertEquals(new CudaBackendProvider.Spec("", "tiled"), CudaBackendProvider.Spec.parse("tiled", "cublas"));
        assertEquals(new CudaBackendProvider.Spec("1", "cublas"), CudaBackendProvider.Spec.parse(" 1 : CUBLAS ", ""));
        assertEquals(new CudaBackendProvider.Spec("", "cublas"), CudaBackendProvider.Spec.parse(null, "cublas"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaBackendProvider.Spec.parse("0:1", ""));
        assertTrue(e.getMessage().contains("two device indices"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> CudaBackendProvider.deviceIndex("fastest", 1));
        assertTrue(e.getMessage().contains("tiled or cublas"), e::getMessage);
    }

    @Test
    void driverVersionCheck() {
        assertNull(CudaDriver.checkDriverVersion(13000));
        assertNull(CudaDriver.checkDriverVersion(13010));
        String why = CudaDriver.checkDriverVersion(12040);
        assertTrue(why.contains("CUDA 12.4") && why.contains("r580"), why);
    }

    @Test
    void launchConfigurationsCoverTheWorkWithinCudaLimits() {
        LaunchConfig c = LaunchConfig.of("k", new long[] {1000}, new long[] {256});
        assertEquals(new LaunchConfig(4, 1, 1, 256, 1, 1), c);
        assertEquals(new LaunchConfig(1, 1, 1, 10, 1, 1), LaunchConfig.of("k", new long[] {10}, null));
        assertEquals(new LaunchConfig(2, 3, 1, 64, 4, 1), LaunchConfig.of("k", new long[] {100, 9}, new long[] {64, 4}));
        assertEquals(new LaunchConfig(32, 16, 1, 16, 16, 1),
                LaunchConfig.of("gemm_tiled", new long[] {512, 256}, new long[] {16, 16}));
        assertNull(LaunchConfig.of("k", new long[] {0, 5}, new long[] {64, 4}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchConfig.of("big", new long[] {64, 4L * 70_000}, new long[] {64, 4}));
        assertTrue(e.getMessage().contains("big") && e.getMessage().contains("65535"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.of("k", new long[] {64, 64}, new long[] {64, 64}));
        assertTrue(e.getMessage().contains("4096 threads per block"), e::getMessage);
    }

    @Test
    void everyFamilyHasAFatbinInTheJar() {
        for (String family : CudaModules.FAMILIES) {
            byte[] image = CudaModules.image(family);
            assertEquals(CudaModules.FATBIN_MAGIC, CudaModules.magic(image), family);
            assertTrue(image.length > 10_000, family + ": " + image.length + " bytes");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaModules.image("nonesuch"));
        assertTrue(e.getMessage().contains("nonesuch.fatbin is missing"), e::getMessage);
    }

    /**
     * The committed fatbins were built from the sources as they are: kernels.manifest (written by
     * build-kernels.sh) lists the SHA-256 of every input, and every input is listed. Fails after a change to
     * a kernel source, the compatibility header or the flags until build-kernels.sh (run by the build where
     * nvcc exists) has rebuilt them.
     */
    @Test
    void fatbinsAreUpToDateWithTheirSources() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path manifest = module.resolve("src/main/resources/org/neurite/cuda/kernels.manifest");
        List<String> listed = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            String[] parts = line.split(" {2}", 2);
            Path file = module.resolve(parts[1]).normalize();
            assertEquals(parts[0], sha256(file), parts[1] + " changed since the fatbins were built: run "
                    + "cuda-backend/build-kernels.sh (needs nvcc) and commit the fatbins");
            listed.add(file.toString());
        }
        TreeSet<String> inputs = new TreeSet<>();
        Path cl = module.resolve("../core/src/main/resources/org/neurite/tensor/device").normalize();
        try (Stream<Path> s = Stream.concat(Files.list(module.resolve("src/main/cuda")), Files.list(cl))) {
            s.filter(p -> p.toString().matches(".*\\.(cu|cuh|cl|flags)$")).map(Path::toString).forEach(inputs::add);
        }
        assertEquals(inputs, new TreeSet<>(listed), "inputs of the CUDA kernels not in kernels.manifest");
    }

    /**
     * Every kernel of every family's source is in that family's fatbin (the kernels the CPU-device GEMM
     * needs are OpenCL-only). Guards against a build that compiles but drops kernels, as a macro named
     * {@code global} once did by emptying CUDA's own {@code __global__}.
     */
    @Test
    void everyKernelOfTheSourcesIsInItsFatbin() throws IOException {
        Path cl = Path.of("../core/src/main/resources/org/neurite/tensor/device");
        java.util.regex.Pattern kernel = java.util.regex.Pattern.compile("__kernel void (?:REQD_WG\\([^)]*\\)\\s*)?(\\w+)\\(");
        java.util.Set<String> openClOnly = java.util.Set.of("pack_a", "pack_b", "gemm_packed");
        int found = 0;
        for (String family : CudaModules.FAMILIES) {
            String image = new String(CudaModules.image(family), java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher m = kernel.matcher(Files.readString(cl.resolve(family + ".cl")));
            while (m.find()) {
                if (!openClOnly.contains(m.group(1))) {
                    assertTrue(image.contains(m.group(1)), family + ".fatbin lacks kernel " + m.group(1));
                    found++;
                }
            }
        }
        assertTrue(found >= 30, "only " + found + " kernels found in the sources");
    }

    /**
     * What ptxas said of every kernel when the fatbins were built (resource-usage.txt, written by
     * build-kernels.sh with -Xptxas -v): for both SASS targets, no spills and no stack (local memory, slow on
     * a GPU), the registers of the largest block the backend launches fit in one SM's 65,536 (else the
     * launch fails with "too many resources requested"), and static shared memory within 48 KiB.
     */
    @Test
    void everyKernelFitsTheGpuWithoutSpilling() throws IOException {
        String usage;
        try (java.io.InputStream in = CudaModules.class.getResourceAsStream("resource-usage.txt")) {
            assertNotNull(in, "resource-usage.txt is missing: run cuda-backend/build-kernels.sh (needs nvcc)");
            usage = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        int tiledBlock = (CudaGemm.TSM / CudaGemm.WPTM) * (CudaGemm.TSN / CudaGemm.WPTN);
        java.util.Map<String, java.util.Set<String>> kernelsByArch = new java.util.TreeMap<>();
        for (String line : usage.strip().split("\n")) {
            String[] f = line.trim().split(" ");
            assertEquals(8, f.length, "resource-usage.txt line: " + line);
            String kernel = f[2];
            int registers = Integer.parseInt(f[3]);
            int block = kernel.startsWith("gemm_tiled") ? tiledBlock : LaunchConfig.MAX_THREADS_PER_BLOCK;
            assertEquals("0 0 0", f[4] + " " + f[5] + " " + f[6], kernel + " on " + f[1] + " spills or uses a stack: "
                    + line);
            assertTrue(registers * block <= 65_536, kernel + " on " + f[1] + ": " + registers + " registers x " + block
                    + " threads exceed an SM's 65,536");
            assertTrue(Integer.parseInt(f[7]) <= 48 * 1024, kernel + ": shared memory " + f[7] + " bytes");
            kernelsByArch.computeIfAbsent(f[1], a -> new TreeSet<>()).add(kernel);
        }
        assertEquals(java.util.Set.of("sm_80", "sm_90"), kernelsByArch.keySet());
        assertEquals(kernelsByArch.get("sm_80"), kernelsByArch.get("sm_90"));
        assertTrue(kernelsByArch.get("sm_90").size() >= 30, kernelsByArch::toString);
        for (CudaGemm.Tile tile : CudaGemm.TILES) {   // every tile configuration is built, with 16 x 16 threads
            assertTrue(kernelsByArch.get("sm_90").contains(tile.kernel()), tile.kernel());
            assertEquals(tiledBlock, tile.side() * tile.side(), "threads of the " + tile.size() + " tiles");
        }
    }

    @Test
    void theTiledGemmTakesTheLargestTilesThatStillFillTheGpu() {
        assertEquals(128, CudaGemm.chooseTile(4096, 4096, 132).size());   // 1,024 blocks
        assertEquals(64, CudaGemm.chooseTile(1024, 1024, 132).size());    // 64 blocks of 128, 256 of 64
        assertEquals(32, CudaGemm.chooseTile(256, 300, 132).size());      // the MLP at batch 256: 6, 20, 80 blocks
        assertEquals(32, CudaGemm.chooseTile(1, 1, 132).size());
        assertEquals(128, CudaGemm.chooseTile(10, 10, 1).size());         // one SM: any grid fills it
        assertEquals("gemm_tiled", CudaGemm.chooseTile(4096, 4096, 132).kernel());
        assertEquals("gemm_tiled_32", CudaGemm.chooseTile(1, 1, 132).kernel());
        assertEquals(64, CudaGemm.forcedTile("tiled64").size());
        assertNull(CudaGemm.forcedTile("tiled"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.forcedTile("tiled48"));
        assertTrue(e.getMessage().contains("tiled32, tiled64, tiled128"), e::getMessage);
    }

    @Test
    void tileSizesMatchTheBuildFlags() throws IOException {
        String flags = Files.readString(Path.of("src/main/cuda/nvcc.flags"));
        for (String f : new String[] {"-DTSM=" + CudaGemm.TSM, "-DTSN=" + CudaGemm.TSN, "-DWPTM=" + CudaGemm.WPTM,
            "-DWPTN=" + CudaGemm.WPTN}) {
            assertTrue(flags.contains(f + " "), "nvcc.flags lacks " + f + ": " + flags);
        }
        assertFalse(flags.contains("use_fast_math"), "fast math would break the conformance tolerances");
        String gemmCu = Files.readString(Path.of("src/main/cuda/gemm.cu"));
        for (CudaGemm.Tile tile : CudaGemm.TILES) {
            if (tile.size() != CudaGemm.TSM) {
                for (String d : new String[] {"#define TSM " + tile.size(), "#define TSN " + tile.size(),
                    "#define WPTM " + tile.perThread(), "#define WPTN " + tile.perThread(),
                    "#define gemm_tiled " + tile.kernel()}) {
                    assertTrue(gemmCu.contains(d + "\n"), "gemm.cu lacks " + d);
                }
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
    }
}
