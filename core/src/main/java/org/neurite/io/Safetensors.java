package org.neurite.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.internal.Json;

/**
 * The safetensors layout (Hugging Face): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Float32 only, as our tensors.
 * Reading validates everything a truncated or corrupted file could get wrong.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** A named array and its shape. */
    public record Entry(int[] shape, float[] data) {
        public Entry {
            long n = org.neurite.tensor.Shape.checkedSize(shape);
            if (n != data.length) {
                throw new IllegalArgumentException("Safetensors: shape " + java.util.Arrays.toString(shape) + " holds " + n
                        + " values, not " + data.length);
            }
        }
    }

    public static byte[] write(Map<String, Entry> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", java.util.Arrays.stream(e.getValue().shape()).boxed().toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;   // the format pads the header to 8 bytes with spaces
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Entry e : tensors.values()) {
            for (float f : e.data()) {
                buf.putFloat(f);
            }
        }
        return buf.array();
    }

    /**
     * Reads every tensor; {@code what} names the source in error messages. Validates what a truncated, corrupt
     * or hostile file could get wrong, before allocating anything it declares: the header's length and JSON
     * (strict UTF-8, bounded nesting, no duplicate names), each dtype, shape (no negative dimension, no size
     * past what a tensor holds) and byte range, and that the ranges tile the data exactly, as the format
     * requires (no gaps, no overlaps, nothing after the last). Every failure is an
     * {@link IllegalArgumentException} starting with {@code what}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Entry> read(byte[] bytes, String what) {
        if (bytes.length < 8) {
            throw corrupt(what, "shorter than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw corrupt(what, "header length " + headerLength + " does not fit a file of " + bytes.length + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parse(java.util.Arrays.copyOfRange(bytes, 8, 8 + (int) headerLength));
        } catch (IllegalArgumentException e) {
            throw corrupt(what, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map)) {
            throw corrupt(what, "header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, long[]> ranges = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) parsed).entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map)) {
                    throw corrupt(what, "__metadata__ is not an object");
                }
                continue;
            }
            if (!(e.getValue() instanceof Map)) {
                throw corrupt(what, "tensor '" + name + "': header entry is not an object");
            }
            Map<String, Object> info = (Map<String, Object>) e.getValue();
            if (!"F32".equals(info.get("dtype"))) {
                throw corrupt(what, "tensor '" + name + "' has dtype " + info.get("dtype") + ", only F32 is supported");
            }
            if (!(info.get("shape") instanceof List) || !(info.get("data_offsets") instanceof List)) {
                throw corrupt(what, "tensor '" + name + "' lacks a shape or data_offsets array");
            }
            List<Object> shapeList = (List<Object>) info.get("shape");
            if (shapeList.size() > 8) {
                throw corrupt(what, "tensor '" + name + "' has rank " + shapeList.size() + "; at most 8 is supported");
            }
            int[] shape = new int[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) integer(shapeList.get(i), what, name, "shape", Integer.MAX_VALUE);
            }
            long count;
            try {
                count = org.neurite.tensor.Shape.checkedSize(shape);
            } catch (IllegalArgumentException ex) {
                throw corrupt(what, "tensor '" + name + "': " + ex.getMessage());
            }
            List<Object> offsets = (List<Object>) info.get("data_offsets");
            if (offsets.size() != 2) {
                throw corrupt(what, "tensor '" + name + "': data_offsets must hold two numbers, got " + offsets.size());
            }
            long begin = integer(offsets.get(0), what, name, "data_offsets", Long.MAX_VALUE / 2);
            long end = integer(offsets.get(1), what, name, "data_offsets", Long.MAX_VALUE / 2);
            if (end < begin || end > dataLength || end - begin != 4 * count) {
                throw corrupt(what, "tensor '" + name + "' spans bytes [" + begin + ", " + end + ") but the data "
                        + "holds " + dataLength + " bytes and its shape " + java.util.Arrays.toString(shape) + " needs "
                        + 4 * count + (end > dataLength ? " (file truncated?)" : ""));
            }
            ranges.put(name, new long[] {begin, end});
            shapes.put(name, shape);
        }
        // The format requires the byte ranges to tile the data: sorted by offset, each starts where the last ended.
        List<Map.Entry<String, long[]>> sorted = new java.util.ArrayList<>(ranges.entrySet());
        sorted.sort(java.util.Comparator.comparingLong((Map.Entry<String, long[]> r) -> r.getValue()[0])
                .thenComparingLong(r -> r.getValue()[1]));
        long expected = 0;
        for (Map.Entry<String, long[]> r : sorted) {
            if (r.getValue()[0] != expected) {
                throw corrupt(what, "tensor '" + r.getKey() + "' starts at byte " + r.getValue()[0] + " of the data, "
                        + (r.getValue()[0] < expected ? "overlapping the tensor before it" : "leaving a gap")
                        + " (expected " + expected + ")");
            }
            expected = r.getValue()[1];
        }
        if (expected != dataLength) {
            throw corrupt(what, "the tensors cover " + expected + " bytes of data but " + dataLength + " follow the header");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> r : ranges.entrySet()) {
            long begin = r.getValue()[0];
            float[] data = new float[(int) ((r.getValue()[1] - begin) / 4)];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), 4 * data.length)
                    .order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(data);
            out.put(r.getKey(), new Entry(shapes.get(r.getKey()), data));
        }
        return out;
    }

    private static long integer(Object v, String what, String tensor, String field, long max) {
        if (!(v instanceof Number)) {
            throw corrupt(what, "tensor '" + tensor + "': " + field + " holds " + (v == null ? "null" : "'" + v + "'")
                    + ", not a number");
        }
        double d = ((Number) v).doubleValue();
        if (d != Math.rint(d) || d < 0 || d > max) {
            throw corrupt(what, "tensor '" + tensor + "': " + field + " holds " + Json.write(v)
                    + (d < 0 ? ", a negative number" : d > max ? ", too large" : ", not an integer"));
        }
        return (long) d;
    }

    private static IllegalArgumentException corrupt(String what, String why) {
        return new IllegalArgumentException(what + ": not a valid safetensors file: " + why);
    }
}
