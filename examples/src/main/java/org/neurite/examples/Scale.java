package org.neurite.examples;

import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.nn.Initializer;
import org.neurite.nn.Layer;
import org.neurite.nn.LayerRegistry;
import org.neurite.nn.Parameter;
import org.neurite.tensor.Backend;
import org.neurite.tensor.Kernels;
import org.neurite.tensor.Shape;
import org.neurite.tensor.Tensor;

/**
 * A user layer with its own weight, as a Keras user writes one: {@code y = x * w} with one learned scale per
 * feature. It creates its weight in {@code build} with {@code addWeight}, runs on the kernels (so on every
 * backend), computes its own backward pass, and saves through its config and {@link LayerRegistry}.
 */
public final class Scale extends Layer {
    /** The name model files know this layer by. */
    public static final String CLASS = "org.neurite.examples.Scale";

    static {
        LayerRegistry.register(CLASS, config -> new Scale((String) config.get("name")));
    }

    private Parameter scale;
    private Tensor input;

    public Scale() {
        this(uniqueName("scale"));
    }

    private Scale(String name) {
        super(name);
    }

    /** Makes sure model files holding this layer can be loaded (the class registers itself when loaded). */
    public static void register() {
        // the static initializer did it
    }

    @Override
    public int outputFeatures(int inputFeatures) {
        return inputFeatures;
    }

    @Override
    public void build(Backend backend, int inputFeatures, SplittableRandom random) {
        super.build(backend, inputFeatures, random);
        scale = addWeight("scale", Initializer.ONES, inputFeatures);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        input = x;
        Tensor out = buffer("out", x.rows(), inputFeatures);
        backend.kernels().affineColumns(x, scale.value(), zero(), out);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Kernels k = backend.kernels();
        Tensor product = buffer("product", dy.rows(), inputFeatures);
        k.multiply(dy, input, product);
        k.sum(product, 0, scale.gradient());   // dL/dw_j = sum over the batch of dy_j x_j
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dx = buffer("dx", dy.rows(), inputFeatures);
        k.affineColumns(dy, scale.value(), zero(), dx);   // dL/dx_j = dy_j w_j
        return dx;
    }

    private Tensor zero() {
        return buffer("zero", Shape.of(inputFeatures));   // never written: stays zero
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("class", CLASS, "name", name());
    }
}
