package org.neurite.interop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.interop.onnx.AttributeProto;
import org.neurite.interop.onnx.GraphProto;
import org.neurite.interop.onnx.ModelProto;
import org.neurite.interop.onnx.NodeProto;
import org.neurite.interop.onnx.OperatorSetIdProto;
import org.neurite.interop.onnx.TensorProto;
import org.neurite.interop.onnx.TensorShapeProto;
import org.neurite.interop.onnx.ValueInfoProto;
import org.neurite.nn.ActivationLayer;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.Initializer;
import org.neurite.nn.Layer;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.nn.Normalization;
import org.neurite.tensor.Activation;
import org.neurite.tensor.Backend;

/** An ONNX graph of the MLP operator subset as a Neurite model; see {@link Onnx#load}. */
final class OnnxImport {
    static final List<String> SUPPORTED = List.of("Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "Softmax",
            "LeakyRelu", "Elu", "Selu", "Softplus", "Sign", "Flatten", "Concat", "Sub", "Div", "Mul", "Identity", "Dropout",
            "Constant");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Elu",
            "Selu", "Softplus", "Sign");

    private final String source;
    private final Map<String, float[]> constants = new HashMap<>();
    private final Map<String, int[]> constantShapes = new HashMap<>();
    private final Map<String, Node> values = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<NodeProto> done = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    private final Map<Dense, float[][]> weights = new LinkedHashMap<>();

    private OnnxImport(String source) {
        this.source = source;
    }

    static Model load(String source, ModelProto model, Backend backend) {
        return new OnnxImport(source).run(model, backend);
    }

    private Model run(ModelProto model, Backend backend) {
        long opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = o.getVersion();
            }
        }
        if (opset < 9) {
            throw fail(opset < 0 ? "no ai.onnx opset import" : "opset " + opset + " is older than 9, which is not supported");
        }
        GraphProto g = model.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            constant(t.getName(), t);
        }
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        for (ValueInfoProto o : g.getOutputList()) {
            graphOutputs.add(o.getName());
        }
        List<Node> inputs = new ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (constants.containsKey(in.getName())) {
                continue;   // older exporters list initializers as inputs too
            }
            Node node = Node.input(in.getName(), features(in));
            inputs.add(node);
            values.put(in.getName(), node);
        }
        if (inputs.isEmpty()) {
            throw fail("the graph has no inputs");
        }
        for (NodeProto n : g.getNodeList()) {
            if (!done.contains(n)) {
                node(n);
            }
        }
        List<Node> outputs = new ArrayList<>();
        for (ValueInfoProto o : g.getOutputList()) {
            Node v = values.get(o.getName());
            if (v == null) {
                throw fail("graph output '" + o.getName() + "' is not computed by a supported operator");
            }
            if (v.isInput()) {
                throw fail("graph output '" + o.getName() + "' is a graph input: a model without layers");
            }
            outputs.add(v);
        }
        Model m = new Model(backend, 42, inputs, outputs);
        for (Map.Entry<Dense, float[][]> e : weights.entrySet()) {
            e.getKey().kernel().value().copyFrom(e.getValue()[0]);
            if (e.getValue()[1] != null) {
                e.getKey().bias().value().copyFrom(e.getValue()[1]);
            }
        }
        return m;
    }

    private int features(ValueInfoProto in) {
        if (!in.getType().hasTensorType()) {
            throw fail("input '" + in.getName() + "' is not a tensor");
        }
        if (in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw fail("input '" + in.getName() + "' is of ONNX type " + in.getType().getTensorType().getElemType()
                    + ": only float32 inputs are supported");
        }
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() < 2) {
            throw fail("input '" + in.getName() + "' has rank " + dims.size() + "; [batch, features...] is expected");
        }
        long f = 1;
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() < 1) {
                throw fail("input '" + in.getName() + "': dimension " + i + " is not fixed ("
                        + dims.get(i).getDimParam() + ")");
            }
            f *= dims.get(i).getDimValue();
            if (f > Integer.MAX_VALUE) {
                throw fail("input '" + in.getName() + "' has too many features");
            }
        }
        return (int) f;
    }

    private void node(NodeProto n) {
        String op = n.getOpType();
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw fail("operator " + n.getDomain() + "." + op + " (node '" + n.getName() + "') is not supported");
        }
        switch (op) {
            case "Constant" -> {
                AttributeProto v = attr(n, "value");
                if (v != null) {
                    constant(n.getOutput(0), v.getT());
                } else if (attr(n, "value_float") != null) {
                    constants.put(n.getOutput(0), new float[] {attr(n, "value_float").getF()});
                    constantShapes.put(n.getOutput(0), new int[0]);
                } else if (attr(n, "value_floats") != null) {
                    List<Float> fl = attr(n, "value_floats").getFloatsList();
                    float[] a = new float[fl.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = fl.get(i);
                    }
                    constants.put(n.getOutput(0), a);
                    constantShapes.put(n.getOutput(0), new int[] {a.length});
                } else {
                    throw fail("Constant '" + n.getName() + "' holds no float tensor");
                }
            }
            case "Identity" -> alias(n);
            case "Dropout" -> {
                if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumers.containsKey(n.getOutput(1))) {
                    throw fail("Dropout '" + n.getName() + "': its mask output is read, which is not supported");
                }
                alias(n);
            }
            case "Flatten" -> {
                long axis = intAttr(n, "axis", 1);
                if (axis != 1) {
                    throw fail("Flatten '" + n.getName() + "': axis " + axis + " is not supported (1 is)");
                }
                alias(n);
            }
            case "Gemm" -> {
                if (intAttr(n, "transA", 0) != 0) {
                    throw fail("Gemm '" + n.getName() + "': transA=1 is not supported");
                }
                float alpha = floatAttr(n, "alpha", 1f);
                float beta = floatAttr(n, "beta", 1f);
                boolean transB = intAttr(n, "transB", 0) != 0;
                float[] c = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constant(n, 2) : null;
                dense(n, input(n, 0), n.getInput(1), transB, alpha, c, beta, n.getOutput(0));
            }
            case "MatMul" -> {
                String out = n.getOutput(0);
                NodeProto add = single(out);
                float[] bias = null;
                if (add != null && add.getOpType().equals("Add") && !graphOutputs.contains(out)) {
                    String other = add.getInput(0).equals(out) ? add.getInput(1) : add.getInput(0);
                    if (constants.containsKey(other)) {
                        bias = constants.get(other);
                        done.add(add);
                        out = add.getOutput(0);
                    }
                }
                dense(n, input(n, 0), n.getInput(1), false, 1f, bias, 1f, out);
            }
            case "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "Softplus", "Sign" -> {
                ActivationLayer a = new ActivationLayer(activation(n));
                put(n.getOutput(0), a, n, input(n, 0));
            }
            case "Softmax" -> throw fail("Softmax '" + n.getName() + "' is supported only right after a Gemm or MatMul"
                    + " (+ Add) that nothing else reads (Neurite's softmax is a Dense output)");
            case "Concat" -> {
                long axis = intAttr(n, "axis", 1);
                if (axis != 1 && axis != -1) {
                    throw fail("Concat '" + n.getName() + "': axis " + axis + " is not supported (1 is)");
                }
                Node[] parents = new Node[n.getInputCount()];
                for (int i = 0; i < parents.length; i++) {
                    parents[i] = input(n, i);
                }
                put(n.getOutput(0), new Concatenate(), n, parents);
            }
            case "Sub" -> normalization(n);
            case "Div", "Mul" -> scaling(n, input(n, 0), new float[0], n.getOutput(0));
            default -> throw fail("operator " + op + " (node '" + n.getName() + "') is not supported (supported: "
                    + String.join(", ", SUPPORTED) + ")");
        }
        done.add(n);
    }

    /** Sub(x, mean), then optionally Div(., std) or Mul(., 1/std): a Normalization. */
    private void normalization(NodeProto sub) {
        Node x = input(sub, 0);
        float[] mean = constant(sub, 1);
        NodeProto next = single(sub.getOutput(0));
        if (next != null && (next.getOpType().equals("Div") || next.getOpType().equals("Mul"))
                && next.getInput(0).equals(sub.getOutput(0)) && constants.containsKey(next.getInput(1))
                && !graphOutputs.contains(sub.getOutput(0))) {
            done.add(next);
            scaling(next, x, mean, next.getOutput(0));
            return;
        }
        Normalization n = new Normalization(broadcast(sub, mean, x.features()), filled(x.features(), 1f));
        put(sub.getOutput(0), n, sub, x);
    }

    /** (x - mean) / std, or (x - mean) * scale, as a Normalization of variance std^2. */
    private void scaling(NodeProto op, Node x, float[] mean, String output) {
        if (!constants.containsKey(op.getInput(1))) {
            throw fail(op.getOpType() + " '" + op.getName() + "' of two computed tensors is not supported (a constant"
                    + " divisor or factor, as a normalization, is)");
        }
        float[] c = broadcast(op, constants.get(op.getInput(1)), x.features());
        float[] variance = new float[c.length];
        for (int j = 0; j < c.length; j++) {
            double std = op.getOpType().equals("Div") ? c[j] : 1.0 / c[j];
            if (!(std > 0) || Double.isInfinite(std)) {
                throw fail(op.getOpType() + " '" + op.getName() + "': constant " + c[j] + " at " + j + " is not a positive"
                        + " standard deviation");
            }
            variance[j] = (float) (std * std);
        }
        float[] m = mean.length == 0 ? new float[x.features()] : broadcast(op, mean, x.features());
        put(output, new Normalization(m, variance), op, x);
    }

    private void dense(NodeProto n, Node x, String bName, boolean transB, float alpha, float[] c, float beta,
                       String output) {
        float[] b = constants.get(bName);
        int[] shape = constantShapes.get(bName);
        if (b == null || shape.length != 2) {
            throw fail(n.getOpType() + " '" + n.getName() + "': the weight '" + bName + "' must be a 2-D constant"
                    + " (a product of two computed tensors is not supported)");
        }
        int in = transB ? shape[1] : shape[0];
        int units = transB ? shape[0] : shape[1];
        if (in != x.features()) {
            throw fail(n.getOpType() + " '" + n.getName() + "': weight " + java.util.Arrays.toString(shape) + " does not"
                    + " fit " + x.features() + " input features");
        }
        float[] kernel = new float[in * units];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < units; j++) {
                kernel[i * units + j] = alpha * (transB ? b[j * in + i] : b[i * units + j]);
            }
        }
        float[] bias = null;
        if (c != null) {
            if (c.length != units && c.length != 1) {
                throw fail(n.getOpType() + " '" + n.getName() + "': bias of " + c.length + " values for " + units + " units");
            }
            bias = new float[units];
            for (int j = 0; j < units; j++) {
                bias[j] = beta * c[c.length == 1 ? 0 : j];
            }
        }
        // An activation that alone reads the result fuses into the layer, as Keras's Dense(activation=...).
        NodeProto act = graphOutputs.contains(output) ? null : single(output);
        Dense d;
        String out = output;
        if (act != null && ACTIVATIONS.contains(act.getOpType()) && act.getInput(0).equals(output)) {
            if (act.getOpType().equals("Softmax")) {
                long axis = intAttr(act, "axis", -1);
                if (axis != -1 && axis != 1) {
                    throw fail("Softmax '" + act.getName() + "': axis " + axis + " is not supported");
                }
                if (bias == null) {
                    bias = new float[units];
                }
                d = new Dense(units, "softmax");
            } else {
                d = new Dense(units, activation(act), bias != null, Initializer.GLOROT_UNIFORM);
            }
            done.add(act);
            out = act.getOutput(0);
        } else {
            d = new Dense(units, Activation.identity(), bias != null, Initializer.GLOROT_UNIFORM);
        }
        weights.put(d, new float[][] {kernel, bias});
        // A layer that computes a graph output takes the output's name, so that names survive a round trip.
        put(out, d, n, x);
    }

    private Activation activation(NodeProto n) {
        return switch (n.getOpType()) {
            case "Relu" -> Activation.relu();
            case "Sigmoid" -> Activation.sigmoid();
            case "Tanh" -> Activation.tanh();
            case "Softplus" -> Activation.softplus();
            case "Sign" -> Activation.sign();
            case "LeakyRelu" -> Activation.leakyRelu(floatAttr(n, "alpha", 0.01f));
            case "Elu" -> Activation.elu(floatAttr(n, "alpha", 1f));
            case "Selu" -> {
                float a = floatAttr(n, "alpha", 1.67326319217681884765625f);
                float g = floatAttr(n, "gamma", 1.05070102214813232421875f);
                if (Math.abs(a - Activation.SELU_ALPHA) > 1e-6 || Math.abs(g - Activation.SELU_SCALE) > 1e-6) {
                    throw fail("Selu '" + n.getName() + "': alpha " + a + " and gamma " + g + " differ from SELU's"
                            + " constants, which Neurite's SELU fixes");
                }
                yield Activation.selu();
            }
            default -> throw fail("operator " + n.getOpType() + " is not an activation");
        };
    }

    private Node apply(Layer layer, NodeProto n, Node... parents) {
        layer.named(layerName(n.getName(), n.getOpType()));
        return layer.apply(parents);
    }

    /**
     * Applies {@code layer} (from node {@code n}) and records its value as {@code tensor}. A layer that computes a graph
     * output takes the output's name, so that output names survive a round trip; others take the node's.
     */
    private void put(String tensor, Layer layer, NodeProto n, Node... parents) {
        if (graphOutputs.contains(tensor)) {
            layer.named(layerName(tensor, n.getOpType()));
            values.put(tensor, layer.apply(parents));
        } else {
            values.put(tensor, apply(layer, n, parents));
        }
    }

    /** A layer name from a node's or tensor's: '/' (PyTorch's scopes) becomes '_'; unique. */
    private String layerName(String wanted, String op) {
        String base = wanted.replace('/', '_').replaceAll("^[_.]+", "");
        if (base.isBlank()) {
            base = op.toLowerCase(java.util.Locale.ROOT);
        }
        String name = base;
        for (int i = 1; !layerNames.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private void alias(NodeProto n) {
        values.put(n.getOutput(0), input(n, 0));
    }

    private Node input(NodeProto n, int i) {
        String name = n.getInput(i);
        Node v = values.get(name);
        if (v == null) {
            throw fail(n.getOpType() + " '" + n.getName() + "' reads '" + name + "', which is "
                    + (constants.containsKey(name) ? "a constant (not supported there)" : "not computed before it"));
        }
        return v;
    }

    private NodeProto single(String tensor) {
        List<NodeProto> c = consumers.getOrDefault(tensor, List.of());
        return c.size() == 1 ? c.get(0) : null;
    }

    private float[] constant(NodeProto n, int i) {
        float[] c = constants.get(n.getInput(i));
        if (c == null) {
            throw fail(n.getOpType() + " '" + n.getName() + "': input '" + n.getInput(i) + "' must be a constant");
        }
        return c;
    }

    private float[] broadcast(NodeProto n, float[] c, int features) {
        if (c.length == features) {
            return c.clone();
        }
        if (c.length == 1) {
            return filled(features, c[0]);
        }
        throw fail(n.getOpType() + " '" + n.getName() + "': a constant of " + c.length + " values for " + features
                + " features");
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private void constant(String name, TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw fail("tensor '" + name + "' is stored in an external file, which is not supported");
        }
        long n = 1;
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw fail("tensor '" + name + "' has dimension " + d);
            }
            dims[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw fail("tensor '" + name + "' is too large");
            }
        }
        float[] data = new float[(int) n];
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                if (!t.getRawData().isEmpty()) {
                    if (t.getRawData().size() != n * 4) {
                        throw fail("tensor '" + name + "' holds " + t.getRawData().size() + " bytes for " + n + " floats");
                    }
                    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                } else {
                    if (t.getFloatDataCount() != n) {
                        throw fail("tensor '" + name + "' holds " + t.getFloatDataCount() + " floats, its shape " + n);
                    }
                    for (int i = 0; i < n; i++) {
                        data[i] = t.getFloatData(i);
                    }
                }
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    data[i] = (float) (t.getRawData().isEmpty() ? t.getDoubleData(i) : raw.getDouble());
                }
            }
            default -> {
                return;   // integer constants (shapes for Reshape and the like): only an operator that reads one fails
            }
        }
        constants.put(name, data);
        constantShapes.put(name, dims);
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long intAttr(NodeProto n, String name, long dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    private static float floatAttr(NodeProto n, String name, float dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    private InteropException fail(String problem) {
        return new InteropException(source, problem);
    }
}
