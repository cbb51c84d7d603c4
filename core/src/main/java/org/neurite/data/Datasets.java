package org.neurite.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.neurite.io.Npy;

/** The data sets Neurite reads without dependencies: host arrays, IDX files, NumPy files. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Host arrays: one row-major array per input and per target, with their widths. The arrays are used as they are
     * (not copied).
     *
     * @throws IllegalArgumentException when an array's length is not a multiple of its width or the sample counts differ
     */
    public static Dataset fromArrays(List<float[]> inputs, int[] inputWidths, List<float[]> targets, int[] targetWidths) {
        return new ArrayDataset(inputs, inputWidths, targets, targetWidths);
    }

    /** One input and one target. */
    public static Dataset fromArrays(float[] x, int xWidth, float[] y, int yWidth) {
        return fromArrays(List.of(x), new int[] {xWidth}, List.of(y), new int[] {yWidth});
    }

    /**
     * IDX files (LeCun's format, as MNIST and Fashion-MNIST are distributed): unsigned-byte images (magic 0x00000803,
     * any number of dimensions after the count) as the input, and unsigned-byte labels (0x00000801) as the target, the
     * class index. Gzipped files ({@code .gz}) are decompressed once into {@code cacheDir} (an entry per source path,
     * made again when the source is newer); the data are then
     * memory-mapped, not loaded. Pixels come as 0..255: add {@code .map(BatchTransform.scale(0, 1f / 255))}.
     *
     * @throws IllegalArgumentException naming the file for a bad magic number, dimensions, or a count mismatch
     */
    public static Dataset idx(Path images, Path labels, Path cacheDir) {
        return new IdxDataset(plain(images, cacheDir), plain(labels, cacheDir));
    }

    /**
     * NumPy files, memory-mapped: one {@code .npy} per input and per target, each {@code [samples, ...]}; float32 as
     * is, integer labels ({@code '<i8'}, {@code '|u1'}, ...) and float64 converted (see {@link Npy}).
     */
    public static Dataset npy(List<Path> inputs, List<Path> targets) {
        return new NpyDataset(inputs, targets);
    }

    /** {@code path} if it is not gzipped, else its decompressed copy in {@code cacheDir} (made once, atomically). */
    static Path plain(Path path, Path cacheDir) {
        if (!path.getFileName().toString().endsWith(".gz")) {
            return path;
        }
        try {
            Files.createDirectories(cacheDir);
            String name = path.getFileName().toString();
            // Named after the source's full path too: two sources with the same file name never share a cache entry.
            String key = Integer.toHexString(path.toAbsolutePath().normalize().toString().hashCode());
            Path out = cacheDir.resolve(name.substring(0, name.length() - 3) + "." + key);
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(path)) >= 0) {
                return out;
            }
            org.neurite.io.AtomicFiles.write(out, o -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
                    in.transferTo(o);
                }
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decompress " + path + " into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    static void checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + ": sample " + index + " of " + size);
        }
    }

    /** Host arrays. */
    static final class ArrayDataset implements Dataset {
        private final List<float[]> inputs;
        private final List<float[]> targets;
        private final int[] inputWidths;
        private final int[] targetWidths;
        private final int size;

        ArrayDataset(List<float[]> inputs, int[] inputWidths, List<float[]> targets, int[] targetWidths) {
            if (inputs.isEmpty() || inputs.size() != inputWidths.length || targets.size() != targetWidths.length) {
                throw new IllegalArgumentException("fromArrays: " + inputs.size() + " input arrays for "
                        + inputWidths.length + " widths, " + targets.size() + " target arrays for " + targetWidths.length);
            }
            this.inputs = List.copyOf(inputs);
            this.targets = List.copyOf(targets);
            this.inputWidths = inputWidths.clone();
            this.targetWidths = targetWidths.clone();
            this.size = rows(inputs.get(0), inputWidths[0], "input 0");
            for (int i = 0; i < inputs.size(); i++) {
                check(rows(inputs.get(i), inputWidths[i], "input " + i), "input " + i);
            }
            for (int j = 0; j < targets.size(); j++) {
                check(rows(targets.get(j), targetWidths[j], "target " + j), "target " + j);
            }
        }

        private void check(int rows, String what) {
            if (rows != size) {
                throw new IllegalArgumentException("fromArrays: " + what + " has " + rows + " samples, input 0 " + size);
            }
        }

        private static int rows(float[] a, int width, String what) {
            if (width < 1 || a.length % width != 0) {
                throw new IllegalArgumentException("fromArrays: " + what + " holds " + a.length + " values, not a multiple"
                        + " of its width " + width);
            }
            return a.length / width;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int[] inputWidths() {
            return inputWidths.clone();
        }

        @Override
        public int[] targetWidths() {
            return targetWidths.clone();
        }

        @Override
        public void read(int[] indices, int from, int rows, float[][] in, float[][] out) {
            for (int r = 0; r < rows; r++) {
                int s = indices[from + r];
                checkIndex(s, size, "fromArrays");
                for (int i = 0; i < in.length; i++) {
                    int w = inputWidths[i];
                    System.arraycopy(inputs.get(i), s * w, in[i], r * w, w);
                }
                for (int j = 0; j < out.length; j++) {
                    int w = targetWidths[j];
                    System.arraycopy(targets.get(j), s * w, out[j], r * w, w);
                }
            }
        }
    }

    /** IDX images and labels, memory-mapped. */
    static final class IdxDataset implements Dataset {
        private final MappedRecords images;
        private final MappedRecords labels;
        private final int width;

        IdxDataset(Path imageFile, Path labelFile) {
            int[] imageDims = header(imageFile, 0x00000803);
            int[] labelDims = header(labelFile, 0x00000801);
            if (imageDims.length < 2) {
                throw new IllegalArgumentException(imageFile + ": images need dimensions after the count, got "
                        + Arrays.toString(imageDims));
            }
            if (labelDims.length != 1) {
                throw new IllegalArgumentException(labelFile + ": labels must be one-dimensional, got "
                        + Arrays.toString(labelDims));
            }
            if (imageDims[0] != labelDims[0]) {
                throw new IllegalArgumentException(imageFile + " has " + imageDims[0] + " images, " + labelFile + " "
                        + labelDims[0] + " labels");
            }
            long w = 1;
            for (int i = 1; i < imageDims.length; i++) {
                w *= imageDims[i];
            }
            if (w > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException(imageFile + ": images of " + w + " values are too large");
            }
            this.width = (int) w;
            this.images = new MappedRecords(imageFile, 4 + 4L * imageDims.length, width, imageDims[0]);
            this.labels = new MappedRecords(labelFile, 8, 1, labelDims[0]);
        }

        /** The dimensions after the magic number, checked against {@code magic}. */
        private static int[] header(Path file, int magic) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(4);
                if (head.length < 4) {
                    throw new IllegalArgumentException(file + ": not an IDX file (" + head.length + " bytes)");
                }
                int m = ByteBuffer.wrap(head).getInt();
                if (m != magic) {
                    throw new IllegalArgumentException(String.format("%s: IDX magic 0x%08x, expected 0x%08x (unsigned"
                            + " bytes, %d dimensions)", file, m, magic, magic & 0xff));
                }
                int[] dims = new int[magic & 0xff];
                byte[] d = in.readNBytes(4 * dims.length);
                if (d.length < 4 * dims.length) {
                    throw new IllegalArgumentException(file + ": truncated IDX header");
                }
                ByteBuffer b = ByteBuffer.wrap(d);
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = b.getInt();
                    if (dims[i] < 0) {
                        throw new IllegalArgumentException(file + ": dimension " + i + " is " + dims[i]);
                    }
                }
                return dims;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public int size() {
            return images.count();
        }

        @Override
        public int[] inputWidths() {
            return new int[] {width};
        }

        @Override
        public int[] targetWidths() {
            return new int[] {1};
        }

        @Override
        public void read(int[] indices, int from, int rows, float[][] in, float[][] out) {
            float[] x = in[0];
            byte[] pixels = new byte[width];
            for (int r = 0; r < rows; r++) {
                int s = indices[from + r];
                images.record(s).get(pixels, 0, width);
                int base = r * width;
                for (int k = 0; k < width; k++) {
                    x[base + k] = pixels[k] & 0xff;
                }
                if (out.length > 0) {
                    out[0][r] = labels.record(s).get() & 0xff;
                }
            }
        }

        @Override
        public void close() {
            images.close();
            labels.close();
        }
    }

    /** .npy files, memory-mapped. */
    static final class NpyDataset implements Dataset {
        private final List<MappedRecords> inputs = new ArrayList<>();
        private final List<MappedRecords> targets = new ArrayList<>();
        private final List<Npy.DType> inputTypes = new ArrayList<>();
        private final List<Npy.DType> targetTypes = new ArrayList<>();
        private final int[] inputWidths;
        private final int[] targetWidths;
        private final List<String> names = new ArrayList<>();
        private final int size;

        NpyDataset(List<Path> inputFiles, List<Path> targetFiles) {
            if (inputFiles.isEmpty()) {
                throw new IllegalArgumentException("npy: no input files");
            }
            inputWidths = new int[inputFiles.size()];
            targetWidths = new int[targetFiles.size()];
            int n = -1;
            try {
                for (int i = 0; i < inputFiles.size(); i++) {
                    n = open(inputFiles.get(i), n, inputs, inputTypes, inputWidths, i);
                }
                for (int j = 0; j < targetFiles.size(); j++) {
                    n = open(targetFiles.get(j), n, targets, targetTypes, targetWidths, j);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            size = n;
        }

        private int open(Path file, int n, List<MappedRecords> into, List<Npy.DType> types, int[] widths, int k) {
            Npy.Header h = Npy.readHeader(file);
            int[] shape = h.shape();
            int rows = shape.length == 0 ? 1 : shape[0];
            long w = shape.length == 0 ? 1 : h.size() / Math.max(1, rows);
            if (rows == 0) {
                w = 1;
                for (int i = 1; i < shape.length; i++) {
                    w *= shape[i];
                }
            }
            if (n >= 0 && rows != n) {
                throw new IllegalArgumentException(file + ": " + rows + " samples, " + names.get(0) + " has " + n);
            }
            if (w * h.dtype().bytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": samples of " + w + " values are too large");
            }
            widths[k] = (int) w;
            types.add(h.dtype());
            into.add(new MappedRecords(file, h.dataOffset(), (int) w * h.dtype().bytes(), rows));
            names.add(file.toString());
            return rows;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int[] inputWidths() {
            return inputWidths.clone();
        }

        @Override
        public int[] targetWidths() {
            return targetWidths.clone();
        }

        @Override
        public void read(int[] indices, int from, int rows, float[][] in, float[][] out) {
            for (int r = 0; r < rows; r++) {
                int s = indices[from + r];
                for (int i = 0; i < in.length; i++) {
                    Npy.convert(inputs.get(i).record(s), inputTypes.get(i), in[i], r * inputWidths[i], inputWidths[i],
                            names.get(i));
                }
                for (int j = 0; j < out.length; j++) {
                    Npy.convert(targets.get(j).record(s), targetTypes.get(j), out[j], r * targetWidths[j], targetWidths[j],
                            names.get(inputs.size() + j));
                }
            }
        }

        @Override
        public void close() {
            inputs.forEach(MappedRecords::close);
            targets.forEach(MappedRecords::close);
        }
    }

    /** A data set with a transform applied to what it reads. */
    static final class Mapped implements Dataset {
        private final Dataset source;
        private final BatchTransform f;

        Mapped(Dataset source, BatchTransform f) {
            this.source = source;
            this.f = f;
        }

        @Override
        public int size() {
            return source.size();
        }

        @Override
        public int[] inputWidths() {
            return source.inputWidths();
        }

        @Override
        public int[] targetWidths() {
            return source.targetWidths();
        }

        @Override
        public void read(int[] indices, int from, int rows, float[][] in, float[][] out) {
            source.read(indices, from, rows, in, out);
            f.apply(new Batch(in, out, source.inputWidths(), source.targetWidths(), rows));
        }

        @Override
        public void close() {
            source.close();
        }
    }

    /** Samples [from, to) of another data set. */
    static final class Slice implements Dataset {
        private final Dataset source;
        private final int from;
        private final int size;

        Slice(Dataset source, int from, int to) {
            if (from < 0 || to > source.size() || from > to) {
                throw new IllegalArgumentException("slice: [" + from + ", " + to + ") of " + source.size() + " samples");
            }
            this.source = source;
            this.from = from;
            this.size = to - from;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int[] inputWidths() {
            return source.inputWidths();
        }

        @Override
        public int[] targetWidths() {
            return source.targetWidths();
        }

        @Override
        public void read(int[] indices, int start, int rows, float[][] in, float[][] out) {
            int[] shifted = new int[rows];
            for (int r = 0; r < rows; r++) {
                checkIndex(indices[start + r], size, "slice");
                shifted[r] = indices[start + r] + from;
            }
            source.read(shifted, 0, rows, in, out);
        }

        /** A slice does not own its source: closing it leaves the source open. */
        @Override
        public void close() {
        }
    }
}
