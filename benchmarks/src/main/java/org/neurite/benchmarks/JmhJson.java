package org.neurite.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** JMH's JSON results (a list of runs as maps), read with Jackson. */
final class JmhJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhJson() {
    }

    static List<Object> read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), new TypeReference<List<Object>>() { });
    }
}
