package org.neurite.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neurite.tensor.Shape;

/**
 * NumPy's {@code .npy} files (format versions 1.0, 2.0 and 3.0), as {@code numpy.save} writes them: the magic
 * {@code \x93NUMPY}, the version, the header length, a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (16, 784), }} padded with spaces to a multiple of 64
 * bytes and ended by a newline, then the data in C order.
 *
 * <p>Read: little-endian float32 ({@code '<f4'}) as is; float64 ({@code '<f8'}) and the integer types
 * ({@code '|u1'}, {@code '|i1'}, {@code '<u2'}, {@code '<i2'}, {@code '<u4'}, {@code '<i4'}, {@code '<u8'},
 * {@code '<i8'}: labels) converted to float, refusing integers beyond 2^24, which a float cannot hold exactly, and
 * float64 values outside float's range. Anything else (big-endian, Fortran order, structured or object arrays,
 * strings, booleans, a file longer or shorter than its header says) is refused with an {@link NpyException} naming
 * the file and the problem. Written: always {@code '<f4'}, version 1.0 (2.0 when the header needs it), C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** A header longer than this is not one numpy writes for an array. */
    private static final int MAX_HEADER = 1 << 16;

    private Npy() {
    }

    /** A bad or unsupported {@code .npy} file: the message names the file and the problem. */
    public static final class NpyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NpyException(String message) {
            super(message);
        }
    }

    /** The element types read. */
    public enum DType {
        F4("<f4", 4), F8("<f8", 8), U1("|u1", 1), I1("|i1", 1), U2("<u2", 2), I2("<i2", 2), U4("<u4", 4), I4("<i4", 4),
        U8("<u8", 8), I8("<i8", 8);

        private final String descr;
        private final int bytes;

        DType(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        /** NumPy's {@code descr}: {@code '<f4'}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        static DType of(String descr) {
            String d = descr;
            if (d.length() == 3 && d.charAt(0) == '<' && d.charAt(2) == '1') {
                d = "|" + d.substring(1);   // numpy accepts '<u1' for '|u1'
            }
            for (DType t : values()) {
                if (t.descr.equals(d)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** What a file holds: its shape, element type, and where the data start. */
    public record Header(int[] shape, DType dtype, long dataOffset) {
        /** Number of elements. */
        public long size() {
            return Shape.checkedSize(shape);
        }

        /** Bytes of data that follow the header. */
        public long dataBytes() {
            return size() * dtype.bytes();
        }
    }

    /** An array read from a file: C-order data and shape. */
    public record Array(int[] shape, float[] data) {
        /** Checks that the shape holds exactly the data. */
        public Array {
            if (Shape.checkedSize(shape) != data.length) {
                throw new IllegalArgumentException("Npy.Array: shape " + Arrays.toString(shape) + " holds "
                        + Shape.checkedSize(shape) + " values, not " + data.length);
            }
        }
    }

    /**
     * Reads a whole file as floats.
     *
     * @throws NpyException for a file that is not a supported {@code .npy} (see the class comment)
     * @throws UncheckedIOException when it cannot be read
     */
    public static Array read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file.toString());
            long expected = h.dataOffset() + h.dataBytes();
            if (ch.size() != expected) {
                throw new NpyException(file + ": " + (ch.size() < expected ? "truncated" : "trailing bytes") + ": the header"
                        + " announces " + Arrays.toString(h.shape()) + " of " + h.dtype().descr() + " (" + h.dataBytes()
                        + " bytes of data after " + h.dataOffset() + "), the file has " + ch.size() + " bytes");
            }
            if (h.size() > Integer.MAX_VALUE - 8) {
                throw new NpyException(file + ": " + h.size() + " elements do not fit one Java array; stream it instead");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) h.dataBytes()).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining()) {
                if (ch.read(bytes, h.dataOffset() + bytes.position()) < 0) {
                    throw new NpyException(file + ": truncated while reading the data");
                }
            }
            bytes.flip();
            float[] out = new float[(int) h.size()];
            convert(bytes, h.dtype(), out, 0, out.length, file.toString());
            return new Array(h.shape(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.read: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header of {@code file} (for streaming and memory-mapped readers). */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file.toString());
            if (ch.size() < h.dataOffset() + h.dataBytes()) {
                throw new NpyException(file + ": truncated: " + ch.size() + " bytes, the header announces "
                        + (h.dataOffset() + h.dataBytes()));
            }
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.readHeader: " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Converts {@code count} elements of {@code dtype} from {@code in} (little-endian, at its position) into
     * {@code out[offset..]}, with the checks of the class comment; {@code source} names the file in messages.
     */
    public static void convert(ByteBuffer in, DType dtype, float[] out, int offset, int count, String source) {
        ByteBuffer b = in.order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.F4) {
            b.asFloatBuffer().get(out, offset, count);   // the common case, in bulk
            b.position(b.position() + 4 * count);
            return;
        }
        for (int i = 0; i < count; i++) {
            float v;
            switch (dtype) {
                case F4 -> v = b.getFloat();
                case F8 -> {
                    double d = b.getDouble();
                    v = (float) d;
                    if (Double.isFinite(d) && Float.isInfinite(v)) {
                        throw new NpyException(source + ": element " + (offset + i) + " (" + d + ") is outside float's range");
                    }
                }
                case U1 -> v = b.get() & 0xff;
                case I1 -> v = b.get();
                case U2 -> v = b.getShort() & 0xffff;
                case I2 -> v = b.getShort();
                case U4 -> v = exact(b.getInt() & 0xffffffffL, source, offset + i);
                case I4 -> v = exact(b.getInt(), source, offset + i);
                case U8 -> {
                    long l = b.getLong();
                    if (l < 0) {
                        throw new NpyException(source + ": element " + (offset + i) + " (" + Long.toUnsignedString(l)
                                + ") is beyond 2^24, which a float cannot hold exactly");
                    }
                    v = exact(l, source, offset + i);
                }
                case I8 -> v = exact(b.getLong(), source, offset + i);
                default -> throw new AssertionError(dtype);
            }
            out[offset + i] = v;
        }
    }

    private static float exact(long value, String source, long index) {
        if (Math.abs(value) > (1L << 24)) {
            throw new NpyException(source + ": element " + index + " (" + value
                    + ") is beyond 2^24, which a float cannot hold exactly");
        }
        return value;
    }

    static Header readHeader(FileChannel ch, String source) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(pre, 0);
        if (pre.position() < 10 || !Arrays.equals(Arrays.copyOf(pre.array(), 6), MAGIC)) {
            throw new NpyException(source + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = pre.get(6) & 0xff;
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = pre.getShort(8) & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (pre.position() < 12) {
                throw new NpyException(source + ": truncated header");
            }
            headerLength = pre.getInt(8) & 0xffffffffL;
            prefix = 12;
        } else {
            throw new NpyException(source + ": .npy format version " + major + "." + (pre.get(7) & 0xff)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerLength > MAX_HEADER) {
            throw new NpyException(source + ": a header of " + headerLength + " bytes is not an array's");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
        while (hb.hasRemaining()) {
            if (ch.read(hb, prefix + hb.position()) < 0) {
                throw new NpyException(source + ": truncated header");
            }
        }
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(header, prefix + headerLength, source);
    }

    /** Parses the header's dict literal. */
    static Header parseHeader(String header, long dataOffset, String source) {
        String h = header.strip();
        if (!h.startsWith("{") || !h.endsWith("}")) {
            throw new NpyException(source + ": the header is not a dict literal: " + abbreviate(header));
        }
        String descr = null;
        Boolean fortran = null;
        int[] shape = null;
        HeaderLexer lx = new HeaderLexer(h.substring(1, h.length() - 1), source);
        while (lx.more()) {
            String key = lx.string();
            lx.expect(':');
            switch (key) {
                case "descr" -> {
                    if (lx.peek() != '\'' && lx.peek() != '"') {
                        throw new NpyException(source + ": structured arrays are not supported (descr "
                                + abbreviate(lx.rest()) + ")");
                    }
                    descr = lx.string();
                }
                case "fortran_order" -> fortran = lx.bool();
                case "shape" -> shape = lx.tuple();
                default -> throw new NpyException(source + ": unknown header key '" + key + "'");
            }
            lx.comma();
        }
        if (descr == null || fortran == null || shape == null) {
            throw new NpyException(source + ": the header lacks " + (descr == null ? "'descr'"
                    : fortran == null ? "'fortran_order'" : "'shape'"));
        }
        DType dtype = DType.of(descr);
        if (dtype == null) {
            throw new NpyException(source + ": dtype '" + descr + "' is not supported (float32 '<f4'; also '<f8' and the"
                    + " integer types |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8, converted)");
        }
        if (fortran) {
            throw new NpyException(source + ": Fortran-order arrays are not supported; save with"
                    + " numpy.save(f, numpy.ascontiguousarray(a))");
        }
        try {
            Shape.checkedSize(shape);
        } catch (IllegalArgumentException e) {
            throw new NpyException(source + ": shape " + Arrays.toString(shape) + ": " + e.getMessage());
        }
        return new Header(shape, dtype, dataOffset);
    }

    /**
     * Writes {@code data} with {@code shape} as {@code '<f4'}, C order, through {@link AtomicFiles}: never seen
     * half-written, durable once this returns.
     */
    public static void write(Path file, int[] shape, float[] data) {
        new Array(shape, data);   // checks the shape against the data
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (shape.length == 0 ? ""
                : dims.substring(0, dims.length() - 2)) + ")";
        // numpy leaves room for the first dimension to grow to 21 digits (format.GROWTH_AXIS_MAX_DIGITS).
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }"
                + (shape.length > 0 ? " ".repeat(21 - String.valueOf(shape[0]).length()) : "");
        int version = dict.length() + 11 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        // numpy's own padding (format._wrap_header): the data start 64-byte aligned, and an already aligned header
        // still gets 64 spaces, so that files are byte-identical to numpy.save's.
        int pad = 64 - ((prefix + dict.length() + 1) % 64);
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(prefix + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        head.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
        try {
            AtomicFiles.write(file, out -> {
                out.write(head.array(), 0, head.limit());
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < data.length;) {
                    chunk.clear();
                    while (chunk.remaining() >= 4 && i < data.length) {
                        chunk.putFloat(data[i++]);
                    }
                    out.write(chunk.array(), 0, chunk.position());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.write: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code .npy} file from a stream (bounded by the header's size), for zip entries and the like. */
    public static Array read(InputStream in, String source) throws IOException {
        Path tmp = Files.createTempFile("neurite", ".npy");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                return read(tmp);
            } catch (NpyException e) {
                throw new NpyException(e.getMessage().replace(tmp.toString(), source));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }

    /** The few tokens of a .npy header: quoted strings, True/False, tuples of integers, ':' and ','. */
    private static final class HeaderLexer {
        private final String s;
        private final String source;
        private int i;

        HeaderLexer(String s, String source) {
            this.s = s;
            this.source = source;
        }

        boolean more() {
            skip();
            return i < s.length();
        }

        char peek() {
            skip();
            return i < s.length() ? s.charAt(i) : 0;
        }

        String rest() {
            return s.substring(i);
        }

        void expect(char c) {
            if (peek() != c) {
                throw bad("'" + c + "'");
            }
            i++;
        }

        void comma() {
            if (peek() == ',') {
                i++;
            } else if (more()) {
                throw bad("','");
            }
        }

        String string() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw bad("a quoted string");
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw bad("a closing quote");
            }
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        boolean bool() {
            skip();
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw bad("True or False");
        }

        int[] tuple() {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw bad("a dimension");
                }
                long d = Long.parseLong(s.substring(start, Math.min(i, start + 19)));
                if (i - start > 10 || d > Integer.MAX_VALUE) {
                    throw new NpyException(source + ": dimension " + s.substring(start, i) + " is too large");
                }
                dims.add((int) d);
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw bad("',' or ')'");
                }
            }
            i++;
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private NpyException bad(String expected) {
            return new NpyException(source + ": bad header at " + abbreviate(s.substring(Math.min(i, s.length())))
                    + ": expected " + expected + String.format(Locale.ROOT, " (header: %s)", abbreviate(s)));
        }
    }
}
