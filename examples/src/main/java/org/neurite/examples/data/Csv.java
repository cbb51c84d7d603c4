package org.neurite.examples.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Numeric CSV tables: rows of comma-separated numbers, with header lines skipped as asked. */
public final class Csv {
    private Csv() {
    }

    /** A table of {@code rows x cols} numbers, row-major. */
    public record Table(float[] values, int rows, int cols) {
        /** Column {@code j} as its own array. */
        public float[] column(int j) {
            float[] c = new float[rows];
            for (int i = 0; i < rows; i++) {
                c[i] = values[i * cols + j];
            }
            return c;
        }

        /** Columns {@code [from, to)} as a row-major table. */
        public float[] columns(int from, int to) {
            int w = to - from;
            float[] out = new float[rows * w];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(values, i * cols + from, out, i * w, w);
            }
            return out;
        }
    }

    public static Table read(Path file, int headerLines) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<float[]> rows = new ArrayList<>();
        int cols = -1;
        for (int i = headerLines; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            if (cols < 0) {
                cols = f.length;
            } else if (f.length != cols) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.length + " fields, expected " + cols);
            }
            float[] row = new float[cols];
            for (int j = 0; j < cols; j++) {
                try {
                    row[j] = Float.parseFloat(f[j].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + (i + 1) + ": field " + (j + 1) + " is not a number: '" + f[j] + "'");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no data rows");
        }
        float[] values = new float[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, values, i * cols, cols);
        }
        return new Table(values, rows.size(), cols);
    }
}
