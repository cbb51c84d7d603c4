package org.neurite.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurite.tensor.Activation;

/**
 * The elementwise loops with the Vector API: full vectors first, then the scalar definition for the tail
 * (so the tail is, by construction, the reference behaviour).
 */
final class VectorOps extends ScalarOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void activate(Activation f, float[] x, float[] y, int from, int to) {
        int upper = from + S.loopBound(to - from);
        float alpha = f.alpha();
        int i = from;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector r;
            switch (f.kind()) {
                case IDENTITY: r = v; break;
                case HEAVISIDE:
                    r = FloatVector.zero(S).blend(1f, v.compare(VectorOperators.GE, 0f))
                            .blend(Float.NaN, v.test(VectorOperators.IS_NAN));
                    break;
                case SIGN:
                    r = FloatVector.zero(S).blend(1f, v.compare(VectorOperators.GT, 0f))
                            .blend(-1f, v.compare(VectorOperators.LT, 0f)).blend(Float.NaN, v.test(VectorOperators.IS_NAN));
                    break;
                case SIGMOID: r = sigmoid(v); break;
                case TANH: r = v.lanewise(VectorOperators.TANH); break;
                case RELU: r = v.max(0f); break;
                case LEAKY_RELU: r = v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f)); break;
                case ELU: r = v.blend(v.lanewise(VectorOperators.EXPM1).mul(alpha), v.compare(VectorOperators.LE, 0f));
                    break;
                case SELU:
                    r = v.blend(v.lanewise(VectorOperators.EXPM1).mul(Activation.SELU_ALPHA),
                            v.compare(VectorOperators.LE, 0f)).mul(Activation.SELU_SCALE);
                    break;
                case SOFTPLUS:
                    r = v.max(0f).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
                    break;
                default: throw new AssertionError(f.kind());
            }
            r.intoArray(y, i);
        }
        super.activate(f, x, y, i, to);
    }

    private static FloatVector sigmoid(FloatVector v) {
        // 1 / (1 + e^-x): e^-x overflows to +inf for very negative x, giving exactly 0, never NaN.
        return FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    @Override
    public void activateBackward(Activation f, float[] y, float[] dy, float[] dx, int from, int to) {
        int upper = from + S.loopBound(to - from);
        float alpha = f.alpha();
        int i = from;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, i);
            FloatVector g = FloatVector.fromArray(S, dy, i);
            FloatVector d;
            switch (f.kind()) {
                case IDENTITY: d = g; break;
                case HEAVISIDE:
                case SIGN: d = FloatVector.zero(S).blend(Float.NaN, v.test(VectorOperators.IS_NAN)); break;
                case SIGMOID: d = g.mul(v).mul(v.neg().add(1f)); break;
                case TANH: d = g.mul(v.mul(v).neg().add(1f)); break;
                case RELU:
                    d = g.blend(0f, v.compare(VectorOperators.LE, 0f)).blend(Float.NaN, v.test(VectorOperators.IS_NAN));
                    break;
                case LEAKY_RELU:
                    d = g.blend(g.mul(alpha), v.compare(VectorOperators.LE, 0f))
                            .blend(Float.NaN, v.test(VectorOperators.IS_NAN));
                    break;
                // ELU, SELU: the y <= 0 formula unless y > 0, so that a NaN output gives a NaN derivative
                case ELU: d = g.mul(v.add(alpha)).blend(g, v.compare(VectorOperators.GT, 0f)); break;
                case SELU: {
                    VectorMask<Float> pos = v.compare(VectorOperators.GE, 0f);   // selu'(0) = scale, as TensorFlow
                    d = g.mul(v.add(Activation.SELU_SCALE * Activation.SELU_ALPHA)).blend(g.mul(Activation.SELU_SCALE), pos);
                    break;
                }
                case SOFTPLUS: d = g.mul(v.neg().lanewise(VectorOperators.EXPM1).neg()); break;
                default: throw new AssertionError(f.kind());
            }
            d.intoArray(dx, i);
        }
        super.activateBackward(f, y, dy, dx, i, to);
    }

    @Override
    public void biasActivate(float[] c, int off, float[] bias, int biasOff, int n, Activation f) {
        if (bias != null) {
            axpy(1f, bias, biasOff, c, off, n);
        }
        if (f.kind() != Activation.Kind.IDENTITY) {
            activate(f, c, c, off, off + n);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int from, int to) {
        int upper = from + S.loopBound(to - from);
        int i = from;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, x, i).mul(alpha).intoArray(x, i);
        }
        super.scale(alpha, x, i, to);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int from, int to) {
        int upper = from + S.loopBound(to - from);
        int i = from;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        super.add(a, b, out, i, to);
    }

    @Override
    public void multiply(float[] a, float[] b, float[] out, int from, int to) {
        int upper = from + S.loopBound(to - from);
        int i = from;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        super.multiply(a, b, out, i, to);
    }

    @Override
    public float sum(float[] x, int from, int to) {
        int upper = from + S.loopBound(to - from);
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (; i < upper; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, i));
        }
        return acc.reduceLanes(VectorOperators.ADD) + super.sum(x, i, to);
    }

    @Override
    public float max(float[] x, int from, int to) {
        int upper = from + S.loopBound(to - from);
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = from;
        for (; i < upper; i += L) {
            acc = acc.max(FloatVector.fromArray(S, x, i));   // Math.max semantics: NaN propagates
        }
        return Math.max(acc.reduceLanes(VectorOperators.MAX), super.max(x, i, to));
    }

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float lrT, float beta1,
                     float beta2, float epsilon, float decay) {
        int upper = from + S.loopBound(to - from);
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        int i = from;
        for (; i < upper; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(gi).mul(c2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector wi = FloatVector.fromArray(S, w, i);
            wi.sub(wi.mul(decay)).sub(mi.mul(lrT).div(vi.sqrt().add(epsilon))).intoArray(w, i);
        }
        super.adam(w, g, m, v, i, to, lrT, beta1, beta2, epsilon, decay);
    }

    @Override
    public void sgdMomentum(float[] w, float[] g, float[] vel, int from, int to, float lr, float momentum,
                            boolean nesterov) {
        int upper = from + S.loopBound(to - from);
        int i = from;
        for (; i < upper; i += L) {
            FloatVector step = FloatVector.fromArray(S, g, i).mul(lr);
            FloatVector vi = FloatVector.fromArray(S, vel, i).mul(momentum).sub(step);
            vi.intoArray(vel, i);
            FloatVector delta = nesterov ? vi.mul(momentum).sub(step) : vi;
            FloatVector.fromArray(S, w, i).add(delta).intoArray(w, i);
        }
        super.sgdMomentum(w, g, vel, i, to, lr, momentum, nesterov);
    }

    @Override
    public void rmsprop(float[] w, float[] g, float[] s, int from, int to, float lr, float rho, float epsilon) {
        int upper = from + S.loopBound(to - from);
        float c = 1 - rho;
        int i = from;
        for (; i < upper; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector si = FloatVector.fromArray(S, s, i).mul(rho).add(gi.mul(gi).mul(c));
            si.intoArray(s, i);
            FloatVector.fromArray(S, w, i).sub(gi.mul(lr).div(si.add(epsilon).sqrt())).intoArray(w, i);
        }
        super.rmsprop(w, g, s, i, to, lr, rho, epsilon);
    }

    @Override
    public void adagrad(float[] w, float[] g, float[] acc, int from, int to, float lr, float epsilon) {
        int upper = from + S.loopBound(to - from);
        int i = from;
        for (; i < upper; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector ai = FloatVector.fromArray(S, acc, i).add(gi.mul(gi));
            ai.intoArray(acc, i);
            FloatVector.fromArray(S, w, i).sub(gi.mul(lr).div(ai.add(epsilon).sqrt())).intoArray(w, i);
        }
        super.adagrad(w, g, acc, i, to, lr, epsilon);
    }
}
