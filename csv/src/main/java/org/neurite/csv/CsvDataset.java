package org.neurite.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.neurite.data.Dataset;
import org.neurite.data.Datasets;

/**
 * A CSV file with a header row as a {@link Dataset}: the columns named as inputs become the model's input (in the
 * order given), those named as targets its target; other columns are ignored. Parsed once with Apache Commons CSV
 * (RFC 4180: quoting, embedded delimiters and newlines) into float arrays, four bytes a cell, so the selected columns
 * must fit in memory; a cell that is not a number fails with the file, line and column named.
 *
 * <pre>{@code
 * Dataset housing = CsvDataset.builder(Path.of("housing.csv"))
 *         .inputs("CRIM", "ZN", "INDUS", "RM", "LSTAT").targets("MEDV").build();
 * model.fit(housing, FitOptions.epochs(100));
 * }</pre>
 */
public final class CsvDataset {
    private CsvDataset() {
    }

    /** Starts reading {@code file}. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** Which columns, and how the file is written. */
    public static final class Builder {
        private final Path file;
        private List<String> inputs = List.of();
        private List<String> targets = List.of();
        private char delimiter = ',';
        private int skipLines;

        private Builder(Path file) {
            this.file = file;
        }

        /** The input columns, by header name, in the order the model takes them; none given: every non-target column. */
        public Builder inputs(String... columns) {
            this.inputs = List.of(columns);
            return this;
        }

        /** The target columns, by header name (one for a class index or a scalar). */
        public Builder targets(String... columns) {
            this.targets = List.of(columns);
            return this;
        }

        /** The field delimiter (default {@code ,}). */
        public Builder delimiter(char c) {
            this.delimiter = c;
            return this;
        }

        /** Lines to skip before the header (a title line, as scikit-learn's files have). */
        public Builder skipLines(int n) {
            this.skipLines = n;
            return this;
        }

        /**
         * Reads the file.
         *
         * @throws IllegalArgumentException naming the file: a missing column (with the header's), a cell that is not a
         *     number (line and column), a row with fewer fields, no rows
         */
        public Dataset build() {
            CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (int i = 0; i < skipLines; i++) {
                    skipLine(reader);
                }
                try (CSVParser parser = CSVParser.parse(reader, format)) {
                    Map<String, Integer> header = new LinkedHashMap<>(parser.getHeaderMap());
                    List<String> in = inputs.isEmpty() ? header.keySet().stream().filter(c -> !targets.contains(c))
                            .toList() : inputs;
                    int[] inCols = columns(header, in);
                    int[] outCols = columns(header, targets);
                    FloatList x = new FloatList();
                    FloatList y = new FloatList();
                    int rows = 0;
                    for (CSVRecord r : parser) {
                        for (int c : inCols) {
                            x.add(number(r, c, header));
                        }
                        for (int c : outCols) {
                            y.add(number(r, c, header));
                        }
                        rows++;
                    }
                    if (rows == 0) {
                        throw new IllegalArgumentException(file + ": no data rows after the header");
                    }
                    return Datasets.fromArrays(List.of(x.toArray()), new int[] {inCols.length},
                            outCols.length == 0 ? List.of() : List.of(y.toArray()),
                            outCols.length == 0 ? new int[0] : new int[] {outCols.length});
                }
            } catch (IOException e) {
                throw new UncheckedIOException("CsvDataset: " + file + ": " + e.getMessage(), e);
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                throw new IllegalArgumentException(file + ": not valid CSV: " + e.getMessage(), e);
            }
        }

        private static void skipLine(Reader r) throws IOException {
            for (int c = r.read(); c != -1 && c != '\n'; c = r.read()) {
                // skip
            }
        }

        private int[] columns(Map<String, Integer> header, List<String> names) {
            int[] cols = new int[names.size()];
            for (int i = 0; i < cols.length; i++) {
                Integer c = header.get(names.get(i));
                if (c == null) {
                    throw new IllegalArgumentException(file + ": no column '" + names.get(i) + "' (the header has "
                            + header.keySet() + ")");
                }
                cols[i] = c;
            }
            return cols;
        }

        private float number(CSVRecord r, int column, Map<String, Integer> header) {
            if (column >= r.size()) {
                throw new IllegalArgumentException(file + ": line " + r.getParser().getCurrentLineNumber() + " has "
                        + r.size() + " fields, column " + name(header, column) + " is number " + (column + 1));
            }
            String v = r.get(column);
            try {
                return Float.parseFloat(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line " + r.getParser().getCurrentLineNumber() + ", column "
                        + name(header, column) + ": '" + v + "' is not a number");
            }
        }

        private static String name(Map<String, Integer> header, int column) {
            return header.entrySet().stream().filter(e -> e.getValue() == column).map(Map.Entry::getKey).findFirst()
                    .map(n -> "'" + n + "'").orElse(String.valueOf(column + 1));
        }
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.multiplyExact(a.length, 2));
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
