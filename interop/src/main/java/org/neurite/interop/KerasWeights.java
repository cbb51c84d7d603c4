package org.neurite.interop;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A Keras weights file, read through jhdf: each layer's arrays in Keras's order (Dense: kernel, bias). */
abstract class KerasWeights {
    /** One array: shape and C-order data. */
    record Array(int[] shape, float[] data) {
    }

    protected final String source;

    KerasWeights(String source) {
        this.source = source;
    }

    /** The arrays of layer {@code name}, in order; empty for a layer without weights. */
    abstract List<Array> of(String name);

    /**
     * Keras 3's {@code model.weights.h5}: {@code layers/<path>/vars/<i>}, where the path is Keras's own naming of
     * the layer ({@code dense}, {@code dense_1}, ...) and the {@code vars} group's {@code name} attribute is the layer's
     * name. Layers are matched by that attribute.
     */
    static KerasWeights keras3(String source, Group root) {
        Map<String, Group> byName = new HashMap<>();
        Node layers = root.getChild("layers");
        if (layers instanceof Group g) {
            for (Node child : g.getChildren().values()) {
                if (child instanceof Group layer && layer.getChild("vars") instanceof Group vars) {
                    Attribute name = vars.getAttribute("name");
                    String key = name != null ? String.valueOf(name.getData()) : layer.getName();
                    byName.put(key, vars);
                }
            }
        }
        return new KerasWeights(source) {
            @Override
            List<Array> of(String name) {
                Group vars = byName.get(name);
                if (vars == null) {
                    return List.of();
                }
                TreeMap<Integer, Array> ordered = new TreeMap<>();
                for (Map.Entry<String, Node> e : vars.getChildren().entrySet()) {
                    if (e.getValue() instanceof Dataset d) {
                        try {
                            ordered.put(Integer.parseInt(e.getKey()), read(source, d));
                        } catch (NumberFormatException ex) {
                            throw new InteropException(source, "layer '" + name + "' has a weight named '" + e.getKey()
                                    + "' (Keras 3 numbers them)");
                        }
                    }
                }
                return new ArrayList<>(ordered.values());
            }
        };
    }

    /**
     * The legacy format's {@code model_weights/<layer>}: its {@code weight_names} attribute lists the datasets, in
     * order, by their paths below the layer's group.
     */
    static KerasWeights legacy(String source, Group modelWeights) {
        return new KerasWeights(source) {
            @Override
            List<Array> of(String name) {
                if (!(modelWeights.getChild(name) instanceof Group layer)) {
                    return List.of();
                }
                Attribute names = layer.getAttribute("weight_names");
                if (names == null) {
                    return List.of();
                }
                List<Array> out = new ArrayList<>();
                for (String w : strings(names.getData())) {
                    if (!(layer.getByPath(w) instanceof Dataset d)) {
                        throw new InteropException(source, "layer '" + name + "' lists weight '" + w + "', which is missing");
                    }
                    out.add(read(source, d));
                }
                return out;
            }
        };
    }

    private static List<String> strings(Object data) {
        if (data instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (data instanceof String s) {
            return List.of(s);
        }
        if (data instanceof Object[] a) {
            return Arrays.stream(a).map(String::valueOf).toList();
        }
        return List.of();
    }

    /** A dataset as floats: float32 as is, float64 converted (refusing values outside float's range). */
    static Array read(String source, Dataset d) {
        int[] shape = d.getDimensions();
        Object flat = d.getDataFlat();
        float[] out;
        if (flat instanceof float[] f) {
            out = f;
        } else if (flat instanceof double[] dd) {
            out = new float[dd.length];
            for (int i = 0; i < dd.length; i++) {
                out[i] = (float) dd[i];
                if (Double.isFinite(dd[i]) && Float.isInfinite(out[i])) {
                    throw new InteropException(source, d.getPath() + "[" + i + "] = " + dd[i] + " is outside float's range");
                }
            }
        } else if (flat instanceof long[] l) {
            out = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = l[i];
            }
        } else if (flat instanceof int[] ia) {
            out = new float[ia.length];
            for (int i = 0; i < ia.length; i++) {
                out[i] = ia[i];
            }
        } else {
            throw new InteropException(source, d.getPath() + " is " + d.getJavaType().getSimpleName()
                    + ", not a float array");
        }
        return new Array(shape, out);
    }
}
