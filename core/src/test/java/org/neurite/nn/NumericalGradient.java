package org.neurite.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Locale;
import org.neurite.tensor.Tensor;
import org.neurite.tensor.TensorScope;

/**
 * Checks a compiled model's backpropagation against central differences of its total loss (every output's
 * loss times its weight, plus the L1/L2 penalty): |analytic - numeric| <= 1e-3 + 3e-2 |numeric| with float32
 * forward passes and h = 5e-3. The model must be compiled with an optimizer that leaves the weights alone.
 */
final class NumericalGradient {
    private NumericalGradient() {
    }

    static void check(Model model, List<Tensor> xs, List<Tensor> ys) {
        try (TensorScope s = new TensorScope(model.backend())) {
            Tensor[] sums = new Tensor[ys.size()];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = s.zeros(1);
            }
            model.trainStep(xs, ys, sums);
            Tensor value = s.zeros(1);
            double h = 5e-3;
            for (Parameter p : model.parameters()) {
                float[] analytic = p.gradient().toFloatArray();
                float[] w = p.value().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    float keep = w[i];
                    w[i] = (float) (keep + h);
                    p.value().copyFrom(w);
                    double up = totalLoss(model, xs, ys, value);
                    w[i] = (float) (keep - h);
                    p.value().copyFrom(w);
                    double down = totalLoss(model, xs, ys, value);
                    w[i] = keep;
                    p.value().copyFrom(w);
                    double numeric = (up - down) / (2 * h);
                    if (!(Math.abs(analytic[i] - numeric) <= 1e-3 + 3e-2 * Math.abs(numeric))) {
                        fail(String.format(Locale.ROOT, "%s[%d]: analytic %.6f, numeric %.6f (loss %s)", p.name(), i,
                                analytic[i], numeric, model.loss()));
                    }
                }
            }
        }
    }

    private static double totalLoss(Model model, List<Tensor> xs, List<Tensor> ys, Tensor value) {
        List<Tensor> out = model.forward(xs, false);
        double total = penalty(model);
        for (int o = 0; o < out.size(); o++) {
            model.loss(o).value(model.backend().kernels(), out.get(o), ys.get(o), value);
            total += model.lossWeight(o) * value.item();
        }
        return total;
    }

    /** The L1/L2 penalty of the model's Dense kernels, on the host. */
    static double penalty(Model model) {
        double p = 0;
        for (Layer l : model.layers()) {
            if (l instanceof Dense) {
                Dense d = (Dense) l;
                for (float w : d.kernel().value().toFloatArray()) {
                    p += d.l1() * Math.abs(w) + d.l2() * (double) w * w;
                }
            }
        }
        return p;
    }
}
