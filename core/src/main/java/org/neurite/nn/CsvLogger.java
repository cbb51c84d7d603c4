package org.neurite.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes one CSV line per epoch ({@code epoch,loss,accuracy,val_loss,...}), as Keras's {@code CSVLogger}. */
public final class CsvLogger implements Callback {
    private final Path file;
    private final boolean append;
    private boolean headerWritten;

    public CsvLogger(Path file, boolean append) {
        this.file = file;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Model model) {
        headerWritten = append && Files.exists(file);
        if (!append) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("CsvLogger: cannot replace " + file, e);
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, Model model) {
        StringBuilder sb = new StringBuilder();
        if (!headerWritten) {
            sb.append("epoch,").append(String.join(",", logs.keySet())).append('\n');
            headerWritten = true;
        }
        sb.append(epoch).append(',')
                .append(logs.values().stream().map(String::valueOf).collect(Collectors.joining(","))).append('\n');
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + file, e);
        }
    }
}
