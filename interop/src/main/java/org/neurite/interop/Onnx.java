package org.neurite.interop;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neurite.io.AtomicFiles;
import org.neurite.interop.onnx.ModelProto;
import org.neurite.nn.Model;
import org.neurite.tensor.Backend;

/**
 * ONNX models in and out, through protobuf-java classes generated at build time from ONNX's schema
 * ({@code src/main/proto/onnx.proto}).
 *
 * <p>{@link #save} writes any Neurite model of {@code Dense}, {@code ActivationLayer}, {@code Dropout},
 * {@code Flatten}, {@code Normalization} and {@code Concatenate} as opset 17: {@code Gemm} with the kernel
 * {@code [in, out]} and bias as initializers, then {@code Relu}, {@code Sigmoid}, {@code Tanh}, {@code Softmax}
 * (axis 1), {@code LeakyRelu}, {@code Elu}, {@code Selu}, {@code Softplus} or {@code Sign}; {@code Flatten};
 * {@code Concat} (axis 1); the normalization as {@code Sub} and {@code Div} by constants; dropout as
 * {@code Identity}. Inputs and outputs keep the model's names, with a dynamic batch dimension named {@code batch}.
 *
 * <p>{@link #load} reads that subset as exporters write it for an MLP, PyTorch's {@code torch.onnx.export}
 * included: {@code Flatten}, {@code Gemm} (any alpha, beta, transB) or {@code MatMul} + {@code Add} with constant
 * weights, each followed (or not) by an activation, which fuses into the {@code Dense}; {@code Softmax} after such a
 * layer; {@code Concat}; {@code Sub}/{@code Div}/{@code Mul} by constants as a {@code Normalization};
 * {@code Identity}, {@code Dropout} and {@code Constant}. Every other operator is refused with its name.
 */
public final class Onnx {
    /** The largest file read: protobuf messages stop at 2 GiB; bigger models use external data, not supported. */
    static final long MAX_BYTES = Integer.MAX_VALUE;

    private Onnx() {
    }

    /**
     * Loads an ONNX model onto {@code backend}.
     *
     * @throws InteropException naming the file and the problem (an unsupported operator by name, a damaged file)
     */
    public static Model load(Path file, Backend backend) {
        String source = file.toString();
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > MAX_BYTES) {
                throw new InteropException(source, "larger than 2 GiB (external data is not supported)");
            }
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new InteropException(source, "not an ONNX model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Onnx.load: " + source + ": " + e.getMessage(), e);
        }
        if (!model.hasGraph()) {
            throw new InteropException(source, "not an ONNX model (no graph)");
        }
        return OnnxImport.load(source, model, backend);
    }

    /**
     * Writes {@code model} as an ONNX file, atomically and durably ({@link AtomicFiles}).
     *
     * @throws InteropException naming a layer or activation that has no ONNX operator
     */
    public static void save(Model model, Path file) {
        ModelProto proto = OnnxExport.export(model, file.toString(), version());
        try {
            AtomicFiles.write(file, proto::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("Onnx.save: " + file + ": " + e.getMessage(), e);
        }
    }

    static String version() {
        String v = Onnx.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
