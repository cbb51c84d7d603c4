package org.neurite.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's per-epoch checkpoint of a distributed fit: the epochs done, the model file's bytes (weights, optimizer
 * state) and the history so far, in one file on any Hadoop file system, written to a temporary name and renamed.
 */
record Checkpoint(int epochs, byte[] model, Map<String, List<Double>> history) {
    private static final int MAGIC = 0x4e4e4350;   // "NNCP"

    static Checkpoint read(String path, Configuration hadoop) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(fs.open(p))) {
                if (in.readInt() != MAGIC) {
                    throw new IllegalArgumentException(path + ": not a Neurite Spark checkpoint");
                }
                int epochs = in.readInt();
                byte[] model = new byte[in.readInt()];
                in.readFully(model);
                int keys = in.readInt();
                Map<String, List<Double>> history = new LinkedHashMap<>();
                for (int k = 0; k < keys; k++) {
                    String key = in.readUTF();
                    int n = in.readInt();
                    List<Double> v = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        v.add(in.readDouble());
                    }
                    history.put(key, v);
                }
                return new Checkpoint(epochs, model, history);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    static void write(String path, Configuration hadoop, Checkpoint c) {
        Path p = new Path(path);
        Path tmp = new Path(path + ".tmp");
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(c.epochs());
                out.writeInt(c.model().length);
                out.write(c.model());
                out.writeInt(c.history().size());
                for (Map.Entry<String, List<Double>> e : c.history().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().size());
                    for (double d : e.getValue()) {
                        out.writeDouble(d);
                    }
                }
            }
            try (var out = fs.create(tmp, true)) {
                out.write(bytes.toByteArray());
                out.hsync();
            }
            fs.delete(p, false);
            if (!fs.rename(tmp, p)) {
                throw new IOException("cannot rename " + tmp + " to " + p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + path + ": " + e.getMessage(), e);
        }
    }
}
