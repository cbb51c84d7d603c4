package org.neurite.nn;

import java.util.List;
import java.util.Map;

/**
 * Typed, checked reads of one JSON object of a model file ({@code model.json}'s top level, a layer, the
 * optimizer): a missing key, a value of the wrong type, a number out of range or a name that is not one of
 * the allowed ones fails with an {@link IllegalArgumentException} naming the object, the key and the value,
 * never with a {@code NullPointerException} or {@code ClassCastException}.
 */
final class Config {
    private final Map<String, Object> map;
    private final String where;

    @SuppressWarnings("unchecked")
    Config(Object json, String where) {
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        this.map = (Map<String, Object>) json;
        this.where = where;
    }

    /** The object as parsed, read-only, for the factories of user layers. */
    Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(map);
    }

    String where() {
        return where;
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    private Object require(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": '" + key + "' is missing");
        }
        return v;
    }

    private IllegalArgumentException wrong(String key, Object v, String expected) {
        String shown = v instanceof String ? "\"" + v + "\"" : v instanceof Map ? "an object" : v instanceof List
                ? "an array" : String.valueOf(v);
        return new IllegalArgumentException(where + ": '" + key + "' must be " + expected + ", got " + shown);
    }

    String string(String key) {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw wrong(key, v, "a string");
        }
        return (String) v;
    }

    boolean bool(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw wrong(key, v, "true or false");
        }
        return (Boolean) v;
    }

    /** A finite number. */
    double number(String key) {
        Object v = require(key);
        if (!(v instanceof Number) || !Double.isFinite(((Number) v).doubleValue())) {
            throw wrong(key, v, "a number");
        }
        return ((Number) v).doubleValue();
    }

    float floatNumber(String key) {
        double d = number(key);
        if (Math.abs(d) > Float.MAX_VALUE) {
            throw wrong(key, d, "a float32 number");
        }
        return (float) d;
    }

    /** An integer in {@code [min, max]}. */
    long integer(String key, long min, long max) {
        Object v = require(key);
        if (!(v instanceof Number)) {
            throw wrong(key, v, "an integer");
        }
        if (v instanceof Long) {   // exact: JSON integers are read as longs
            long l = (Long) v;
            if (l < min || l > max) {
                throw wrong(key, v, "an integer in [" + min + ", " + max + "]");
            }
            return l;
        }
        double d = ((Number) v).doubleValue();
        if (d != Math.rint(d) || d < min || d > max) {
            throw wrong(key, v, "an integer in [" + min + ", " + max + "]");
        }
        return (long) d;
    }

    int integer(String key, int min, int max) {
        return (int) integer(key, (long) min, (long) max);
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        String s = string(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        throw wrong(key, s, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key) {
        Object v = require(key);
        if (!(v instanceof List)) {
            throw wrong(key, v, "an array");
        }
        return (List<Object>) v;
    }

    /** The array {@code key} as objects, each named {@code what[i]} in messages. */
    List<Config> objects(String key, String what) {
        List<Object> l = list(key);
        List<Config> out = new java.util.ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(new Config(l.get(i), where + ": " + what + "[" + i + "]"));
        }
        return out;
    }

    /** The array {@code key} of strings. */
    List<String> strings(String key) {
        List<Object> l = list(key);
        for (Object o : l) {
            if (!(o instanceof String)) {
                throw wrong(key, l, "an array of strings");
            }
        }
        return l.stream().map(o -> (String) o).toList();
    }

    /** The array {@code key} of exactly {@code length} finite numbers, as floats. */
    float[] floats(String key, int length) {
        List<Object> l = list(key);
        if (l.size() != length) {
            throw new IllegalArgumentException(where + ": '" + key + "' must hold " + length + " numbers, got " + l.size());
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            Object o = l.get(i);
            if (!(o instanceof Number) || !Double.isFinite(((Number) o).doubleValue())) {
                throw new IllegalArgumentException(where + ": '" + key + "'[" + i + "] is not a number: " + o);
            }
            out[i] = ((Number) o).floatValue();
        }
        return out;
    }

    Config object(String key) {
        return new Config(require(key), where + ": " + key);
    }
}
