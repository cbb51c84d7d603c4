package org.neurite.interop;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neurite.interop.onnx.AttributeProto;
import org.neurite.interop.onnx.GraphProto;
import org.neurite.interop.onnx.ModelProto;
import org.neurite.interop.onnx.NodeProto;
import org.neurite.interop.onnx.OperatorSetIdProto;
import org.neurite.interop.onnx.TensorProto;
import org.neurite.interop.onnx.TensorShapeProto;
import org.neurite.interop.onnx.TypeProto;
import org.neurite.interop.onnx.ValueInfoProto;
import org.neurite.nn.ActivationLayer;
import org.neurite.nn.Concatenate;
import org.neurite.nn.Dense;
import org.neurite.nn.Dropout;
import org.neurite.nn.Flatten;
import org.neurite.nn.Layer;
import org.neurite.nn.Model;
import org.neurite.nn.Node;
import org.neurite.nn.Normalization;
import org.neurite.tensor.Activation;

/** A Neurite model as an ONNX graph (opset 17, IR version 8); see {@link Onnx#save}. */
final class OnnxExport {
    static final int OPSET = 17;
    static final int IR_VERSION = 8;
    static final String BATCH = "batch";

    private final String source;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Node, String> names = new HashMap<>();

    private OnnxExport(String source) {
        this.source = source;
    }

    static ModelProto export(Model model, String source, String producerVersion) {
        return new OnnxExport(source).run(model, producerVersion);
    }

    private ModelProto run(Model model, String producerVersion) {
        graph.setName("neurite");
        for (Node in : model.inputs()) {
            names.put(in, in.name());
            graph.addInput(valueInfo(in.name(), in.features()));
        }
        for (Node n : model.nodes()) {
            if (!n.isInput()) {
                names.put(n, layer(n));
            }
        }
        java.util.Set<String> outputNames = new java.util.HashSet<>();
        for (Node out : model.outputs()) {
            String name = names.get(out);
            if (!outputNames.add(name) || out.isInput()) {
                // An output that is also an input, or listed twice: ONNX needs a distinct name.
                String alias = name + "_output" + outputNames.size();
                graph.addNode(node("Identity", out.name() + "/identity", List.of(name), alias));
                name = alias;
                outputNames.add(name);
            }
            graph.addOutput(valueInfo(name, out.features()));
        }
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("Neurite")
                .setProducerVersion(producerVersion)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build();
    }

    /** Adds the operators of one layer node; returns the name of the tensor it produces. */
    private String layer(Node n) {
        Layer l = n.layer();
        String name = n.name();
        List<String> in = n.parents().stream().map(names::get).toList();
        if (l instanceof Dense d) {
            String kernel = initializer(name + "/kernel", d.kernel().value().toFloatArray(),
                    d.kernel().value().shape().dim(0), d.units());
            List<String> gemmIn = new ArrayList<>(List.of(in.get(0), kernel));
            if (d.useBias()) {
                gemmIn.add(initializer(name + "/bias", d.bias().value().toFloatArray(), d.units()));
            }
            boolean linear = !d.softmax() && d.activation().kind() == Activation.Kind.IDENTITY;
            String gemmOut = linear ? name : name + "/linear";
            graph.addNode(node("Gemm", name + "/gemm", gemmIn, gemmOut));
            if (linear) {
                return name;
            }
            if (d.softmax()) {
                graph.addNode(node("Softmax", name + "/softmax", List.of(gemmOut), name, intAttr("axis", 1)));
                return name;
            }
            return activation(d.activation(), name, gemmOut, name);
        }
        if (l instanceof ActivationLayer a) {
            return activation(a.activation(), name, in.get(0), name);
        }
        if (l instanceof Dropout) {
            graph.addNode(node("Identity", name + "/identity", in, name));
            return name;
        }
        if (l instanceof Flatten) {
            graph.addNode(node("Flatten", name + "/flatten", in, name, intAttr("axis", 1)));
            return name;
        }
        if (l instanceof Concatenate) {
            graph.addNode(node("Concat", name + "/concat", in, name, intAttr("axis", 1)));
            return name;
        }
        if (l instanceof Normalization norm) {
            float[] mean = norm.mean();
            float[] variance = norm.variance();
            float[] std = new float[variance.length];
            for (int j = 0; j < std.length; j++) {
                std[j] = variance[j] > 0 ? (float) Math.sqrt(variance[j]) : 1f;   // a constant column is only centred
            }
            String m = initializer(name + "/mean", mean, mean.length);
            String s = initializer(name + "/std", std, std.length);
            graph.addNode(node("Sub", name + "/sub", List.of(in.get(0), m), name + "/centred"));
            graph.addNode(node("Div", name + "/div", List.of(name + "/centred", s), name));
            return name;
        }
        throw new InteropException(source, "layer '" + name + "' (" + l.getClass().getSimpleName() + ") has no ONNX export"
                + " (Dense, ActivationLayer, Dropout, Flatten, Normalization and Concatenate have)");
    }

    private String activation(Activation f, String layer, String input, String output) {
        switch (f.kind()) {
            case IDENTITY -> graph.addNode(node("Identity", layer + "/identity", List.of(input), output));
            case RELU -> graph.addNode(node("Relu", layer + "/relu", List.of(input), output));
            case SIGMOID -> graph.addNode(node("Sigmoid", layer + "/sigmoid", List.of(input), output));
            case TANH -> graph.addNode(node("Tanh", layer + "/tanh", List.of(input), output));
            case SOFTPLUS -> graph.addNode(node("Softplus", layer + "/softplus", List.of(input), output));
            case SIGN -> graph.addNode(node("Sign", layer + "/sign", List.of(input), output));
            case LEAKY_RELU -> graph.addNode(node("LeakyRelu", layer + "/leaky_relu", List.of(input), output,
                    floatAttr("alpha", f.alpha())));
            case ELU -> graph.addNode(node("Elu", layer + "/elu", List.of(input), output, floatAttr("alpha", f.alpha())));
            case SELU -> graph.addNode(node("Selu", layer + "/selu", List.of(input), output,
                    floatAttr("alpha", Activation.SELU_ALPHA), floatAttr("gamma", Activation.SELU_SCALE)));
            default -> throw new InteropException(source, "layer '" + layer + "': activation " + f
                    + " has no ONNX operator");
        }
        return output;
    }

    private String initializer(String name, float[] data, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (int d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static ValueInfoProto valueInfo(String name, int features) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(features)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }
}
