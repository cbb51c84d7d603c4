package org.neurite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model files' JSON: exact integers, strictness, bounded nesting. */
class JsonTest {
    @Test
    void integersAreExactAndRoundTrip() {
        long seed = 1234567890123456789L;
        assertEquals(seed, Json.parse(Json.write(Map.of("seed", seed))) instanceof Map<?, ?> m ? m.get("seed") : null);
        assertEquals("{\"seed\":1234567890123456789}", Json.write(Map.of("seed", seed)));
        assertEquals(List.of(1L, -2L, 1.5, 1e3), Json.parse("[1, -2, 1.5, 1e3]"));
        assertEquals(1e19, Json.parse("10000000000000000000"), "beyond a long: a double");
    }

    @Test
    void malformedTextIsRefusedWithTheOffset() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\":1,\"a\":2}", "01", "1.", "-", "\"\\x\"", "\"a\u0001\"",
            "[" .repeat(65) + "]".repeat(65), "tru", "{\"a\" 1}", "[1] 2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains("offset"), e.getMessage());
        }
        assertEquals(List.of(), Json.parse("[" .repeat(0) + "[]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(new byte[] {'"', (byte) 0xC3, 0x28, '"'}));
    }
}
