package org.neurite.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files as numpy 2 wrote them (test resources made with numpy.save), and our writer against them. */
class NpyTest {
    @TempDir
    Path tmp;

    private static Path resource(String name) {
        try {
            return Path.of(NpyTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsWhatNumpyWrites() {
        Npy.Array a = Npy.read(resource("f4_2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, a.data());
        Npy.Array scalar = Npy.read(resource("f4_scalar.npy"));
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {3.25f}, scalar.data());
        Npy.Array v = Npy.read(resource("f4_vec5.npy"));
        assertArrayEquals(new int[] {5}, v.shape());
        assertArrayEquals(new float[] {1, -2, 3.5f, Float.NaN, Float.POSITIVE_INFINITY}, v.data());
        assertArrayEquals(new float[] {0, 9, 3, 16777216}, Npy.read(resource("i8_labels.npy")).data());
        assertArrayEquals(new float[] {0, 255, 7, 128}, Npy.read(resource("u1_bytes.npy")).data());
        Npy.Array longShape = Npy.read(resource("f4_long_shape.npy"));
        assertEquals(21, longShape.shape().length);
        assertEquals(3, longShape.data().length);
        assertEquals(Npy.DType.F8, Npy.readHeader(resource("f8_vals.npy")).dtype());
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        Path mine = tmp.resolve("mine.npy");
        Npy.write(mine, new int[] {2, 3}, new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f});
        assertArrayEquals(Files.readAllBytes(resource("f4_2x3.npy")), Files.readAllBytes(mine));
        Npy.write(mine, new int[0], new float[] {3.25f});
        assertArrayEquals(Files.readAllBytes(resource("f4_scalar.npy")), Files.readAllBytes(mine));
        Npy.write(mine, new int[] {5}, new float[] {1, -2, 3.5f, Float.NaN, Float.POSITIVE_INFINITY});
        assertArrayEquals(Files.readAllBytes(resource("f4_vec5.npy")), Files.readAllBytes(mine));
        int[] longShape = new int[21];
        Arrays.fill(longShape, 1);
        longShape[20] = 3;
        Npy.write(mine, longShape, new float[3]);
        assertArrayEquals(Files.readAllBytes(resource("f4_long_shape.npy")), Files.readAllBytes(mine));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesWhatItCannotHoldOrDoesNotSupportNamingTheFile() {
        refused("f4_fortran.npy", "Fortran-order");
        refused("f4_big_endian.npy", "dtype '>f4' is not supported");
        refused("c8_complex.npy", "dtype '<c8' is not supported");
        refused("bool.npy", "dtype '|b1' is not supported");
        refused("structured.npy", "structured arrays are not supported");
        refused("i4_big.npy", "beyond 2^24");
        refused("f8_vals.npy", "outside float's range");
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new int[] {2, 2}, new float[3]));
    }

    @Test
    void refusesDamagedFiles() throws IOException {
        byte[] good = Files.readAllBytes(resource("f4_2x3.npy"));
        expectBroken(Arrays.copyOf(good, good.length - 1), "truncated");
        expectBroken(Arrays.copyOf(good, good.length + 4), "trailing bytes");
        expectBroken(Arrays.copyOf(good, 40), "truncated header");
        byte[] magic = good.clone();
        magic[1] = 'X';
        expectBroken(magic, "not a .npy file");
        byte[] version = good.clone();
        version[6] = 4;
        expectBroken(version, "version 4.0 is not supported");
        expectBroken(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1, }"), "unknown header key 'x'");
        expectBroken(header("{'descr': '<f4', 'shape': (2, 3), }"), "lacks 'fortran_order'");
        expectBroken(header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 3), }"), "too large");
        expectBroken(header("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }"), "shape [65536, 65536]");
        expectBroken(header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3), }"), "expected True or False");
        expectBroken(header("['descr']"), "not a dict literal");
    }

    private byte[] header(String dict) {
        String h = dict + " ".repeat(64 - ((10 + dict.length() + 1) % 64)) + "\n";
        byte[] out = new byte[10 + h.length() + 24];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), (byte) (h.length() >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, out, 10, h.length());
        return out;
    }

    private void expectBroken(byte[] bytes, String message) throws IOException {
        Path f = tmp.resolve("broken.npy");
        Files.write(f, bytes);
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(message), e.getMessage());
    }

    private static void refused(String name, String message) {
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.read(resource(name)));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(message), e.getMessage());
    }
}
