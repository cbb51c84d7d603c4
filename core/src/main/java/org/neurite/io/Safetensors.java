package org.neurite.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
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

    /** Reads every tensor; {@code what} names the source in error messages. */
    @SuppressWarnings("unchecked")
    public static Map<String, Entry> read(byte[] bytes, String what) {
        if (bytes.length < 8) {
            throw corrupt(what, "shorter than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw corrupt(what, "header length " + headerLength + " does not fit a file of " + bytes.length + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim());
        } catch (RuntimeException e) {
            throw corrupt(what, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map)) {
            throw corrupt(what, "header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) parsed).entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            try {
                Map<String, Object> info = (Map<String, Object>) e.getValue();
                if (!"F32".equals(info.get("dtype"))) {
                    throw corrupt(what, "tensor '" + e.getKey() + "' has dtype " + info.get("dtype") + ", only F32 is supported");
                }
                List<Object> shapeList = (List<Object>) info.get("shape");
                int[] shape = new int[shapeList.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = ((Double) shapeList.get(i)).intValue();
                    count *= shape[i];
                }
                List<Object> offsets = (List<Object>) info.get("data_offsets");
                long begin = ((Double) offsets.get(0)).longValue();
                long end = ((Double) offsets.get(1)).longValue();
                if (begin < 0 || end > dataLength || end - begin != 4 * count) {
                    throw corrupt(what, "tensor '" + e.getKey() + "' spans bytes [" + begin + ", " + end + ") but the data "
                            + "holds " + dataLength + " bytes and its shape needs " + 4 * count
                            + (end > dataLength ? " (file truncated?)" : ""));
                }
                float[] data = new float[(int) count];
                ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < data.length; i++) {
                    data[i] = slice.getFloat();
                }
                out.put(e.getKey(), new Entry(shape, data));
            } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException ex) {
                throw corrupt(what, "tensor '" + e.getKey() + "' has a malformed header entry");
            }
        }
        return out;
    }

    private static IllegalArgumentException corrupt(String what, String why) {
        return new IllegalArgumentException(what + ": not a valid safetensors file: " + why);
    }
}
